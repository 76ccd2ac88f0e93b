"""Book 2: a multi-currency online shop (USD books; CAD and EUR accounts; Stripe and PayPal)."""
import datetime as dt
import os

import gen_common
import random
import shutil

from gen_common import Book, P, D

U = "USD"
CHASE = "Assets:Bank:Chase:Operating"
RBC = "Assets:Bank:RBC:CAD"
WISE = "Assets:Bank:Wise:EUR"
STRIPE = "Assets:Clearing:Stripe"
PAYPAL = "Assets:Clearing:PayPal"
CARD = "Liabilities:Card:AmexBusiness"
AP = "Liabilities:AccountsPayable"
AR = "Assets:AccountsReceivable"
F = "ledgers/shop.beancount"
OPENS = [CHASE, RBC, WISE, STRIPE, PAYPAL, CARD, AP, AR, "Liabilities:Payroll", "Equity:Opening",
         "Income:Sales:Online", "Income:Sales:Wholesale", "Income:Sales:Refunds", "Expenses:Fees:Stripe",
         "Expenses:Fees:PayPal", "Expenses:Inventory", "Expenses:Advertising", "Expenses:Shipping",
         "Expenses:Software", "Expenses:Rent", "Expenses:Payroll", "Expenses:Office", "Expenses:BankFees",
         "Expenses:Uncategorized"]
USV = [("Pacific Box & Label Inc", "PACIFIC BOX LABEL", "PBL-{n}", 1800), ("Sunrise Candle Supply", "SUNRISE CANDLE SUP", "SCS{n}", 3200),
       ("Evergreen Fulfillment LLC", "EVERGREEN FULFILLMT", "EF-2025-{n}", 2500), ("Harbor Packaging Co", "HARBOR PACKAGING", "HP{n}", 900)]
EUV = [("Ceramica Atlantico Lda", "Ceramica Atlantico", "FT 2025/{n}", 4200), ("Berliner Papierwerk GmbH", "Berliner Papierwerk", "RE-2025-{n}", 2600)]
CARDM = [("Facebook", "FACEBK *{c}", "Expenses:Advertising", 40, 400), ("Google Ads", "GOOGLE *ADS{n}", "Expenses:Advertising", 50, 600),
         ("USPS", "USPS PO {n}", "Expenses:Shipping", 5, 60), ("UPS", "UPS*1Z{c}", "Expenses:Shipping", 9, 140),
         ("Amazon", "AMZN Mktp US*{c}", "Expenses:Office", 10, 180), ("Staples", "STAPLES {n}", "Expenses:Office", 8, 90)]
SUBS = [("Shopify", "SHOPIFY* {n}", 79.00), ("Klaviyo", "KLAVIYO INC.", 150.00), ("Canva", "CANVA* {n}", 12.99)]


