"""Book 1: a UK services company in GBP (Xero-like bank feed, Amex card, AP with VAT, AR)."""
import datetime as dt
import random

from gen_common import Book, P, D, money

CUR = "GBP"
BANK = "Assets:Bank:Barclays:Current"
SAV = "Assets:Bank:Barclays:Savings"
CARD = "Liabilities:Card:Amex"
AP = "Liabilities:AccountsPayable"
AR = "Assets:AccountsReceivable"
VIN = "Assets:VAT:Input"
VOUT = "Liabilities:VAT:Output"
VAT = "Liabilities:VAT:Control"

OPENS = [BANK, SAV, CARD, AP, AR, VIN, VOUT, VAT, "Liabilities:PAYE", "Equity:Opening", "Equity:Retained",
         "Income:Fees", "Income:Interest", "Expenses:Rent", "Expenses:Salaries", "Expenses:EmployerNI",
         "Expenses:Office", "Expenses:Software", "Expenses:Travel", "Expenses:Meals", "Expenses:Telecom",
         "Expenses:Legal", "Expenses:Hosting", "Expenses:Printing", "Expenses:IT", "Expenses:Recruitment",
         "Expenses:Cleaning", "Expenses:BankCharges", "Expenses:Uncategorised"]

VENDORS = [  # name, bank text, number format, expense, base net
    ("Northwind Office Supplies Ltd", "NORTHWIND OFFICE SUP", "NWO-{n}", "Expenses:Office", 420),
    ("Brightline Telecom plc", "BRIGHTLINE TELECOM", "BT{n}", "Expenses:Telecom", 180),
    ("Hartley & Moss Solicitors", "HARTLEY MOSS LLP", "HM/{y}/{n}", "Expenses:Legal", 1500),
    ("Cloudform Hosting Ltd", "CLOUDFORM HOSTING", "CF-{n}", "Expenses:Hosting", 640),
    ("Kestrel Print Co", "KESTREL PRINT", "KP{n}", "Expenses:Printing", 310),
    ("Oakridge IT Services", "OAKRIDGE IT SERV", "OIT-{y}-{n}", "Expenses:IT", 950),
    ("Fenwick Recruitment", "FENWICK RECRUIT", "FR{n}", "Expenses:Recruitment", 2400),
    ("Greenway Cleaning Services", "GREENWAY CLEANING", "GW-{n}", "Expenses:Cleaning", 260),
]
CUSTOMERS = [("Aldgate Capital Partners", "ALDGATE CAPITAL"), ("Bramley Foods Ltd", "BRAMLEY FOODS LTD"),
             ("Corvid Analytics", "CORVID ANALYTICS"), ("Dunmore Housing Trust", "DUNMORE HOUSING TR"),
             ("Elm Street Dental", "ELM STREET DENTAL"), ("Fairhaven Council", "FAIRHAVEN CC")]
EMPLOYEES = [("A Costa", 2412.50), ("B Hale", 2412.50), ("C Iqbal", 3120.75), ("D Novak", 2890.10), ("E Walsh", 1980.40)]
CARD_MERCH = [  # payee typed, bank text fmt, account, lo, hi
    ("Amazon", "AMZN Mktp UK*{c}", "Expenses:Office", 8, 160),
    ("Pret A Manger", "PRET A MANGER {n}", "Expenses:Meals", 4, 18),
    ("Trainline", "TRAINLINE.COM", "Expenses:Travel", 25, 240),
    ("Uber", "UBER *TRIP {c}", "Expenses:Travel", 9, 48),
    ("Costa Coffee", "COSTA COFFEE {n}", "Expenses:Meals", 3, 12),
    ("Tesco", "TESCO STORES {n}", "Expenses:Office", 6, 70),
    ("Premier Inn", "PREMIER INN {n}", "Expenses:Travel", 70, 180),
    ("Screwfix", "SCREWFIX DIRECT", "Expenses:Office", 12, 90),
]
SUBS = [("Xero", "XERO UK*SUBSCRIPTION", 33.00), ("Microsoft 365", "MSFT *M365 BUSINESS", 10.30),
        ("Adobe", "ADOBE *CREATIVE CLD", 19.97), ("Slack", "SLACK T0123ABCD", 6.67)]


