"""Book 3: bean-example's personal ledger (accounts as generated) plus a design side business,
with imported bank and card feeds that repeat some of its entries."""
import datetime as dt
import os

import gen_common
import random
import re
import shutil
import subprocess

from gen_common import Book, P, D

U = "USD"
CHK = "Assets:US:BofA:Checking"
SLATE = "Liabilities:US:Chase:Slate"
AP = "Liabilities:AccountsPayable"
AR = "Assets:US:SideBiz:Receivable"
ETR = "Assets:US:ETrade:Cash"
EX = "ledgers/example.beancount"
SB = "ledgers/side-business.beancount"
IB = "ledgers/imports/bofa.beancount"
IC = "ledgers/imports/chase.beancount"
SIDE_OPEN = [AR, "Income:US:SideBiz:Design", "Expenses:SideBiz:Software", "Expenses:SideBiz:Contractors",
             "Expenses:SideBiz:Supplies", "Expenses:SideBiz:Printing", "Expenses:Uncategorized"]


def make_example(root):
    path = os.path.join(root, EX)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    subprocess.run([os.path.join(gen_common.BIN, "bean-example"), "--seed", "42", "--date-begin", "2023-01-01", "--date-end", "2025-06-30",
                    "--date-birth", "1984-05-12", "-o", path], check=True, stderr=subprocess.DEVNULL)
    text = open(path).read().split("\n")
    # duplicates change the two accounts' balances, so their balance assertions would fail: drop them
    keep = [l for l in text if not re.match(r"^\d{4}-\d\d-\d\d balance (Assets:US:BofA:Checking|Liabilities:US:Chase:Slate) ", l)]
    keep += ['include "side-business.beancount"', 'include "imports/bofa.beancount"', 'include "imports/chase.beancount"', ""]
    open(path, "w").write("\n".join(keep))
    for f in (SB, IB, IC):  # empty until the generator writes them
        os.makedirs(os.path.dirname(os.path.join(root, f)), exist_ok=True)
        open(os.path.join(root, f), "w").close()


def load_example(root):
    from beancount import loader
    from beancount.core import data
    entries, errors, _ = loader.load_file(os.path.join(root, EX))
    txns = [e for e in entries if isinstance(e, data.Transaction) and e.meta["filename"].endswith("example.beancount")]
    return txns


def amt_of(e, acct):
    return sum((p.units.number for p in e.postings if p.account == acct), D(0))