def gen(root, seed=202):
    rng = random.Random(seed)
    b = Book(root)
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    days = [start + dt.timedelta(i) for i in range((end - start).days + 1)]
    head = ['option "title" "Maple & Mortar Goods Inc."', 'option "operating_currency" "USD"', ""]
    head += [f"2024-12-31 open {a}" for a in OPENS]
    head += ["", "2024-12-31 commodity CAD", "2024-12-31 commodity EUR", ""]
    head += ['2025-01-01 * "Opening balances" ""', f"  {CHASE}  85000.00 USD", f"  {RBC}  12000.00 CAD", f"  {WISE}  6000.00 EUR", "  Equity:Opening  -85000.00 USD",
             "  Equity:Opening  -12000.00 CAD", "  Equity:Opening  -6000.00 EUR"]
    b.heads[F] = "\n".join(head)
    rate = {"CAD": D("0.7300"), "EUR": D("1.0800")}

    def num(n):
        return str(rng.randrange(10 ** (n - 1), 10 ** n))

    def code(n=6):
        return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(n))

    def chase(d, text, narr, amt, other, key="txn_id", idv=None, payee=None, price=None):
        k = b.txn(F, d, payee or text, narr, [P(CHASE, amt, U)] + other, {key: idv or ("CHS" + num(10))}, btext=text)
        b.home[k] = CHASE
        return k

    def card(d, text, acct, amt, narr="", idv=None):
        k = b.txn(F, d, text, narr, [P(CARD, -amt, U), P(acct, amt, U)], {"fitid": idv or ("320" + num(12))}, btext=text)
        b.home[k] = CARD
        return k

    def typed_card(d, payee, narr, acct, amt, btext=None):
        return b.txn(F, d, payee, narr, [P(acct, amt, U), P(CARD, -amt, U)], btext=btext)

    for d in days:
        if d.day == 1:
            for c in ("CAD", "EUR"):
                rate[c] = D(float(rate[c]) * rng.uniform(0.98, 1.02)).quantize(D("0.0001")) if False else (rate[c] * D(str(rng.uniform(0.98, 1.02)))).quantize(D("0.0001"))
                b.add(F, d, [f"{d} price {c} {rate[c]} USD"])
    # ---- Stripe and PayPal sales, refunds, payouts
    stripe_bal = D(0)
    payouts = []
    refunds = []
    pp_bal = D(0)
    ppc_bal = D(0)
    pp_payouts = []
    for i, d in enumerate(days):
        gross = D(rng.uniform(300, 2500))
        fee = D(gross * D("0.029") + D("0.30") * rng.randrange(5, 40))
        b.txn(F, d, "Stripe", f"Card sales {d}", [P(STRIPE, gross - fee, U), P("Expenses:Fees:Stripe", fee, U), P("Income:Sales:Online", -gross, U)])
        stripe_bal += gross - fee
        if rng.random() < 0.16:
            amt = D(rng.choice([19, 24, 29, 34, 39, 45, 58, 64, 79, 112]) + rng.choice([0, 0.5, 0.99]))
            k = b.txn(F, d, "Stripe", f"Refund order #{rng.randrange(1000, 9999)}", [P("Income:Sales:Refunds", amt, U), P(STRIPE, -amt, U)],
                      {"txn_id": "re_" + code(14)})
            stripe_bal -= amt
            refunds.append((k, d, amt))
        if i % 2 == 1:
            po = stripe_bal
            stripe_bal = D(0)
            pid = "po_1Q" + code(12)
            k = chase(d + dt.timedelta(2) if d + dt.timedelta(2) <= end else d, f"STRIPE TRANSFER ST-{code(8)}", "Stripe payout", po, [P(STRIPE, -po, U)], payee="Stripe")
            payouts.append((k, d + dt.timedelta(2) if d + dt.timedelta(2) <= end else d, po, pid))
        if i % 3 == 0:
            g = D(rng.uniform(100, 900))
            fe = D(g * D("0.0349") + D("0.49") * rng.randrange(2, 10))
            b.txn(F, d, "PayPal", f"PayPal sales {d}", [P(PAYPAL, g - fe, U), P("Expenses:Fees:PayPal", fe, U), P("Income:Sales:Online", -g, U)])
            pp_bal += g - fe
        if d.weekday() == 2:
            g = D(rng.uniform(200, 1200))
            fe = D(g * D("0.039"))
            b.txn(F, d, "PayPal", f"PayPal sales CAD {d}", [P(PAYPAL, g - fe, "CAD"), P("Expenses:Fees:PayPal", fe, "CAD"), P("Income:Sales:Online", -g, "CAD")])
            ppc_bal += g - fe
        if d.weekday() == 4 and pp_bal > 0:
            k = chase(d, "PAYPAL TRANSFER", "PayPal payout", pp_bal, [P(PAYPAL, -pp_bal, U)], payee="PayPal")
            pp_payouts.append((k, d, pp_bal))
            pp_bal = D(0)
        if d.day == 20 and ppc_bal > 0:
            k = b.txn(F, d, "PAYPAL CANADA", "PayPal CAD payout", [P(RBC, ppc_bal, "CAD"), P(PAYPAL, -ppc_bal, "CAD")], {"fitid": "RBC" + num(9)}, btext="PAYPAL MSP")
            b.home[k] = RBC
            ppc_bal = D(0)
    # ---- monthly: rent, subscriptions, conversions, card payment, payroll
    rent, subs, topups, convs, cardpays, payroll = [], {s[0]: [] for s in SUBS}, [], [], [], []
    months = range(1, 13)
    for m in months:
        rent.append(chase(dt.date(2025, m, 1), "WAREHOUSE PARTNERS LLC ACH", "Warehouse rent", D(-4200), [P("Expenses:Rent", D(4200), U)], payee="Warehouse Partners LLC"))
        for j, (nm, tf, amt) in enumerate(SUBS):
            subs[nm].append(card(dt.date(2025, m, 4 + 5 * j), tf.format(n=num(7)), "Expenses:Software", D(amt), "Subscription"))
        eur = D(1000 if m % 2 else 1500)
        usd = D(eur * rate["EUR"] * D("1.004"))
        k = chase(dt.date(2025, m, 6), "WISE INC TOPUP", "Top up EUR account", -usd, [P(WISE, eur, "EUR", price=f"@@ {usd:.2f} USD")], payee="Wise")
        b.btext[(k, WISE)] = "Received money from MAPLE AND MORTAR GOODS"
        topups.append((k, dt.date(2025, m, 6), eur, usd))
        cad = D(5000)
        usd2 = D(cad * rate["CAD"] * D("0.995"))
        k = chase(dt.date(2025, m, 24), "RBC WIRE IN CAD CONV", "Convert CAD to USD", usd2, [P(RBC, -cad, "CAD", price=f"@@ {usd2:.2f} USD")], payee="RBC")
        b.btext[(k, RBC)] = "WIRE OUT TO CHASE USD"
        convs.append((k, dt.date(2025, m, 24), cad, usd2))
        cp = D(rng.uniform(3000, 7000))
        k = chase(dt.date(2025, m, 15), "AMEX EPAYMENT ACH PMT", "Amex payment", -cp, [P(CARD, cp, U)], payee="American Express")
        b.btext[(k, CARD)] = "AUTOPAY PAYMENT - THANK YOU"
        cardpays.append((k, dt.date(2025, m, 15), cp))
        chase(dt.date(2025, m, 28), "MONTHLY SERVICE FEE", "Bank fee", D(-15), [P("Expenses:BankFees", D(15), U)], payee="Chase")
    d = dt.date(2025, 1, 10)
    while d <= end:
        g = []
        for nm, net in (("J Rivera", 1850.00), ("K Osei", 1850.00), ("L Tran", 2210.45)):
            g.append(chase(d, f"GUSTO NET {d:%y%m%d} {nm.split()[1].upper()}", f"Net pay {nm}", D(-net), [P("Expenses:Payroll", D(net), U)], payee="Gusto"))
        chase(d, "GUSTO TAX", "Payroll taxes", D(-2140.30), [P("Expenses:Payroll", D(2140.30), U)], payee="Gusto")
        payroll.append(g)
        d += dt.timedelta(14)
    # ---- card spending
    cards = []
    for d in days:
        for _ in range(rng.choice([0, 1, 1, 1, 2])):
            mi = rng.randrange(len(CARDM))
            payee, tf, acct, lo, hi = CARDM[mi]
            amt = D(rng.uniform(lo, hi))
            text = tf.format(c=code(), n=num(7))
            if rng.random() < 0.12:
                k = typed_card(d, payee, "", acct, amt, btext=text)
            else:
                k = card(d, text, acct, amt)
                cards.append((k, d, mi, amt, text))
    # ---- bills (USD and EUR) and wholesale invoices
    bills = []
    vn = {}
    for m in months:
        for vi, (name, bt, nf, base) in enumerate(USV):
            if rng.random() < 0.7:
                vn[name] = vn.get(name, rng.randrange(100, 900)) + rng.randrange(1, 6)
                n = nf.format(n=vn[name])
                d = dt.date(2025, m, rng.randrange(1, 26))
                amt = D(base * rng.uniform(0.6, 1.4))
                k = b.txn(F, d, name, f"Bill {n}", [P(AP, -amt, U, meta={"invoice": n}), P("Expenses:Inventory", amt, U)], {"invoice": n, "due": d + dt.timedelta(30)})
                bills.append(["USD", vi, n, d, amt, k])
        for vi, (name, bt, nf, base) in enumerate(EUV):
            if rng.random() < 0.6:
                vn[name] = vn.get(name, rng.randrange(100, 900)) + rng.randrange(1, 6)
                n = nf.format(n=vn[name])
                d = dt.date(2025, m, rng.randrange(1, 26))
                amt = D(base * rng.uniform(0.6, 1.4))
                usd = D(amt * rate["EUR"])
                k = b.txn(F, d, name, f"Invoice {n}", [P(AP, -amt, "EUR", price=f"@ {rate['EUR']} USD", meta={"invoice": n}), P("Expenses:Inventory", usd, U)],
                          {"invoice": n, "due": d + dt.timedelta(30)})
                bills.append(["EUR", vi, n, d, amt, k])
    LAST = end

    def later(d, n):
        return min(d + dt.timedelta(n), LAST)

    def pay(bl, d, amt=None, narr=None, text=None, key=None):
        cur, vi, n, bd, gross, bk = bl
        amt = gross if amt is None else amt
        if cur == "USD":
            return chase(d, text or f"{USV[vi][1]} ACH {n}", narr or f"Payment {n}", -amt, [P(AP, amt, U, meta={"invoice": n})], payee=USV[vi][0])
        k = b.txn(F, d, EUV[vi][0], narr or f"Payment {n}", [P(WISE, -amt, "EUR"), P(AP, amt, "EUR", meta={"invoice": n})],
                  {"transaction_id": key or f"TRANSFER-{num(9)}"}, btext=text or f"Sent money to {EUV[vi][1]}")
        b.home[k] = WISE
        return k
    rng.shuffle(bills)
    special = bills[:22]
    normal_paid = []
    for bl in bills[22:]:
        pd_ = bl[3] + dt.timedelta(rng.randrange(15, 40))
        if pd_ <= LAST:
            normal_paid.append((bl, pay(bl, pd_)))
    invs = []
    CUST = [("Northern Goods Co", "CAD"), ("Bluebird Home Stores", "USD"), ("Coastline Gifts", "USD")]
    for m in months:
        for ci, (cn, cur) in enumerate(CUST):
            n = f"MM-{m:02d}{ci}{rng.randrange(10, 99)}"
            d = dt.date(2025, m, rng.randrange(2, 20))
            amt = D(rng.randrange(20, 80) * 50)
            if cur == "CAD":
                k = b.txn(F, d, cn, f"Invoice {n}", [P(AR, amt, "CAD", meta={"invoice": n}), P("Income:Sales:Wholesale", -amt, "CAD")], {"invoice": n})
            else:
                k = b.txn(F, d, cn, f"Invoice {n}", [P(AR, amt, U, meta={"invoice": n}), P("Income:Sales:Wholesale", -amt, U)], {"invoice": n})
            invs.append((ci, n, d, amt, cur, k))

    def receive(iv, d, amt=None, narr=None):
        ci, n, idt, gross, cur, ik = iv
        amt = gross if amt is None else amt
        if cur == "CAD":
            k = b.txn(F, d, CUST[ci][0], narr or f"Receipt {n}", [P(RBC, amt, "CAD"), P(AR, -amt, "CAD", meta={"invoice": n})], {"fitid": "RBC" + num(9)},
                      btext="NORTHERN GOODS CO EFT")
            b.home[k] = RBC
            return k
        return chase(d, f"{CUST[ci][0].upper()} ACH", narr or f"Receipt {n}", amt, [P(AR, -amt, U, meta={"invoice": n})], payee=CUST[ci][0])
    special_inv = invs[:3]
    for iv in invs[3:]:
        rd = iv[2] + dt.timedelta(rng.randrange(10, 45))
        if rd <= LAST:
            receive(iv, rd)

    # ================= duplicates =================
    sp = iter(special)
    # payout booked twice (bank feed + Stripe payout report)
    pool = payouts[5:-5]
    rng.shuffle(pool)
    for i in range(5):
        k, d, amt, pid = pool.pop()
        meta = {"stripe_payout": pid} if i < 3 else {"reference_id": pid}
        k2 = b.txn(F, d - dt.timedelta(i % 2), "Stripe", f"Payout {pid}", [P(CHASE, amt, U), P(STRIPE, -amt, U)], meta)
        b.dup("payout_twice", [k, k2], f"Stripe payout {amt} booked from the bank feed and the Stripe payout report")
    pp = pp_payouts[3:-3]
    rng.shuffle(pp)
    for i in range(2):
        k, d, amt = pp.pop()
        k2 = b.txn(F, d + dt.timedelta(i), "PayPal", "Transfer to bank account", [P(CHASE, amt, U), P(PAYPAL, -amt, U)], {"paypal_txn": code(17)})
        b.dup("payout_twice", [k, k2], f"PayPal payout {amt} booked from the bank feed and the PayPal report")
    # refund booked twice (Stripe report + by hand)
    rpool = refunds[5:-5]
    rng.shuffle(rpool)
    for i in range(4):
        k, d, amt = rpool.pop()
        k2 = b.txn(F, later(d, i % 3), "Stripe", f"Refund customer order - {['damaged', 'wrong size', 'lost parcel', 'cancelled'][i]}",
                   [P("Income:Sales:Refunds", amt, U), P(STRIPE, -amt, U)])
        b.dup("refund_twice", [k, k2], f"Stripe refund {amt} booked from the report and by hand")
    cpool = [c for c in cards]
    rng.shuffle(cpool)
    for i in range(2):
        k, d, mi, amt, text = cpool.pop()
        rd = later(d, 5 + i)
        r1 = card(rd, f"{text} CREDIT", CARDM[mi][2], -amt, "Return")
        r2 = typed_card(rd + dt.timedelta(i), CARDM[mi][0], "Refund for return", CARDM[mi][2], -amt)
        b.dup("refund_twice", [r1, r2], f"card refund {text} imported and typed")
    # bank line imported twice
    npool = [x for x in normal_paid if x[0][0] == "USD"]
    rng.shuffle(npool)
    for i in range(5):
        bl, k = npool.pop()
        src = [it for it in b.items if it[4] == k][0]
        cur, vi, n, bd, gross, bk = bl
        if i < 2:
            idv = [l for l in src[3] if "txn_id" in l][0].split('"')[1]
            k2 = chase(src[1], f"{USV[vi][1]} ACH {n}", f"Payment {n}", -gross, [P(AP, gross, U, meta={"invoice": n})], idv=idv, payee=USV[vi][0])
            b.dup("imported_twice_same_id", [k, k2], f"Chase line {USV[vi][0]} {n} imported twice")
        else:
            k2 = b.txn(F, src[1] + dt.timedelta(1), f"ORIG CO NAME:{USV[vi][1][:12]} CO ENTRY DESCR:PAYMENT", "",
                       [P(CHASE, -gross, U), P("Expenses:Uncategorized", gross, U)], {"fitid": f"{src[1]:%Y%m%d}" + num(6)}, flag="!")
            b.dup("imported_twice_other_id", [k, k2], f"Chase line {USV[vi][0]} {n} imported again from a QFX file")
    # card charge typed and imported
    for i in range(7):
        k, d, mi, amt, text = cpool.pop()
        k2 = typed_card(max(start, d - dt.timedelta(i % 3)), CARDM[mi][0], ["supplies", "ads", "labels", "receipt", "", "order", "boost"][i], CARDM[mi][2], amt)
        b.dup("typed_and_imported", [k, k2], f"card charge {text} also typed as {CARDM[mi][0]}")
    # bill entered twice
    vars_ = [lambda s: s.replace(" ", "").replace("/", "-"), lambda s: s.replace("-", ""), lambda s: "Inv " + s.lower(), lambda s: s.replace("-", "/"), lambda s: "#" + s]
    for i in range(5):
        bl = next(sp)
        cur, vi, n, bd, gross, bk = bl
        n2 = vars_[i](n)
        d2 = later(bd, rng.randrange(0, 11))
        if cur == "USD":
            k2 = b.txn(F, d2, USV[vi][0].replace(" Inc", "").replace(" LLC", ""), f"Bill {n2}", [P(AP, -gross, U, meta={"invoice": n2}), P("Expenses:Inventory", gross, U)], {"invoice": n2})
        else:
            r2 = (rate["EUR"] * D("1.01")).quantize(D("0.0001"))
            k2 = b.txn(F, d2, EUV[vi][0].upper(), f"Fatura/Rechnung {n2}", [P(AP, -gross, "EUR", price=f"@ {r2} USD", meta={"invoice": n2}), P("Expenses:Inventory", D(gross * r2), U)], {"invoice": n2})
        b.dup("bill_entered_twice", [bk, k2], f"{cur} bill {n} entered again as {n2}")
        pay(bl, later(bd, 30))
    # vendor invoice paid twice (both payments left the bank)
    for i in range(4):
        bl = next(sp)
        p1 = pay(bl, later(bl[3], 25))
        p2 = pay(bl, later(bl[3], 25 + [4, 12, 30, 6][i]), narr=f"Paid {bl[2]}", text=(f"{USV[bl[1]][1]} {bl[2].replace('-', '')}" if bl[0] == "USD" else None))
        b.dup("paid_twice", [p1, p2], f"{bl[0]} bill {bl[2]} paid twice", excl_accounts={})
    # transfer booked from both sides
    for i, (k, d, eur, usd) in enumerate(rng.sample(topups, 2)):
        k2 = b.txn(F, d + dt.timedelta(1), "Wise", "Received USD from Chase", [P(WISE, eur, "EUR", price=f"@@ {usd:.2f} USD"), P(CHASE, -usd, U)],
                   {"transaction_id": f"TRANSFER-{num(9)}"}, btext="Received money from MAPLE AND MORTAR GOODS")
        b.home[k2] = WISE
        b.dup("transfer_both_sides", [k, k2], "EUR top-up booked from the Chase feed and the Wise statement", excl_accounts={k: [WISE], k2: [CHASE]})
    for i, (k, d, cad, usd) in enumerate(rng.sample(convs, 2)):
        k2 = b.txn(F, d - dt.timedelta(1), "RBC Royal Bank", "Wire to Chase (USD)", [P(RBC, -cad, "CAD", price=f"@@ {usd:.2f} USD"), P(CHASE, usd, U)],
                   {"fitid": "RBC" + num(9)}, btext="WIRE OUT TO CHASE USD")
        b.home[k2] = RBC
        b.dup("transfer_both_sides", [k, k2], "CAD conversion booked from the RBC and the Chase side", excl_accounts={k: [RBC], k2: [CHASE]})
    for i, (k, d, cp) in enumerate(rng.sample(cardpays, 1)):
        k2 = card(d + dt.timedelta(1), "AUTOPAY PAYMENT - THANK YOU", CHASE, -cp)
        b.dup("transfer_both_sides", [k, k2], "Amex payment booked from the bank and the card", excl_accounts={k: [CARD], k2: [CHASE]})

    # ================= look-alikes =================
    for i in range(7):
        d = dt.date(2025, 1 + i, 12 + i)
        mi = [2, 3, 0, 2, 5, 4, 0][i]
        amt = D(rng.uniform(*CARDM[mi][3:5]))
        t1 = CARDM[mi][1].format(c=code(), n=num(7))
        t2 = CARDM[mi][1].format(c=code(), n=num(7)) if mi in (0, 3, 4) else t1
        b.look("same_day_identical", [card(d, t1, CARDM[mi][2], amt), card(d, t2, CARDM[mi][2], amt)], f"two {CARDM[mi][0]} charges of the same amount the same day")
    for i in range(3):
        d = dt.date(2025, 2 + 3 * i, 9)
        amt = D([29, 45, 64][i])
        ks = [b.txn(F, d, "Stripe", f"Refund order #{rng.randrange(1000, 9999)}", [P("Income:Sales:Refunds", amt, U), P(STRIPE, -amt, U)], {"txn_id": "re_" + code(14)}) for _ in range(2)]
        b.look("same_day_identical", ks, "two customers refunded the same amount the same day")
    for nm in subs:
        j = rng.randrange(0, 9)
        b.look("subscription", subs[nm][j:j + 3], f"{nm} monthly")
    b.look("rent", rent[3:6], "warehouse rent")
    for j in (2, 9, 16):
        b.look("payroll_equal", payroll[j][:2], "two staff with the same net pay")
    for i in range(4):
        k, d, mi, amt, text = cpool.pop()
        r = card(later(d, 2 + i), text, CARDM[mi][2], -amt, "Return")
        b.look("refund_next_to_purchase", [k, r], f"{text} bought and refunded")
    for i in range(2):
        iv = special_inv[i]
        part = D(iv[3] / 3)
        parts = [part, part, iv[3] - 2 * part]
        b.look("instalments", [receive(iv, later(iv[2], 10 + 30 * j), parts[j], f"{iv[1]} {j+1}/3") for j in range(3)], f"{CUST[iv[0]][0]} pays {iv[1]} in three parts")
    bl = next(sp)
    half = D(bl[4] / 2)
    b.look("instalments", [pay(bl, later(bl[3], 10), half, f"{bl[2]} 1st installment"), pay(bl, later(bl[3], 40), bl[4] - half, f"{bl[2]} 2nd installment")],
           f"{bl[2]} paid in two instalments")
    for i in range(2):
        bl = next(sp)
        a1 = D(bl[4] * D("0.7"))
        b.look("split_payment", [pay(bl, later(bl[3], 20), a1, f"Part payment {bl[2]}"), pay(bl, later(bl[3], 21 + i * 5), bl[4] - a1, f"Remainder {bl[2]}")],
               f"{bl[2]} paid in two parts")
    for i in range(4):
        d = dt.date(2025, 2 + 2 * i, 17)
        amt = D(rng.uniform(15, 80))
        b.look("abbreviated_payees", [card(d, f"AMZN Mktp US*{code()}", "Expenses:Office", amt), card(d + dt.timedelta(2 + i % 2), f"Amazon.com*{code()}", "Expenses:Office", amt)],
               "two different Amazon orders of the same amount")
    b.look("recurring_transfer", [t[0] for t in topups[0:5:2]], "monthly EUR top-ups of 1,000 EUR")
    b.look("recurring_transfer", [t[0] for t in convs[3:6]], "monthly CAD 5,000 conversions")
    # ================= harder plants =================
    for i in range(2):  # typed on purchase day, imported on posting day 3-4 days later, split
        k, d, mi, amt, text = cpool.pop()
        part = D(amt * D("0.6"))
        k2 = b.txn(F, max(start, d - dt.timedelta(3 + i)), CARDM[mi][0], "order, split", [P(CARDM[mi][2], part, U), P("Expenses:Office" if CARDM[mi][2] != "Expenses:Office" else "Expenses:Shipping", amt - part, U), P(CARD, -amt, U)])
        b.dup("typed_and_imported", [k, k2], f"card charge {text} typed days earlier as {CARDM[mi][0]} with the cost split")
    for i in range(2):  # payout report dated at initiation, 2 days before the bank
        k, d, amt, pid = pool.pop()
        k2 = b.txn(F, d - dt.timedelta(2), "Stripe", "Payout initiated", [P(CHASE, amt, U), P(STRIPE, -amt, U)], {"stripe_payout": pid})
        b.dup("payout_twice", [k, k2], f"Stripe payout {amt} booked at initiation and on arrival")
    bl = next(sp)  # USD bill paid by ACH and again by card
    p1 = pay(bl, later(bl[3], 20))
    p2 = b.txn(F, later(bl[3], 27), (USV[bl[1]][1] if bl[0] == "USD" else EUV[bl[1]][1]).upper(), "", [P(CARD, -bl[4], bl[0], price=(None if bl[0] == "USD" else f"@ {rate['EUR']} USD")), P(AP, bl[4], bl[0], meta={"invoice": bl[2]})] if bl[0] == "USD" else
               [P(CARD, D(-bl[4] * rate["EUR"]), U), P(AP, bl[4], "EUR", price=f"@ {rate['EUR']} USD", meta={"invoice": bl[2]})], {"fitid": "320" + num(12)}, btext=(USV[bl[1]][1] if bl[0] == "USD" else EUV[bl[1]][1]).upper())
    b.home[p2] = CARD
    b.dup("paid_twice", [p1, p2], f"{bl[0]} bill {bl[2]} paid by bank and again by card", excl_accounts={})
    eb = [x for x in sp if x[0] == "EUR"]
    bl = eb.pop()  # EUR bill paid from Wise and again by USD wire from Chase
    p1 = pay(bl, later(bl[3], 20))
    usd = D(bl[4] * rate["EUR"] * D("1.01"))
    p2 = chase(later(bl[3], 33), f"WIRE TYPE:INTL OUT BNF:{EUV[bl[1]][1].upper()[:16]}", f"Wire {bl[2]}", -usd, [P(AP, bl[4], "EUR", price=f"@@ {usd:.2f} USD", meta={"invoice": bl[2]})], payee=EUV[bl[1]][0])
    b.dup("paid_twice", [p1, p2], f"EUR bill {bl[2]} paid from Wise and again by USD wire", excl_accounts={})
    used_top = {x[1][0] for x in b.dups} | {k for x in b.looks for k in x[1]}
    k, d, eur, usd = [t for t in topups if t[0] not in used_top][3]
    k2 = b.txn(F, later(d, 3), "Wise", "Top-up arrived", [P(WISE, eur, "EUR", price=f"@@ {usd:.2f} USD"), P(CHASE, -usd, U)], {"transaction_id": f"TRANSFER-{num(9)}"},
               btext="Received money from MAPLE AND MORTAR GOODS")
    b.home[k2] = WISE
    b.dup("transfer_both_sides", [k, k2], "EUR top-up booked from both sides, 3 days apart", excl_accounts={k: [WISE], k2: [CHASE]})
    # ---- harder look-alikes
    for i in range(2):
        vi = [0, 3][i]
        d = dt.date(2025, 4 + 4 * i, 3)
        ks, bks = [], []
        for j in range(2):
            vn[USV[vi][0]] += 2
            n = USV[vi][2].format(n=vn[USV[vi][0]])
            bk = b.txn(F, d + dt.timedelta(j), USV[vi][0], f"Bill {n}", [P(AP, D(-1250), U, meta={"invoice": n}), P("Expenses:Inventory", D(1250), U)], {"invoice": n})
            bks.append(bk)
            ks.append(pay(["USD", vi, n, d, D(1250), bk], d + dt.timedelta(15 + 4 * j)))
        b.look("equal_bills", bks, f"two {USV[vi][0]} bills of 1,250.00 a day apart")
        b.look("equal_payments", ks, f"two {USV[vi][0]} bills of 1,250.00 paid 4 days apart")
    for i in range(2):
        d = dt.date(2025, 3 + 5 * i, 21)
        ks = [typed_card(d, "USPS", "postage" if j else "labels", "Expenses:Shipping", D("9.85"), btext=f"USPS PO {num(7)}") for j in range(2)]
        b.look("same_day_identical", ks, "two postage purchases typed by hand the same day")
    for i in range(2):
        d = dt.date(2025, 2 + 6 * i, 2)
        amt = D(["34.99", "18.75"][i])
        k1 = typed_card(d, "Amazon", "bubble wrap", "Expenses:Office", amt, btext=f"AMZN Mktp US*{code()}")
        k2 = card(d + dt.timedelta(12), f"AMZN Mktp US*{code()}", "Expenses:Office", amt)
        b.look("abbreviated_payees", [k1, k2], "typed Amazon order and another Amazon order of the same price 12 days later")
    n = "PBL-CN77"
    k1 = b.txn(F, dt.date(2025, 7, 8), USV[0][0], "Bill PBL-9077", [P(AP, D(-640), U, meta={"invoice": "PBL-9077"}), P("Expenses:Inventory", D(640), U)], {"invoice": "PBL-9077"})
    k2 = b.txn(F, dt.date(2025, 7, 15), USV[0][0], f"Credit memo {n} for PBL-9077", [P(AP, D(640), U, meta={"invoice": n}), P("Expenses:Inventory", D(-640), U)], {"invoice": n})
    b.look("credit_note", [k1, k2], "a bill and its credit memo")
    return b