def gen(root, seed=101):
    rng = random.Random(seed)
    b = Book(root)
    Y = {2024: "ledgers/2024.beancount", 2025: "ledgers/2025.beancount"}
    FEED = {2024: "ledgers/feeds/barclays-2024.beancount", 2025: "ledgers/feeds/barclays-2025.beancount"}
    CFEED = "ledgers/feeds/amex.beancount"
    b.heads["ledgers/main.beancount"] = "\n".join([
        'option "title" "Thistle & Finch Consulting Ltd"', 'option "operating_currency" "GBP"', "",
        'include "accounts.beancount"', 'include "2024.beancount"', 'include "2025.beancount"',
        'include "feeds/barclays-2024.beancount"', 'include "feeds/barclays-2025.beancount"',
        'include "feeds/amex.beancount"'])
    b.heads["ledgers/accounts.beancount"] = "\n".join(f"2023-12-31 open {a} GBP" for a in OPENS) + "\n\n" + "\n".join([
        '2024-01-01 * "Opening balances" "Balances brought forward"',
        f"  {BANK}  48000.00 GBP", f"  {SAV}  20000.00 GBP", "  Equity:Opening"])

    def uid():
        return "%08x-%04x-%04x-%04x-%012x" % tuple(rng.getrandbits(n) for n in (32, 16, 16, 16, 48))

    def axp():
        return "AXP" + str(rng.randrange(10**11, 10**12))

    def code():
        return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6))

    def bank(d, text, narr, amt, other, key="bank_id", idv=None, payee=None, pmeta=None, extra_meta=None):
        meta = {key: idv or uid()}
        meta.update(extra_meta or {})
        posts = [P(BANK, amt, CUR)] + other
        k = b.txn(FEED[d.year], d, payee or text, narr, posts, meta, btext=text)
        b.home[k] = BANK
        return k

    def card(d, text, acct, amt, narr="", idv=None):
        k = b.txn(CFEED, d, text, narr, [P(CARD, -amt, CUR), P(acct, amt, CUR)], {"txn_id": idv or axp()}, btext=text)
        b.home[k] = CARD
        return k

    def typed_card(d, payee, narr, acct, amt, btext=None):
        return b.txn(Y[d.year], d, payee, narr, [P(acct, amt, CUR), P(CARD, -amt, CUR)], btext=btext)

    start = dt.date(2024, 1, 1)
    end = dt.date(2025, 12, 31)
    days = [start + dt.timedelta(i) for i in range((end - start).days + 1)]
    months = sorted({(d.year, d.month) for d in days})
    bills = []      # (vendor idx, number, date, gross, key)
    invs = []
    inv_no = 1000
    vnum = {i: rng.randrange(1000, 5000) for i in range(len(VENDORS))}
    rent_keys, sub_keys, pay_keys, tfr_keys, card_pay_keys = [], {s[0]: [] for s in SUBS}, [], [], []
    card_keys = []  # (key, d, merch idx, amt, text)

    for (y, m) in months:
        first = dt.date(y, m, 1)
        rent_keys.append(bank(first + dt.timedelta(1), "LANDLORD ESTATES LTD DD", "Office rent", D(-2750), [P("Expenses:Rent", D(2750), CUR)], payee="Landlord Estates Ltd"))
        # payroll on the 25th
        pd = dt.date(y, m, 25)
        group = []
        for name, net in EMPLOYEES:
            k = bank(pd, f"BACS PAYROLL {name.split()[1].upper()}", f"Net pay {name}", D(-net), [P("Expenses:Salaries", D(net), CUR)], payee="Payroll")
            group.append((name, net, k))
        pay_keys.append(group)
        b.txn(Y[y], pd, "Payroll", "PAYE and NI accrual", [P("Expenses:Salaries", D(3100), CUR), P("Expenses:EmployerNI", D(1210.55), CUR), P("Liabilities:PAYE", D(-4310.55), CUR)])
        bank(dt.date(y, m, 22), "HMRC PAYE", "PAYE/NIC payment", D(-4310.55), [P("Liabilities:PAYE", D(4310.55), CUR)], payee="HMRC")
        if m in (2, 5, 8, 11):
            bank(dt.date(y, m, 7), "HMRC VAT", "VAT return payment", D(-rng.randrange(3000, 9000)), [P(VAT, None)], payee="HMRC")
        bank(dt.date(y, m, 27) if m != 12 else dt.date(y, m, 23), "MONTHLY ACCOUNT FEE", "Bank charges", D(-12.50), [P("Expenses:BankCharges", D(12.5), CUR)], payee="Barclays")
        # savings transfer on the 28th, booked from the current account's feed
        k = bank(dt.date(y, m, 28), "TFR TO 40123456 SAVINGS", "Transfer to savings", D(-1000), [P(SAV, D(1000), CUR)], payee="Barclays")
        b.btext[(k, SAV)] = "TFR FROM 20987654 CURRENT"
        tfr_keys.append(k)
        b.txn(Y[y], dt.date(y, m, 28) + dt.timedelta(3), "Barclays", "Savings interest", [P(SAV, D(rng.randrange(20, 60) + 0.37), CUR), P("Income:Interest", None)], btext="INTEREST PAID")
        # subscriptions on the card
        for i, (nm, txt, amt) in enumerate(SUBS):
            sub_keys[nm].append(card(dt.date(y, m, 3 + 4 * i), txt, "Expenses:Software", D(amt), "Subscription"))
        # card payment from the bank
        cp = D(rng.randrange(1500, 3500) + rng.randrange(100) / 100)
        k = bank(dt.date(y, m, 18), "AMERICAN EXPRESS DD", "Amex statement payment", -cp, [P(CARD, cp, CUR)], payee="American Express")
        b.btext[(k, CARD)] = "PAYMENT RECEIVED - THANK YOU"
        card_pay_keys.append(k)
        # bills with VAT, paid ~30 days later
        for vi, (vn, vt, fmtn, acct, base) in enumerate(VENDORS):
            if rng.random() < (0.9 if vi in (1, 3, 7) else 0.45):
                vnum[vi] += rng.randrange(1, 9)
                num = fmtn.format(n=vnum[vi], y=y)
                d = dt.date(y, m, rng.randrange(2, 27))
                net = D(base * rng.uniform(0.7, 1.3))
                vat = D(net * D("0.2"))
                gross = net + vat
                k = b.txn(Y[y], d, vn, f"Bill {num}", [P(AP, -gross, CUR, meta={"invoice": num}), P(acct, net, CUR), P(VIN, vat, CUR)],
                          {"invoice": num, "due": d + dt.timedelta(30)})
                bills.append([vi, num, d, gross, k, None])
        # sales invoices
        for ci in rng.sample(range(len(CUSTOMERS)), 4):
            inv_no += 1
            d = dt.date(y, m, rng.randrange(1, 28))
            net = D(rng.randrange(18, 90) * 100)
            gross = net + D(net * D("0.2"))
            num = f"TF-{inv_no}"
            k = b.txn(Y[y], d, CUSTOMERS[ci][0], f"Invoice {num}", [P(AR, gross, CUR), P("Income:Fees", -net, CUR), P(VOUT, -(gross - net), CUR)],
                      {"invoice": num, "due": d + dt.timedelta(30)}, links=[num])
            invs.append([ci, num, d, gross, k])
    # card spending
    for d in days:
        for _ in range(rng.choice([0, 0, 1, 1, 1, 2])):
            mi = rng.randrange(len(CARD_MERCH))
            payee, tf, acct, lo, hi = CARD_MERCH[mi]
            amt = D(rng.uniform(lo, hi))
            text = tf.format(c=code(), n=rng.randrange(1000, 9999))
            if rng.random() < 0.15:
                k = typed_card(d, payee, "", acct, amt, btext=text)
            else:
                k = card(d, text, acct, amt)
            card_keys.append((k, d, mi, amt, text))

    # pay bills and receive invoices ~ 30 days later (the plants decide some of them)
    def paybill(bl, d, amt=None, narr=None, text=None):
        vi, num, bd, gross, bk, _ = bl
        amt = gross if amt is None else amt
        return bank(d, text or f"{VENDORS[vi][1]} {num}", narr or f"Payment {num}", -amt, [P(AP, amt, CUR, meta={"invoice": num})],
                    payee=VENDORS[vi][0])

    def receive(iv, d, amt=None, narr=None):
        ci, num, idate, gross, ik = iv
        amt = gross if amt is None else amt
        return bank(d, f"{CUSTOMERS[ci][1]} {num}", narr or f"Receipt {num}", amt, [P(AR, -amt, CUR, meta={"invoice": num})], payee=CUSTOMERS[ci][0])

    LAST = dt.date(2025, 12, 31)
    rng.shuffle(bills)
    special_bills = bills[:30]
    for bl in bills[30:]:
        pdt = bl[2] + dt.timedelta(rng.randrange(20, 40))
        if pdt <= LAST:
            bl[5] = paybill(bl, pdt)
    rng.shuffle(invs)
    special_invs = invs[:6]
    for iv in invs[6:]:
        rdt = iv[2] + dt.timedelta(rng.randrange(10, 50))
        if rdt <= LAST:
            receive(iv, rdt)

    # ---------------- plants: duplicates -----------------
    def later(d, n):
        x = d + dt.timedelta(n)
        return min(x, LAST)
    sb = iter(special_bills)
    # bill entered twice: invoice number formatted differently, 0-10 days apart
    variants = [lambda s: s.replace("-", "").replace("/", ""), lambda s: s.lower().replace("-", " "),
                lambda s: "INV " + s, lambda s: s.replace("-", "/"), lambda s: s + " ", lambda s: "No. " + s.replace("-", "")]
    for i in range(7):
        bl = next(sb)
        vi, num, bd, gross, bk, _ = bl
        num2 = variants[i % len(variants)](num).strip()
        vn = VENDORS[vi][0]
        vn2 = vn.replace(" Ltd", "").replace(" plc", "").replace("Services", "Svcs") if i % 2 else vn
        net = D(gross / D("1.2"))
        k2 = b.txn(Y[later(bd, 0).year], later(bd, rng.randrange(0, 11)), vn2, f"Invoice {num2} (from email)",
                   [P(AP, -gross, CUR, meta={"invoice": num2}), P(VENDORS[vi][3], net, CUR), P(VIN, gross - net, CUR)], {"invoice": num2})
        b.dup("bill_entered_twice", [bk, k2], f"{vn} bill {num} entered again as {num2}")
        bl[5] = paybill(bl, later(bd, 30))
    # vendor invoice paid twice (both payments really left the bank)
    for i in range(5):
        bl = next(sb)
        p1 = paybill(bl, later(bl[2], 28))
        p2 = paybill(bl, later(bl[2], 28 + rng.choice([3, 9, 16, 35])), narr=f"Faster payment {bl[1].replace('-', '')}",
                     text=f"FP {VENDORS[bl[0]][1][:14]} {bl[1].replace('-', '')}")
        b.dup("paid_twice", [p1, p2], f"{VENDORS[bl[0]][0]} {bl[1]} paid twice", excl_accounts={})
    # instalments of one bill (look-alike)
    for i in range(3):
        bl = next(sb)
        part = D(bl[3] / 3)
        parts = [part, part, bl[3] - 2 * part]
        ks = [paybill(bl, later(bl[2], 20 + 30 * j), amt=parts[j], narr=f"Payment {bl[1]} part {j+1} of 3") for j in range(3)]
        b.look("instalments", ks, f"{VENDORS[bl[0]][0]} {bl[1]} paid in three instalments")
    # split payment of a bill (look-alike)
    for i in range(3):
        bl = next(sb)
        a1 = D(bl[3] * D("0.6"))
        k1 = paybill(bl, later(bl[2], 25), amt=a1, narr=f"Part payment {bl[1]}")
        k2 = paybill(bl, later(bl[2], 25 + rng.choice([0, 2, 7])), amt=bl[3] - a1, narr=f"Balance of {bl[1]}")
        b.look("split_payment", [k1, k2], f"{VENDORS[bl[0]][0]} {bl[1]} paid in two parts")
    # a bank line imported twice, same id (feed re-synced)
    bank_pool = [bl for bl in bills if bl[5] and bl not in special_bills]
    rng.shuffle(bank_pool)
    for i in range(6):
        bl = bank_pool.pop()
        k = bl[5]
        # re-create the same entry text in the other feed file or the same
        vi, num = bl[0], bl[1]
        src = [it for it in b.items if it[4] == k][0]
        idv = [l for l in src[3] if "bank_id" in l][0].split('"')[1]
        k2 = bank(src[1] + dt.timedelta(i % 2), f"{VENDORS[vi][1]} {num}", f"Payment {num}", -bl[3], [P(AP, bl[3], CUR, meta={"invoice": num})],
                  idv=idv, payee=VENDORS[vi][1].title())
        b.dup("imported_twice_same_id", [k, k2], f"bank line {VENDORS[vi][0]} {num} imported twice with the same id")
    # a bank line imported twice, different id and format (Xero feed + OFX file)
    for i in range(5):
        bl = bank_pool.pop()
        k = bl[5]
        src = [it for it in b.items if it[4] == k][0]
        vi, num = bl[0], bl[1]
        k2 = b.txn(Y[src[1].year], src[1] + dt.timedelta(i % 2), f"{VENDORS[vi][1]} {num} BGC".lower().title(), "",
                   [P(BANK, -bl[3], CUR), P("Expenses:Uncategorised" if i % 2 else AP, bl[3], CUR)],
                   {"fitid": f"{src[1]:%Y%m%d}{rng.randrange(100000, 999999)}"})
        b.dup("imported_twice_other_id", [k, k2], f"bank line {VENDORS[vi][0]} {num} imported again from an OFX file")
    # card charge typed by hand and also imported
    cpool = [c for c in card_keys if b.btext.get(c[0]) and [it for it in b.items if it[4] == c[0]][0][0] == CFEED]
    rng.shuffle(cpool)
    used = set()
    for i in range(7):
        k, d, mi, amt, text = cpool.pop()
        used.add(k)
        payee, _, acct, _, _ = CARD_MERCH[mi]
        k2 = typed_card(max(d - dt.timedelta(rng.choice([0, 1, 2])), start), payee, "receipt", acct, amt)
        b.dup("typed_and_imported", [k, k2], f"card charge {text} also typed by hand as {payee}")
    # card refund booked twice (imported + typed)
    for i in range(4):
        k, d, mi, amt, text = cpool.pop()
        rd = later(d, rng.randrange(3, 12))
        payee, _, acct, _, _ = CARD_MERCH[mi]
        r1 = b.txn(CFEED, rd, f"{text} REFUND", "", [P(CARD, amt, CUR), P(acct, -amt, CUR)], {"txn_id": axp()}, btext=f"{text} REFUND")
        b.home[r1] = CARD
        r2 = typed_card(rd, payee, "Refund", acct, -amt)
        b.dup("refund_twice", [r1, r2], f"refund of {text} booked from the feed and by hand")
    # refund next to its purchase (look-alike)
    for i in range(4):
        k, d, mi, amt, text = cpool.pop()
        rd = later(d, rng.randrange(1, 6))
        r1 = b.txn(CFEED, rd, f"{text}", "Return", [P(CARD, amt, CUR), P(CARD_MERCH[mi][2], -amt, CUR)], {"txn_id": axp()}, btext=text)
        b.home[r1] = CARD
        b.look("refund_next_to_purchase", [k, r1], f"{text} bought and returned")
    # transfer booked from both sides (savings feed + current feed; card feed + bank feed)
    for i, k in enumerate(rng.sample(tfr_keys, 4)):
        src = [it for it in b.items if it[4] == k][0]
        k2 = b.txn(FEED[src[1].year], src[1] + dt.timedelta(i % 2), "Barclays", "Transfer from current account",
                   [P(SAV, D(1000), CUR), P(BANK, D(-1000), CUR)], {"bank_id": uid()}, btext="TFR FROM 20987654 CURRENT")
        b.home[k2] = SAV
        b.dup("transfer_both_sides", [k, k2], "savings transfer booked from the current and the savings side",
              excl_accounts={k: [SAV], k2: [BANK]})
        b.nostmt.add((k, SAV))
    for i, k in enumerate(rng.sample(card_pay_keys, 3)):
        src = [it for it in b.items if it[4] == k][0]
        amt = D([l for l in src[3] if CARD in l][0].split()[1])
        k2 = b.txn(CFEED, src[1] + dt.timedelta(1 + i % 2), "PAYMENT RECEIVED - THANK YOU", "", [P(CARD, amt, CUR), P(BANK, -amt, CUR)],
                   {"txn_id": axp()}, btext="PAYMENT RECEIVED - THANK YOU")
        b.home[k2] = CARD
        b.dup("transfer_both_sides", [k, k2], "Amex payment booked from the bank feed and the card feed", excl_accounts={k: [CARD], k2: [BANK]})
    # the same expense typed twice by hand (no ids)
    for i in range(3):
        d = dt.date(2024 + i % 2, 3 + 3 * i, 11 + i)
        amt = D(rng.uniform(60, 240))
        k1 = typed_card(d, "Trainline", "Client visit tickets", "Expenses:Travel", amt, btext="TRAINLINE.COM")
        k2 = typed_card(d + dt.timedelta(i % 2), "Trainline", "Train tickets client visit", "Expenses:Travel", amt)
        b.dup("typed_twice", [k1, k2], "train tickets typed twice")
    # customer receipt booked twice (typed remittance + feed)
    for i in range(2):
        iv = special_invs[i]
        rdt = later(iv[2], 30)
        k1 = receive(iv, rdt)
        k2 = b.txn(Y[rdt.year], rdt, CUSTOMERS[iv[0]][0], f"Remittance advice {iv[1]}", [P(BANK, iv[3], CUR), P(AR, -iv[3], CUR, meta={"invoice": iv[1]})])
        b.dup("typed_and_imported", [k1, k2], f"customer receipt {iv[1]} from remittance advice and bank feed")

    # ---------------- plants: look-alikes -----------------
    for i in range(3):
        iv = special_invs[2 + i]
        part = D(iv[3] / 3)
        parts = [part, part, iv[3] - 2 * part]
        ks = [receive(iv, later(iv[2], 15 + 30 * j), amt=parts[j], narr=f"{iv[1]} instalment {j+1}/3") for j in range(3)]
        b.look("instalments", ks, f"customer pays {iv[1]} in three instalments")
    for i in range(5):  # two same-day identical purchases with distinct ids
        d = dt.date(2024 + i % 2, 2 + 2 * i, 6 + i)
        mi = [1, 4, 5, 3, 0][i]
        amt = D(rng.uniform(*CARD_MERCH[mi][3:5]))
        text = CARD_MERCH[mi][1].format(c=code(), n=rng.randrange(1000, 9999))
        k1 = card(d, text, CARD_MERCH[mi][2], amt)
        k2 = card(d, text if mi != 0 else CARD_MERCH[mi][1].format(c=code(), n=0), CARD_MERCH[mi][2], amt)
        b.look("same_day_identical", [k1, k2], f"two identical {CARD_MERCH[mi][0]} purchases the same day")
    for nm in sub_keys:
        j = rng.randrange(0, 20)
        b.look("subscription", sub_keys[nm][j:j + 3], f"{nm} monthly subscription")
    b.look("rent", rent_keys[2:5], "monthly rent")
    b.look("rent", rent_keys[14:17], "monthly rent")
    for mth in (3, 9, 17):
        g = pay_keys[mth]
        b.look("payroll_equal", [g[0][2], g[1][2]], "two employees with the same net pay, same day")
    b.look("payroll_equal", [pay_keys[5][0][2], pay_keys[6][0][2]], "one employee's equal salary in consecutive months")
    for j in (1, 8, 19):
        b.look("recurring_transfer", tfr_keys[j:j + 3], "monthly transfer to savings")
    # abbreviated payees of different real purchases (same amount, days apart, distinct ids)
    for i in range(4):
        d = dt.date(2024 + i % 2, 4 + 2 * i, 9)
        amt = D(rng.uniform(10, 60))
        k1 = card(d, f"AMZN Mktp UK*{code()}", "Expenses:Office", amt)
        k2 = card(d + dt.timedelta(rng.choice([1, 3, 5])), f"AMAZON.CO.UK*{code()}", "Expenses:Office", amt)
        b.look("abbreviated_payees", [k1, k2], "two different Amazon orders of the same amount")
    # a vendor's equal monthly retainer bills, different invoice numbers
    for i in range(3):
        vi = [1, 3, 7][i]
        num0 = rng.randrange(7000, 8000)
        ks = []
        for j in range(3):
            d = dt.date(2025, 2 + j, 5 + i)
            num = VENDORS[vi][2].format(n=num0 + j, y=2025) + "R"
            ks.append(b.txn(Y[2025], d, VENDORS[vi][0], f"Bill {num} retainer", [P(AP, D(-600), CUR, meta={"invoice": num}),
                            P(VENDORS[vi][3], D(500), CUR), P(VIN, D(100), CUR)], {"invoice": num}))
        b.look("equal_bills", ks, f"{VENDORS[vi][0]} monthly retainer bills, one per month")
    # ================= harder plants =================
    hr = random.Random(seed + 1)
    # card charge typed on the purchase day, imported on the posting day 3-5 days later, split postings
    for i in range(3):
        k, d, mi, amt, text = cpool.pop()
        payee = CARD_MERCH[mi][0]
        part = D(amt * D("0.7"))
        k2 = b.txn(Y[(d - dt.timedelta(3 + i)).year], max(start, d - dt.timedelta(3 + i)), payee, "receipt, split", [P(CARD_MERCH[mi][2], part, CUR), P("Expenses:Office" if CARD_MERCH[mi][2] != "Expenses:Office" else "Expenses:Meals", amt - part, CUR), P(CARD, -amt, CUR)])
        b.dup("typed_and_imported", [k, k2], f"card charge {text} typed days earlier as {payee} with the cost split")
    # year boundary: bought 30 Dec, posted 2 Jan
    amt = D("64.18")
    k1 = card(dt.date(2025, 1, 2), "AMZN Mktp UK*7Q2WX0", "Expenses:Office", amt)
    k2 = typed_card(dt.date(2024, 12, 30), "Amazon", "toner", "Expenses:Office", amt)
    b.dup("typed_and_imported", [k1, k2], "Amazon toner typed in 2024, imported in 2025")
    # a bill entered twice, the copy with no invoice metadata, vendor shortened, 9 days later
    for i in range(2):
        bl = next(sb)
        vi, num, bd, gross, bk, _ = bl
        net = D(gross / D("1.2"))
        k2 = b.txn(Y[bd.year], later(bd, 9 - i), VENDORS[vi][0].split()[0], f"{bd:%B} invoice {num.split('-')[-1].split('/')[-1]}",
                   [P(AP, -gross, CUR), P("Expenses:Uncategorised", gross, CUR)])
        b.dup("bill_entered_twice", [bk, k2], f"{VENDORS[vi][0]} {num} entered again without its number in metadata")
        bl[5] = paybill(bl, later(bd, 30))
    # a bill paid twice: by bank transfer and again by card
    for i in range(2):
        bl = next(sb)
        vi, num = bl[0], bl[1]
        p1 = paybill(bl, later(bl[2], 21))
        p2 = b.txn(CFEED, later(bl[2], 26 + 5 * i), VENDORS[vi][1], "", [P(CARD, -bl[3], CUR), P(AP, bl[3], CUR, meta={"invoice": num})], {"txn_id": axp()}, btext=VENDORS[vi][1])
        b.home[p2] = CARD
        b.dup("paid_twice", [p1, p2], f"{VENDORS[vi][0]} {num} paid by transfer and again by card", excl_accounts={})
    # transfer booked from both sides, savings side dated 3 days later
    rest = [k for k in tfr_keys if k not in sum([x[1] for x in b.dups + [(0, [], 0, 0)]], []) and k not in sum([x[1] for x in b.looks], [])]
    for k in hr.sample(rest, 2):
        src = [it for it in b.items if it[4] == k][0]
        k2 = b.txn(FEED[src[1].year], later(src[1], 3), "Savings account", "Deposit from Barclays current", [P(SAV, D(1000), CUR), P(BANK, D(-1000), CUR)],
                   {"bank_id": uid()}, btext="TFR FROM 20987654 CURRENT")
        b.home[k2] = SAV
        b.dup("transfer_both_sides", [k, k2], "savings transfer booked from both sides, 3 days apart", excl_accounts={k: [SAV], k2: [BANK]})
    # ---- harder look-alikes
    for i in range(3):  # two invoices of the same amount from one vendor, paid days apart
        vi = [0, 4, 5][i]
        ks = []
        d = dt.date(2025, 3 + 2 * i, 4)
        for j in range(2):
            vnum[vi] += 3
            num = VENDORS[vi][2].format(n=vnum[vi], y=2025)
            bk = b.txn(Y[2025], d + dt.timedelta(j), VENDORS[vi][0], f"Bill {num}", [P(AP, D(-540), CUR, meta={"invoice": num}), P(VENDORS[vi][3], D(450), CUR), P(VIN, D(90), CUR)],
                       {"invoice": num})
            bl = [vi, num, d, D(540), bk, None]
            ks.append(paybill(bl, d + dt.timedelta(20 + 3 * j)))
            if j == 1:
                b.look("equal_bills", [prev_bk, bk], f"two {VENDORS[vi][0]} bills of 540.00 a day apart, numbers differ")
            prev_bk = bk
        b.look("equal_payments", ks, f"two {VENDORS[vi][0]} bills of 540.00 paid 3 days apart")
    for i in range(2):  # transfer to savings and back
        d = dt.date(2024 + i, 6, 10)
        k1 = bank(d, "TFR TO 40123456 SAVINGS", "Top up savings", D(-5000), [P(SAV, D(5000), CUR)], payee="Barclays")
        b.btext[(k1, SAV)] = "TFR FROM 20987654 CURRENT"
        k2 = bank(d + dt.timedelta(4), "TFR FROM 40123456 SAVINGS", "Back from savings for VAT", D(5000), [P(SAV, D(-5000), CUR)], payee="Barclays")
        b.btext[(k2, SAV)] = "TFR TO 20987654 CURRENT"
        b.look("transfer_and_back", [k1, k2], "5,000 to savings and back four days later")
    for i in range(3):  # two identical coffees typed by hand the same day
        d = dt.date(2025, 1 + 3 * i, 14)
        amt = D(["3.45", "6.90", "4.10"][i])
        ks = [typed_card(d, "Costa Coffee", "coffee with client" if j else "coffee", "Expenses:Meals", amt, btext="COSTA COFFEE 4471") for j in range(2)]
        b.look("same_day_identical", ks, "two coffees typed by hand the same day")
    for i in range(3):  # typed Amazon and a different imported Amazon order, 12 days apart
        d = dt.date(2024, 2 + 3 * i, 3)
        amt = D(["25.99", "12.49", "39.00"][i])
        k1 = typed_card(d, "Amazon", "cables", "Expenses:Office", amt, btext=f"AMZN Mktp UK*{code()}")
        k2 = card(d + dt.timedelta(12), f"AMZN Mktp UK*{code()}", "Expenses:Office", amt)
        b.look("abbreviated_payees", [k1, k2], "typed Amazon order and a different Amazon order of the same price 12 days later")
    vi = 2  # a bill and its credit note
    num = VENDORS[vi][2].format(n=9001, y=2025)
    k1 = b.txn(Y[2025], dt.date(2025, 6, 3), VENDORS[vi][0], f"Bill {num}", [P(AP, D(-1800), CUR, meta={"invoice": num}), P("Expenses:Legal", D(1500), CUR), P(VIN, D(300), CUR)], {"invoice": num})
    k2 = b.txn(Y[2025], dt.date(2025, 6, 9), VENDORS[vi][0], f"Credit note CN-{num}", [P(AP, D(1800), CUR, meta={"invoice": "CN-" + num}), P("Expenses:Legal", D(-1500), CUR), P(VIN, D(-300), CUR)], {"invoice": "CN-" + num})
    b.look("credit_note", [k1, k2], "a bill and its credit note")
    return b


BOYAML = """entity: {{name: "Thistle & Finch Consulting Ltd", currency: GBP, country: GB}}
ledger: ledgers/main.beancount
accounts:
  Assets:Bank:Barclays:Current:
    role: bank{s1}
  Assets:Bank:Barclays:Savings:
    role: bank{s2}
  Liabilities:Card:Amex:
    role: card{s3}
  Liabilities:AccountsPayable: {{role: payable}}
  Assets:AccountsReceivable: {{role: receivable}}
  Liabilities:VAT:Control: {{role: sales_tax}}
  Expenses:Uncategorised: {{role: uncategorized}}
{fmts}"""
FMTS = """statement_formats:
  barclays-csv:
    kind: csv
    date: Date
    date_format: "%d/%m/%Y"
    amount: Amount
    payee: Memo
    id: Transaction ID
    currency: GBP
  amex-uk:
    kind: csv
    date: Date
    date_format: "%d/%m/%Y"
    amount: Amount
    positive: outflow
    payee: Description
    id: Reference
    currency: GBP
"""