def gen(root, seed=303):
    rng = random.Random(seed)
    make_example(root)
    ex = load_example(root)
    b = Book(root)
    extra = {}

    def exkey(e):
        k = f"ex{e.meta['lineno']}"
        extra[k] = {"file": EX, "line": e.meta["lineno"]}
        return k
    b.heads[SB] = "\n".join(f"2023-01-01 open {a}" for a in SIDE_OPEN)
    b.heads[IB] = "; BofA checking lines, imported from the bank's CSV export"
    b.heads[IC] = "; Chase card lines, imported with bo-compatible ids"

    def num(n):
        return str(rng.randrange(10 ** (n - 1), 10 ** n))

    def code(n=6):
        return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(n))

    def bimp(d, text, amt, other, narr="", file=SB, idv=None, payee=None):
        k = b.txn(file, d, payee or text, narr, [P(CHK, amt, U)] + other, {"bank-txn-id": idv or ("BOFA" + num(12))}, btext=text)
        b.home[k] = CHK
        return k

    def cimp(d, text, acct, amt, narr="", file=SB, idv=None):
        k = b.txn(file, d, text, narr, [P(SLATE, -amt, U), P(acct, amt, U)], {"import-id": idv or ("chase-" + code(10).lower())}, btext=text)
        b.home[k] = SLATE
        return k
    start, end = dt.date(2023, 1, 1), dt.date(2025, 6, 30)

    def later(d, n):
        return min(d + dt.timedelta(n), end)
    # ---------------- side business ----------------
    CL = [("Harrow Bakery", "HARROW BAKERY"), ("Quill & Ink Press", "QUILL INK PRESS"), ("Tessellate Labs", "TESSELLATE LABS INC"), ("Moss Yoga Studio", "MOSS YOGA")]
    VE = [("Pixelwright Studio", "PIXELWRIGHT STUDIO", "PW-{n}", "Expenses:SideBiz:Contractors", 800),
          ("Riso Print Collective", "RISO PRINT COLL", "RPC{n}", "Expenses:SideBiz:Printing", 260),
          ("Dana Kim (copywriter)", "DANA KIM", "DK-{y}-{n}", "Expenses:SideBiz:Contractors", 450)]
    invs, bills, subs = [], [], {"Adobe": [], "Figma": []}
    vn = {i: rng.randrange(100, 400) for i in range(3)}
    inv_n = 100
    months = [(y, m) for y in (2023, 2024, 2025) for m in range(1, 13) if dt.date(y, m, 1) <= end]
    for (y, m) in months:
        for ci in rng.sample(range(4), 2):
            inv_n += 1
            n = f"KL-{inv_n}"
            d = dt.date(y, m, rng.randrange(1, 25))
            a = D(rng.randrange(6, 40) * 50)
            k = b.txn(SB, d, CL[ci][0], f"Invoice {n}", [P(AR, a, U, meta={"invoice": n}), P("Income:US:SideBiz:Design", -a, U)], {"invoice": n})
            invs.append([ci, n, d, a, k])
        for vi, (vnm, bt, nf, acct, base) in enumerate(VE):
            if rng.random() < 0.45:
                vn[vi] += rng.randrange(1, 7)
                n = nf.format(n=vn[vi], y=y)
                d = dt.date(y, m, rng.randrange(1, 25))
                a = D(base * rng.uniform(0.6, 1.5))
                k = b.txn(SB, d, vnm, f"Bill {n}", [P(AP, -a, U, meta={"invoice": n}), P(acct, a, U)], {"invoice": n, "due": d + dt.timedelta(21)})
                bills.append([vi, n, d, a, k])
        subs["Adobe"].append(cimp(dt.date(y, m, 9), "ADOBE *CREATIVE CLOUD", "Expenses:SideBiz:Software", D("54.99"), "Subscription"))
        subs["Figma"].append(cimp(dt.date(y, m, 14), "FIGMA MONTHLY", "Expenses:SideBiz:Software", D("15.00"), "Subscription"))
        for _ in range(rng.randrange(3, 7)):
            d = dt.date(y, m, rng.randrange(1, 29))
            if rng.random() < 0.5:
                cimp(d, f"BLICK ART {num(4)}", "Expenses:SideBiz:Supplies", D(rng.uniform(12, 140)))
            else:
                cimp(d, f"AMZN Mktp US*{code()}", "Expenses:SideBiz:Supplies", D(rng.uniform(9, 90)))
    tfr = []
    for (y, m) in months:
        tfr.append(bimp(dt.date(y, m, 27), "ONLINE TRANSFER TO ETRADE", D(-400), [P(ETR, D(400), U)], "Side business savings", payee="Transfer to E*Trade"))

    def receive(iv, d, amt=None, narr=None, file=SB, idv=None):
        ci, n, idt, a, k = iv
        amt = a if amt is None else amt
        return bimp(d, f"{CL[ci][1]} DES:PAYMENT", amt, [P(AR, -amt, U, meta={"invoice": n})], narr or f"Payment {n}", file=file, idv=idv, payee=CL[ci][0])

    def pay(bl, d, amt=None, narr=None, file=SB, idv=None, text=None):
        vi, n, bd, a, k = bl
        amt = a if amt is None else amt
        return bimp(d, text or f"ZELLE TO {VE[vi][1]} {n}", -amt, [P(AP, amt, U, meta={"invoice": n})], narr or f"Pay {n}", file=file, idv=idv, payee=VE[vi][0])
    rng.shuffle(invs)
    rng.shuffle(bills)
    sinv, sbill = invs[:10], bills[:14]
    paid_inv, paid_bill = [], []
    for iv in invs[10:]:
        d = iv[2] + dt.timedelta(rng.randrange(7, 40))
        if d <= end:
            paid_inv.append((iv, receive(iv, d)))
    for bl in bills[14:]:
        d = bl[2] + dt.timedelta(rng.randrange(5, 25))
        if d <= end:
            paid_bill.append((bl, pay(bl, d)))

    # ---------------- duplicates of bean-example's entries ----------------
    def pick(pred, n):
        c = [e for e in ex if pred(e) and dt.date(2023, 2, 1) <= e.date <= dt.date(2025, 6, 20)]
        return rng.sample(c, n)
    food = pick(lambda e: amt_of(e, SLATE) < 0 and any(p.account.startswith("Expenses:Food") for p in e.postings), 8)
    for i, e in enumerate(food):
        a = -amt_of(e, SLATE)
        acct = [p.account for p in e.postings if p.account != SLATE][0]
        text = (["SQ *", "TST* ", "", "POS "][i % 4] + e.payee.upper().replace("'", "")[:18] + f" {num(4)}").strip()
        k = cimp(e.date + dt.timedelta(i % 3), text, acct if i % 2 else "Expenses:Uncategorized", a, file=IC)
        b.dup("typed_and_imported", [k, exkey(e)], f"card charge {e.payee} {a} typed (example) and imported as {text}")
    utils = pick(lambda e: e.payee == "EDISON POWER", 2) + pick(lambda e: e.payee == "Verizon Wireless", 2) + pick(lambda e: e.payee == "Wine-Tarner Cable", 1)
    for i, e in enumerate(utils):
        a = amt_of(e, CHK)
        text = {"EDISON POWER": "EDISON POWER DES:AUTOPAY", "Verizon Wireless": "VZ WIRELESS VE DES:PAYMENTREC", "Wine-Tarner Cable": "WINE-TARNER CBL DES:BILL PAY"}[e.payee]
        acct = [p.account for p in e.postings if p.account != CHK][0]
        k = bimp(e.date + dt.timedelta(i % 2), text, a, [P(acct, -a, U)], file=IB)
        b.dup("typed_and_imported", [k, exkey(e)], f"bank debit {e.payee} {a} typed (example) and imported")
    ccp = pick(lambda e: e.narration == "Paying off credit card" and amt_of(e, CHK) < -50, 4)
    for i, e in enumerate(ccp):
        a = amt_of(e, SLATE)
        k = b.txn(IC, e.date + dt.timedelta(1 + i % 2), "AUTOMATIC PAYMENT - THANK", "", [P(SLATE, a, U), P(CHK, -a, U)], {"import-id": "chase-" + code(10).lower()},
                  btext="AUTOMATIC PAYMENT - THANK")
        b.home[k] = SLATE
        kx = exkey(e)
        b.dup("transfer_both_sides", [kx, k], f"credit card payment {a} booked from checking (example) and from the card feed",
              excl_accounts={kx: [SLATE], k: [CHK]})
    pay_ = pick(lambda e: e.narration == "Payroll", 3)
    for i, e in enumerate(pay_):
        a = amt_of(e, CHK)
        k = bimp(e.date + dt.timedelta(i % 2), f"{e.payee.upper()} INC DES:PAYROLL", a, [P([p.account for p in e.postings if p.account.endswith(":Salary")][0], -a, U)], file=IB, narr="Paycheck")
        b.dup("typed_and_imported", [k, exkey(e)], f"net pay {a} booked from the payslip (example) and from the bank feed")
    rent = pick(lambda e: e.payee == "RiverBank Properties", 2)
    for i, e in enumerate(rent):
        a = amt_of(e, CHK)
        k = b.txn(SB, e.date + dt.timedelta(i), "RiverBank Properties", "Rent", [P("Expenses:Home:Rent", -a, U), P(CHK, a, U)])
        b.dup("typed_twice", [exkey(e), k], f"rent {a} typed twice")
    # ---------------- duplicates in the side business ----------------
    pb = list(paid_bill)
    rng.shuffle(pb)
    for i in range(4):
        bl, k = pb.pop()
        src = [it for it in b.items if it[4] == k][0]
        idv = [l for l in src[3] if "bank-txn-id" in l][0].split('"')[1]
        k2 = pay(bl, src[1], file=IB, idv=idv)
        b.dup("imported_twice_same_id", [k, k2], f"bank line paying {bl[1]} imported twice")
    pi = list(paid_inv)
    rng.shuffle(pi)
    for i in range(2):
        iv, k = pi.pop()
        src = [it for it in b.items if it[4] == k][0]
        k2 = b.txn(IB, src[1] + dt.timedelta(1), f"{CL[iv[0]][1][:16]} PAYMENT", "", [P(CHK, iv[3], U), P("Expenses:Uncategorized", -iv[3], U)],
                   {"fitid": f"{src[1]:%Y%m%d}{num(8)}"}, flag="!")
        b.dup("imported_twice_other_id", [k, k2], f"client receipt {iv[1]} imported again from an OFX download")
    sb = iter(sbill)
    vs = [lambda s: s.replace("-", ""), lambda s: "#" + s.lower(), lambda s: s.replace("-", " "), lambda s: "Invoice no. " + s]
    for i in range(4):
        bl = next(sb)
        vi, n, bd, a, k = bl
        n2 = vs[i](n)
        k2 = b.txn(SB, later(bd, rng.randrange(0, 11)), VE[vi][0].split(" (")[0], f"Invoice {n2}", [P(AP, -a, U, meta={"invoice": n2}), P(VE[vi][3], a, U)], {"invoice": n2})
        b.dup("bill_entered_twice", [k, k2], f"{VE[vi][0]} bill {n} entered again as {n2}")
        pay(bl, later(bd, 14))
    for i in range(3):
        bl = next(sb)
        p1 = pay(bl, later(bl[2], 10))
        p2 = pay(bl, later(bl[2], 10 + [2, 11, 26][i]), text=f"ZELLE TO {VE[bl[0]][1][:8]} CONF# {code(8)}", narr=f"Paid {bl[1]}")
        b.dup("paid_twice", [p1, p2], f"{VE[bl[0]][0]} {bl[1]} paid twice", excl_accounts={})
    for i in range(2):
        d = dt.date(2024, 3 + 4 * i, 11)
        a = D(rng.uniform(40, 120))
        cimp(d, f"BLICK ART {num(4)}", "Expenses:SideBiz:Supplies", a)
        r1 = cimp(later(d, 6), "BLICK ART REFUND", "Expenses:SideBiz:Supplies", -a, "Return")
        r2 = b.txn(SB, later(d, 6 + i), "Blick Art Materials", "Refund for returned paper", [P(SLATE, a, U), P("Expenses:SideBiz:Supplies", -a, U)])
        b.dup("refund_twice", [r1, r2], "supplies refund imported and typed")
    # ---------------- look-alikes ----------------
    def series(pred, n):
        c = [e for e in ex if pred(e)]
        j = rng.randrange(0, len(c) - n)
        return [exkey(e) for e in c[j:j + n]]
    b.look("rent", series(lambda e: e.payee == "RiverBank Properties", 3), "monthly rent (example)")
    b.look("rent", series(lambda e: e.payee == "RiverBank Properties", 3), "monthly rent (example)")
    b.look("payroll_equal", series(lambda e: e.narration == "Payroll", 3), "biweekly paychecks of the same amount (example)")
    b.look("payroll_equal", series(lambda e: e.narration == "Payroll", 3), "biweekly paychecks of the same amount (example)")
    b.look("subscription", series(lambda e: e.payee == "BANK FEES", 3), "monthly bank fee (example)")
    b.look("subscription", series(lambda e: e.payee == "Metro Transport Authority", 3), "monthly tram tickets (example)")
    for nm in subs:
        j = rng.randrange(0, 20)
        b.look("subscription", subs[nm][j:j + 3], f"{nm} monthly")
    for i in range(4):
        d = dt.date(2023 + i % 3, 2 + 3 * i, 18)
        a = D(rng.uniform(8, 60))
        if i % 2:
            ks = [cimp(d, f"BLICK ART {num(4)}", "Expenses:SideBiz:Supplies", a)]
            ks.append(cimp(d, ks and b.btext[ks[0]], "Expenses:SideBiz:Supplies", a))
        else:
            ks = [cimp(d, f"AMZN Mktp US*{code()}", "Expenses:SideBiz:Supplies", a) for _ in range(2)]
        b.look("same_day_identical", ks, "two identical supply purchases the same day")
    for i in range(3):
        d = dt.date(2024, 1 + 4 * i, 20)
        a = D(rng.uniform(20, 90))
        k1 = cimp(d, f"AMZN Mktp US*{code()}", "Expenses:SideBiz:Supplies", a)
        k2 = cimp(later(d, 2), "AMZN Mktp US*RETURN", "Expenses:SideBiz:Supplies", -a, "Return")
        b.look("refund_next_to_purchase", [k1, k2], "Amazon order returned")
    for i in range(2):
        iv = sinv[i]
        part = D(iv[3] / 3)
        b.look("instalments", [receive(iv, later(iv[2], 10 + 20 * j), [part, part, iv[3] - 2 * part][j], f"{iv[1]} payment {j+1} of 3") for j in range(3)],
               f"client pays {iv[1]} in three parts")
    bl = next(sb)
    half = D(bl[3] / 2)
    b.look("instalments", [pay(bl, later(bl[2], 5), half, f"{bl[1]} 1/2"), pay(bl, later(bl[2], 35), bl[3] - half, f"{bl[1]} 2/2")], f"{bl[1]} paid in two halves")
    for i in range(2):
        bl = next(sb)
        a1 = D(bl[3] * D("0.4"))
        b.look("split_payment", [pay(bl, later(bl[2], 7), a1, f"Deposit on {bl[1]}"), pay(bl, later(bl[2], 7 + 3 * i), bl[3] - a1, f"Balance {bl[1]}")],
               f"{bl[1]} paid as deposit and balance")
    for i in range(4):
        d = dt.date(2023 + i % 3, 3 + 2 * i, 6)
        a = D(rng.uniform(15, 70))
        b.look("abbreviated_payees", [cimp(d, f"AMZN Mktp US*{code()}", "Expenses:SideBiz:Supplies", a),
                                      cimp(later(d, 1 + i), f"AMAZON MKTPL*{code()}", "Expenses:SideBiz:Supplies", a)], "two different Amazon orders of the same amount")
    b.look("recurring_transfer", tfr[4:7], "monthly transfer to E*Trade")
    b.look("recurring_transfer", tfr[15:18], "monthly transfer to E*Trade")
    for i in range(2):
        ks = []
        for j in range(2):
            n = f"PW-{900 + 10 * i + j}"
            d = dt.date(2024, 5 + 3 * i, 3 + 2 * j)
            ks.append(b.txn(SB, d, "Pixelwright Studio", f"Bill {n} retainer", [P(AP, D(-750), U, meta={"invoice": n}), P("Expenses:SideBiz:Contractors", D(750), U)], {"invoice": n}))
        b.look("equal_bills", ks, "two retainer bills of the same amount from one contractor, different numbers")
    for i in range(2):
        ivs = sinv[2 + 2 * i: 4 + 2 * i]
        d = later(max(ivs[0][2], ivs[1][2]), 12)
        amt = D(600 + 100 * i)
        ks = [receive(iv, d, amt, f"Payment on account {iv[1]}") for iv in ivs]
        b.look("equal_receipts", ks, "two clients pay the same amount the same day")
    # ================= harder plants =================
    used = {x for d_ in b.dups for x in d_[1]}
    food2 = [e for e in pick(lambda e: amt_of(e, SLATE) < 0 and e.payee and "Market" in e.payee, 6) if exkey(e) not in used][:2]
    for i, e in enumerate(food2):
        a = -amt_of(e, SLATE)
        acct = [p.account for p in e.postings if p.account != SLATE][0]
        k = cimp(later(e.date, 3 + i), e.payee.upper()[:12] + f" #{num(3)}", acct, a, file=IC)
        b.dup("typed_and_imported", [k, exkey(e)], f"card charge {e.payee} {a} typed on the day (example), imported on posting {3 + i} days later")
    bl = next(sb)
    vi, n, bd, a, k = bl
    k2 = b.txn(SB, later(bd, 8), VE[vi][0].split()[0], f"{VE[vi][0].split()[0]} bill {n.split('-')[-1]}", [P(AP, -a, U), P("Expenses:Uncategorized", a, U)])
    b.dup("bill_entered_twice", [k, k2], f"{VE[vi][0]} {n} entered again without its number in metadata")
    pay(bl, later(bd, 12))
    bl = next(sb)
    p1 = pay(bl, later(bl[2], 9))
    p2 = cimp(later(bl[2], 15), f"SQ *{VE[bl[0]][1][:14]}", AP, bl[3])
    b.dup("paid_twice", [p1, p2], f"{VE[bl[0]][0]} {bl[1]} paid by Zelle and again by card", excl_accounts={})
    e = [x for x in pick(lambda e: e.narration == "Paying off credit card" and amt_of(e, CHK) < -50, 6) if exkey(x) not in used][0]
    a = amt_of(e, SLATE)
    k = b.txn(IC, later(e.date, 3), "Payment Thank You-Mobile", "", [P(SLATE, a, U), P(CHK, -a, U)], {"import-id": "chase-" + code(10).lower()}, btext="Payment Thank You-Mobile")
    b.home[k] = SLATE
    kx = exkey(e)
    b.dup("transfer_both_sides", [kx, k], f"credit card payment {a} from checking (example) and the card feed 3 days later", excl_accounts={kx: [SLATE], k: [CHK]})
    e = [x for x in pick(lambda e: e.narration == "Payroll", 6) if exkey(x) not in used][0]
    a = amt_of(e, CHK)
    k = bimp(e.date - dt.timedelta(2), f"{e.payee.upper()} DIRECT DEP", a, [P("Expenses:Uncategorized", -a, U)], file=IB, narr="")
    b.dup("typed_and_imported", [k, exkey(e)], f"net pay {a} (example) and the direct deposit imported 2 days earlier to uncategorized")
    # ---- harder look-alikes
    for i in range(2):
        d = dt.date(2024, 9 + 2 * i, 2)
        ks, bks = [], []
        for j in range(2):
            n = f"PW-{950 + 5 * i + j}"
            bk = b.txn(SB, d + dt.timedelta(j), "Pixelwright Studio", f"Bill {n}", [P(AP, D(-480), U, meta={"invoice": n}), P("Expenses:SideBiz:Contractors", D(480), U)], {"invoice": n})
            bks.append(bk)
            ks.append(pay([0, n, d, D(480), bk], d + dt.timedelta(10 + 3 * j)))
        b.look("equal_bills", bks, "two Pixelwright bills of 480.00 a day apart")
        b.look("equal_payments", ks, "two Pixelwright bills of 480.00 paid 3 days apart")
    for i in range(2):
        d = dt.date(2024 + i, 4, 16)
        ks = [b.txn(SB, d, "Blick Art Materials", "sketchbooks" if j else "markers", [P("Expenses:SideBiz:Supplies", D("23.40"), U), P(SLATE, D("-23.40"), U)], btext=f"BLICK ART {num(4)}") for j in range(2)]
        b.look("same_day_identical", ks, "two identical supply purchases typed by hand the same day")
    for i in range(2):
        d = dt.date(2024, 2 + 5 * i, 7)
        amt = D(["29.99", "14.25"][i])
        k1 = b.txn(SB, d, "Amazon", "printer paper", [P("Expenses:SideBiz:Supplies", amt, U), P(SLATE, -amt, U)], btext=f"AMZN Mktp US*{code()}")
        k2 = cimp(later(d, 12), f"AMZN Mktp US*{code()}", "Expenses:SideBiz:Supplies", amt)
        b.look("abbreviated_payees", [k1, k2], "typed Amazon order and another of the same price 12 days later")
    k1 = bimp(dt.date(2024, 10, 8), "ONLINE TRANSFER TO ETRADE", D(-2500), [P(ETR, D(2500), U)], "Park cash", payee="Transfer to E*Trade")
    k2 = bimp(dt.date(2024, 10, 12), "ONLINE TRANSFER FROM ETRADE", D(2500), [P(ETR, D(-2500), U)], "Cash back for tax", payee="Transfer from E*Trade")
    b.look("transfer_and_back", [k1, k2], "2,500 to E*Trade and back four days later")
    k1 = b.txn(SB, dt.date(2025, 2, 4), "Riso Print Collective", "Bill RPC990", [P(AP, D(-310), U, meta={"invoice": "RPC990"}), P("Expenses:SideBiz:Printing", D(310), U)], {"invoice": "RPC990"})
    k2 = b.txn(SB, dt.date(2025, 2, 10), "Riso Print Collective", "Credit note RPC990-CR (misprint)", [P(AP, D(310), U, meta={"invoice": "RPC990-CR"}), P("Expenses:SideBiz:Printing", D(-310), U)], {"invoice": "RPC990-CR"})
    b.look("credit_note", [k1, k2], "a bill and its credit note")
    return b, extra