BOYAML = """entity: {{name: "Maple & Mortar Goods Inc.", currency: USD}}
ledger: ledgers/shop.beancount
accounts:
  Assets:Bank:Chase:Operating:
    role: bank{s1}
  Assets:Bank:RBC:CAD:
    role: bank{s2}
  Assets:Bank:Wise:EUR:
    role: bank{s3}
  Liabilities:Card:AmexBusiness:
    role: card{s4}
  Assets:Clearing:Stripe: {{role: processor}}
  Assets:Clearing:PayPal: {{role: processor}}
  Liabilities:AccountsPayable: {{role: payable}}
  Assets:AccountsReceivable: {{role: receivable}}
  Expenses:Uncategorized: {{role: uncategorized}}
{fmts}"""
FMTS = """statement_formats:
  chase:
    kind: csv
    date: Posting Date
    date_format: "%m/%d/%Y"
    amount: Amount
    payee: Description
    memo: Type
  rbc:
    kind: csv
    date: Transaction Date
    date_format: "%m/%d/%Y"
    amount: CAD$
    payee: Description 1
    currency: CAD
  wise:
    kind: csv
    date: Date
    date_format: "%d-%m-%Y"
    amount: Amount
    currency: EUR
    payee: Description
    id: TransferWise ID
  amex:
    kind: csv
    date: Date
    date_format: "%m/%d/%Y"
    amount: Amount
    positive: outflow
    payee: Description
    id: Reference
"""


def main(finish):
    root = os.path.join(gen_common.OUT, "book2-shop")
    if os.path.exists(root):
        shutil.rmtree(root)
    b = gen(root)
    b.write()
    cfg = {"s1": "\n    statement: {format: chase, dir: statements/chase}", "s2": "\n    statement: {format: rbc, dir: statements/rbc-cad}",
           "s3": "\n    statement: {format: wise, dir: statements/wise-eur}", "s4": "\n    statement: {format: amex, dir: statements/amex}"}
    finish(b, "book2-shop", BOYAML, FMTS, cfg, {
        CHASE: ("chase", ["Details", "Posting Date", "Description", "Amount", "Type"],
                lambda r: ["DEBIT" if r[1] < 0 else "CREDIT", r[0].strftime("%m/%d/%Y"), r[3], f"{r[1]:.2f}", "ACH_DEBIT" if r[1] < 0 else "ACH_CREDIT"]),
        RBC: ("rbc-cad", ["Account Type", "Transaction Date", "Description 1", "CAD$"],
              lambda r: ["Chequing", r[0].strftime("%m/%d/%Y"), r[3], f"{r[1]:.2f}"]),
        WISE: ("wise-eur", ["TransferWise ID", "Date", "Amount", "Currency", "Description"],
               lambda r: [r[4], r[0].strftime("%d-%m-%Y"), f"{r[1]:.2f}", "EUR", r[3]]),
        CARD: ("amex", ["Date", "Description", "Amount", "Reference"],
               lambda r: [r[0].strftime("%m/%d/%Y"), r[3], f"{-r[1]:.2f}", r[4]]),
    }, main="ledgers/shop.beancount")