BOYAML = """entity: {{name: "Personal and Kim Lee Design", currency: USD}}
ledger: ledgers/example.beancount
accounts:
  Assets:US:BofA:Checking:
    role: bank{s1}
  Liabilities:US:Chase:Slate:
    role: card{s2}
  Liabilities:AccountsPayable: {{role: payable}}
  Assets:US:SideBiz:Receivable: {{role: receivable}}
  Expenses:Uncategorized: {{role: uncategorized}}
commodities: {{not_money: [VACHR, IRAUSD]}}
{fmts}"""
FMTS = """statement_formats:
  bofa:
    kind: csv
    date: Date
    date_format: "%m/%d/%Y"
    amount: Amount
    payee: Description
  chase-card:
    kind: csv
    date: Transaction Date
    date_format: "%m/%d/%Y"
    amount: Amount
    payee: Description
    memo: Type
"""


def main(finish):
    root = os.path.join(gen_common.OUT, "book3-personal")
    if os.path.exists(root):
        shutil.rmtree(root)
    b, extra = gen(root)
    b.write()
    kol = {(v["file"], v["line"]): k for k, v in extra.items()}
    cfg = {"s1": "\n    statement: {format: bofa, dir: statements/bofa}", "s2": "\n    statement: {format: chase-card, dir: statements/chase}"}
    finish(b, "book3-personal", BOYAML, FMTS, cfg, {
        CHK: ("bofa", ["Date", "Description", "Amount"], lambda r: [r[0].strftime("%m/%d/%Y"), r[3], f"{r[1]:.2f}"]),
        SLATE: ("chase", ["Transaction Date", "Post Date", "Description", "Category", "Type", "Amount"],
                lambda r: [r[0].strftime("%m/%d/%Y"), (r[0] + dt.timedelta(1)).strftime("%m/%d/%Y"), r[3], "", "Sale" if r[1] < 0 else "Payment", f"{r[1]:.2f}"]),
    }, extra_locs=extra, key_of_loc=kol, main=EX)
