"""Ridgeline Builders Ltd., Calgary AB, CAD, 2025: a general contractor.

Root accounts renamed (`Revenue`, `Costs`, `Capital`). Progress billing: monthly progress
claims with 5% GST and 10% holdback retained by the client; subcontractors billed the same
way, their holdback kept in a holdback trust account and released by cheque. Operating
account fed by a beangulp importer that links each entry to its bank line (`^atb-...`); the
trust account typed by hand; Scotiabank Visa fed from its CSV (`external_id`) and, for
receipts, published by a receipt app (`dext_id`, the app's own id). Payroll by Payworks
through a clearing account, CRA remittances, a truck loan, a yard lease.
"""

from datetime import date, timedelta
from decimal import Decimal

from core import Book, Posting, cents, money

from statements import Csv, num

OP = "Assets:Bank:ATB:Operating"
TRUST = "Assets:Bank:ATB:Holdback-Trust"
VISA = "Liabilities:Card:Scotia-Visa"
AR = "Assets:Receivable:Progress"
ARH = "Assets:Receivable:Holdback"
AP = "Liabilities:Payable:Trades"
APH = "Liabilities:Payable:Holdback"
GST = "Liabilities:GST:Collected"
ITC = "Assets:GST:Input-Credits"
PAYCLR = "Liabilities:Payroll:Clearing"
SD = "Liabilities:Payroll:Source-Deductions"
LOAN = "Liabilities:Loan:Ford-Credit"
SHAREHOLDER = "Liabilities:Due-to-Shareholder"

F_OP = "ledgers/bank/atb-operating.beancount"
F_TRUST = "ledgers/bank/holdback-trust.beancount"
F_VISA = "ledgers/card/scotia-visa.beancount"
F_DEXT = "ledgers/card/dext-receipts.beancount"
F_JOBS = "ledgers/jobs/billing.beancount"
F_SUBS = "ledgers/jobs/subtrades.beancount"
F_GEN = "ledgers/general.beancount"

TITLE = "Ridgeline Builders Ltd."


def gst(x):
    return money(x * Decimal("0.05"))


def build(rng):
    b = Book(
        "ridgeline",
        rng,
        "CAD",
        date(2025, 1, 1),
        date(2025, 12, 31),
        [("name_income", "Revenue"), ("name_expenses", "Costs"), ("name_equity", "Capital")],
        equity="Capital",
    )
    b.open(OP, opening="86400.00", idkey="^", idprefix="atb-")
    b.open(TRUST, opening="22150.00")
    b.open(VISA, idkey="external_id", idprefix="SV")
    b.open(LOAN, opening="-38400.00")
    P = _Plan(b, rng)
    P.clients()
    P.subtrades()
    P.materials()
    P.card()
    P.payroll()
    P.monthly()
    return b


class _Plan:
    def __init__(self, b, rng):
        self.b, self.r = b, rng
        self.cheque = 3410
        self.trust_cheque = 88

    def next_cheque(self):
        self.cheque += 1
        return str(self.cheque)

    def fed(self, ln, payee, narr, others, meta=None):
        return self.b.fed(F_OP, ln, payee, narr, others, meta)

    # --- progress billing ----------------------------------------------------------------
    def clients(self):
        b, r = self.b, self.r
        jobs = [
            ("241", "Harmon Family Trust", "EFT CREDIT HARMON FAMILY TR", range(1, 7), None),
            ("250", "Kensington Dental Corp.", "KENSINGTON DENTAL CORP", range(3, 11), None),
            ("255", "Town of Okotoks", "TOWN OF OKOTOKS AP EFT", range(2, 13), money("61250.00")),
        ]
        typed_receipt = {("241", 3), ("250", 7), ("255", 10)}
        twice_claim = {("250", 5): "250-5", ("255", 8): "PC 255/08"}
        prev = {}
        for job, client, desc, months, fixed in jobs:
            for m in months:
                day = date(2025, m, 28)
                claim = f"PC-{job}-{m:02d}"
                value = fixed or money(Decimal(r.randint(180, 820)) * 100)
                tax = gst(value)
                hold = money(value / 10)
                due = value - hold + tax
                post = [
                    b.other(AR, due),
                    b.other(ARH, hold),
                    b.other("Revenue:Contracts", -value),
                    b.other(GST, -tax),
                ]
                inv = b.txn(
                    F_JOBS,
                    day,
                    client,
                    f"Progress claim {claim}",
                    post,
                    {"invoice": claim, "job": job},
                )
                if (job, m) in twice_claim:
                    other = twice_claim[(job, m)]
                    c = b.txn(
                        F_JOBS,
                        day + timedelta(days=r.randint(3, 9)),
                        client,
                        f"Payment certificate {other} (architect)",
                        [
                            b.other(AR, due),
                            b.other(ARH, hold),
                            b.other("Revenue:Contracts", -value),
                            b.other(GST, -tax),
                        ],
                        {"invoice": other, "job": job},
                    )
                    b.dup(
                        "invoice_entered_twice",
                        "progress claim entered from our claim and "
                        "again from the architect's payment certificate",
                        inv,
                        c,
                    )
                pay_day = day + timedelta(days=r.randint(24, 38))
                if pay_day > b.end:
                    continue
                if job == "250" and m == 6:
                    first = money(due * Decimal("0.6"))
                    l1 = b.line(OP, pay_day, first, desc, kind="EFT")
                    t1 = self.fed(l1, client, f"Part payment {claim}", [b.other(AR, -first)])
                    l2 = b.line(OP, pay_day + timedelta(days=9), due - first, desc, kind="EFT")
                    t2 = self.fed(l2, client, f"Balance of {claim}", [b.other(AR, first - due)])
                    b.look("split_payment", "a progress claim paid in two parts", t1, t2)
                    continue
                ln = b.line(OP, pay_day, due, desc, kind="EFT")
                t = self.fed(
                    ln, client, f"Receipt {claim}", [b.other(AR, -due)], {"invoice": claim}
                )
                if (job, m) in typed_receipt:
                    c = b.txn(
                        F_JOBS,
                        pay_day - timedelta(days=r.randint(0, 3)),
                        client,
                        f"Remittance advice - {claim}",
                        [Posting(OP, due, "CAD"), b.other(AR, -due)],
                    )
                    b.dup(
                        "typed_and_imported",
                        "client payment typed from the remittance "
                        "advice and imported from the bank",
                        t,
                        c,
                    )
                if fixed and m in (4, 5, 9):
                    b.look(
                        "equal_claims",
                        "fixed-price contract: equal monthly progress claims, each its own number",
                        prev[job][0],
                        inv,
                    )
                if fixed and m in (5, 9):
                    b.look(
                        "equal_receipts",
                        "the town's equal payments of consecutive claims",
                        prev[job][1],
                        t,
                    )
                prev[job] = (inv, t)
        # holdback release on the Harmon job (substantially complete in June)
        held = sum(
            (
                p.units
                for t in b.txns
                for p in t.postings
                if p.account == ARH and t.meta.get("job") == "241"
            ),
            Decimal(0),
        )
        b.txn(
            F_JOBS,
            date(2025, 8, 18),
            "Harmon Family Trust",
            "Holdback release PC-241 (60 days after substantial completion)",
            [b.other(AR, held), b.other(ARH, -held)],
            {"invoice": "HB-241"},
        )
        ln = b.line(OP, date(2025, 9, 5), held, "EFT CREDIT HARMON FAMILY TR", kind="EFT")
        self.fed(ln, "Harmon Family Trust", "Holdback release HB-241", [b.other(AR, -held)])

    # --- subtrades -----------------------------------------------------------------------
    def subtrades(self):
        b, r = self.b, self.r
        subs = [
            ("Sparks Electric Ltd.", "SE-2025-", "SPARKS ELECTRIC LTD", "Electrical"),
            ("Bow River Plumbing & Heating Inc.", "BRP ", "BOW RIVER PLBG & HTG", "Plumbing"),
            ("Chinook Drywall Ltd.", "CD", "CHINOOK DRYWALL", "Drywall"),
            ("Foothills Framing Co.", "FF-", "FOOTHILLS FRAMING CO", "Framing"),
        ]
        twice = {
            (0, 4): lambda n: n[3:],
            (1, 7): lambda n: n[4:],
            (2, 3): lambda n: n.replace("-", " "),
            (3, 6): lambda n: n.replace("-", " "),
            (0, 10): lambda n: n.replace("-", "", 1),
        }
        paid_twice = {(1, 5): "eft", (2, 8): "cheque", (3, 9): "eft"}
        self.retained = {}
        prev = {}
        for m in range(1, 12):
            for i, (name, pre, desc, trade) in enumerate(subs):
                if r.random() < 0.15 and (i, m) not in twice and (i, m) not in paid_twice:
                    continue
                num_ = {
                    0: f"{pre}{36 + m}",
                    1: f"{pre}{1180 + m}",
                    2: f"{pre}-04{m:02d}",
                    3: f"{pre}03{m:02d}",
                }[i]
                value = money("12400.00") if i == 3 else money(Decimal(r.randint(40, 260)) * 100)
                if (i, m) == (1, 9):
                    value = prev[1][2]
                tax = gst(value)
                hold = money(value / 10)
                due = value - hold + tax
                day = date(2025, m, 25)
                meta = {"invoice": num_}
                posts = [
                    b.other(f"Costs:Subcontract:{trade}", value),
                    b.other(ITC, tax),
                    b.other(AP, -due),
                    b.other(APH, -hold),
                ]
                bill = b.txn(F_SUBS, day, name, f"Progress invoice {num_}", posts, meta)
                self.retained[m] = self.retained.get(m, Decimal(0)) + hold
                if (i, m) in twice:
                    other = twice[(i, m)](num_)
                    c = b.txn(
                        F_SUBS,
                        day + timedelta(days=r.randint(1, 8)),
                        name.split(" Ltd")[0].split(" Inc")[0].split(" Co.")[0],
                        f"Invoice {other}",
                        [
                            b.other(f"Costs:Subcontract:{trade}", value),
                            b.other(ITC, tax),
                            b.other(AP, -due),
                            b.other(APH, -hold),
                        ],
                        {"invoice": other} if i % 2 else {},
                    )
                    b.dup(
                        "bill_entered_twice",
                        "subtrade progress invoice entered from the "
                        "emailed PDF and again from the site super's copy",
                        bill,
                        c,
                    )
                pay_day = day + timedelta(days=30)
                if pay_day > b.end:
                    continue
                ln = b.line(OP, pay_day, -due, f"EFT DEBIT {desc}", kind="EFT")
                t = self.fed(ln, name, f"Payment {num_}", [b.other(AP, due)], {"invoice": num_})
                if (i, m) in paid_twice:
                    if paid_twice[(i, m)] == "eft":
                        l2 = b.line(
                            OP,
                            pay_day + timedelta(days=r.randint(5, 20)),
                            -due,
                            f"EFT DEBIT {desc}",
                            kind="EFT",
                        )
                        t2 = self.fed(
                            l2, name, f"Payment {num_}", [b.other(AP, due)], {"invoice": num_}
                        )
                    else:
                        no = self.next_cheque()
                        wd = pay_day + timedelta(days=6)
                        t2 = b.txn(
                            F_GEN,
                            wd,
                            name,
                            f"Cheque {no} - inv {num_}",
                            [b.other(AP, due), Posting(OP, -due, "CAD")],
                            {"invoice": num_},
                        )
                        b.line(OP, wd + timedelta(days=4), -due, f"CHEQUE {no}", ref=no, kind="CHQ")
                    b.dup("paid_twice", "subtrade invoice paid twice; both payments cleared", t, t2)
                if i == 3 and m in (3, 4):
                    b.look(
                        "equal_bills",
                        "framing subcontract billed in equal monthly draws",
                        prev[3][0],
                        bill,
                    )
                    b.look("equal_payments", "equal payments of the framing draws", prev[3][1], t)
                if (i, m) == (1, 9):
                    b.look(
                        "abbreviated_payees",
                        "two plumbing invoices of equal amount, the "
                        "bank line naming the sub by its short name",
                        prev[1][1],
                        t,
                    )
                prev[i] = (bill, t, value)
            if m == 7:
                cn = "SE-CN-0708"
                amt = money("1850.00")
                c1 = b.txn(
                    F_SUBS,
                    date(2025, 7, 30),
                    "Sparks Electric Ltd.",
                    f"Credit note {cn}: back-charge for damaged drywall",
                    [
                        b.other(AP, amt + gst(amt)),
                        b.other("Costs:Subcontract:Electrical", -amt),
                        b.other(ITC, -gst(amt)),
                    ],
                    {"invoice": cn},
                )
                b.look(
                    "credit_note", "a subtrade's credit note beside its invoices", prev[0][0], c1
                )
        # holdback retained moved to the trust account each month; releases by trust cheque
        for m in range(1, 12):
            amt = self.retained.get(m, Decimal(0))
            day = date(2025, m + 1, 3)
            lo = b.line(OP, day, -amt, "TRANSFER TO 00412-8810", kind="TFR")
            b.line(TRUST, day, amt, "TRANSFER FROM 00412-7702", kind="TFR")
            t = self.fed(
                lo, "ATB Financial", f"Holdback to trust {m:02d}/2025", [b.other(TRUST, amt)]
            )
            if m in (2, 6, 10):
                c = b.txn(
                    F_TRUST,
                    day,
                    "Transfer",
                    f"Holdback deposit for {m:02d}/2025",
                    [Posting(TRUST, amt, "CAD"), b.other(OP, -amt)],
                )
                b.dup(
                    "transfer_both_sides",
                    "holdback transfer imported from operating and "
                    "typed on the trust account's side",
                    t,
                    c,
                )
        for k, (name, amt, day) in enumerate(
            (
                ("Foothills Framing Co.", money("7440.00"), date(2025, 8, 20)),
                ("Sparks Electric Ltd.", money("4120.00"), date(2025, 8, 20)),
                ("Bow River Plumbing & Heating Inc.", money("3380.00"), date(2025, 9, 2)),
            )
        ):
            self.trust_cheque += 1
            no = f"{self.trust_cheque:04d}"
            t = b.txn(
                F_TRUST,
                day,
                name,
                f"Holdback release P-241 cheque {no}",
                [b.other(APH, amt), Posting(TRUST, -amt, "CAD")],
                {"cheque": no},
            )
            b.line(TRUST, day + timedelta(days=5), -amt, f"CHEQUE {no}", ref=no, kind="CHQ")
            if k == 0:
                ln = b.line(
                    OP, day + timedelta(days=22), -amt, "EFT DEBIT FOOTHILLS FRAMING CO", kind="EFT"
                )
                c = self.fed(ln, name, "Holdback P-241", [b.other(APH, amt)])
                b.dup(
                    "paid_twice",
                    "holdback released by trust cheque and again by EFT from "
                    "operating three weeks later",
                    t,
                    c,
                )

    # --- materials -----------------------------------------------------------------------
    def materials(self):
        b, r = self.b, self.r
        prev = None
        for k in range(30):
            day = date(2025, 1, 9) + timedelta(days=11 * k + r.randint(0, 3))
            inv = f"RML{r.randint(100000, 999999)}"
            value = prev[2] if k in (6, 19) else cents(r, 1800, 9600)
            bill = b.txn(
                F_SUBS,
                day,
                "Rocky Mountain Lumber Ltd.",
                f"Invoice {inv}",
                [
                    b.other("Costs:Materials", value),
                    b.other(ITC, gst(value)),
                    b.other(AP, -(value + gst(value))),
                ],
                {"invoice": inv},
            )
            no = self.next_cheque()
            wd = day + timedelta(days=28)
            due = value + gst(value)
            pay = b.txn(
                F_GEN,
                wd,
                "Rocky Mountain Lumber Ltd.",
                f"Chq {no} inv {inv}",
                [b.other(AP, due), Posting(OP, -due, "CAD")],
                {"invoice": inv},
            )
            b.line(
                OP, wd + timedelta(days=r.randint(2, 7)), -due, f"CHEQUE {no}", ref=no, kind="CHQ"
            )
            if k in (6, 19):
                b.look(
                    "equal_bills",
                    "the same standard lumber package ordered twice, two invoices",
                    prev[0],
                    bill,
                )
                b.look(
                    "equal_payments",
                    "two cheques of equal amount, each for its invoice",
                    prev[1],
                    pay,
                )
            if k == 12:
                c = b.txn(
                    F_GEN,
                    wd + timedelta(days=2),
                    "RM Lumber",
                    f"cheque {no}",
                    [b.other(AP, due), Posting(OP, -due, "CAD")],
                )
                b.dup("typed_twice", "a cheque entered twice from the cheque stub", pay, c)
            prev = (bill, pay, value)
        # a trailer bought on terms, paid in three instalments against one bill
        total = money("14700.00")
        bill = b.txn(
            F_SUBS,
            date(2025, 4, 2),
            "Big Iron Trailers",
            "Invoice BIT-5521 - dump trailer",
            [
                b.other("Assets:Equipment:Trailers", total),
                b.other(ITC, gst(total)),
                b.other(AP, -(total + gst(total))),
            ],
            {"invoice": "BIT-5521"},
        )
        parts = [bill]
        part = money((total + gst(total)) / 3)
        for i, word in enumerate(
            ("1st installment", "2nd installment", "3rd and final installment")
        ):
            ln = b.line(
                OP,
                date(2025, 4, 15) + timedelta(days=30 * i),
                -part,
                "EFT DEBIT BIG IRON TRAILERS",
                kind="EFT",
            )
            parts.append(
                self.fed(
                    ln,
                    "Big Iron Trailers",
                    f"BIT-5521 {word}",
                    [b.other(AP, part)],
                    {"invoice": "BIT-5521"},
                )
            )
        b.look("instalments", "a trailer paid in three equal instalments against one bill", *parts)

    # --- Visa ----------------------------------------------------------------------------
    def card(self):
        b, r = self.b, self.r
        shops = [
            ("Petro-Canada", "PETRO-CANADA 4021", "Costs:Fuel", 90, 240),
            ("Shell", "SHELL C05623 CALGARY", "Costs:Fuel", 80, 230),
            ("Home Depot", "HOME DEPOT #7051", "Costs:Materials", 25, 680),
            ("Windsor Plywood", "WINDSOR PLYWOOD CALG", "Costs:Materials", 60, 900),
            ("Tim Hortons", "TIM HORTONS #2210", "Costs:Meals", 12, 64),
            ("Staples", "STAPLES STORE 112", "Costs:Office", 20, 160),
        ]
        dext = {(1, 3): 0, (2, 8): 1, (4, 2): 0, (6, 11): 2, (8, 5): 1, (10, 9): 0}
        reimport = {(3, 4), (9, 1)}
        fills = {(3, 7), (7, 2), (11, 6)}
        self.sunbelt = []
        for m in range(1, 13):
            for i in range(12):
                payee, desc, acct, lo, hi = shops[r.randrange(len(shops))]
                if (m, i) in fills:
                    payee, desc, acct, lo, hi = shops[0]
                day = date(2025, m, 2 + 2 * i)
                amt = cents(r, lo, hi)
                base = amt - gst(amt / Decimal("1.05"))
                ln = b.line(VISA, day, -amt, desc)
                posts = [b.other(acct, base), b.other(ITC, amt - base)]
                t = b.fed(F_VISA, ln, payee, desc.title(), posts)
                if (m, i) in dext:
                    c = b.txn(
                        F_DEXT,
                        day - timedelta(days=dext[(m, i)]),
                        payee,
                        f"Receipt {r.randint(10000, 99999)} - site purchase",
                        [Posting(VISA, -amt, "CAD"), b.other(acct, base), b.other(ITC, amt - base)],
                        {"dext_id": f"DX{r.randint(10**8, 10**9 - 1)}"},
                    )
                    b.dup(
                        "receipt_app_and_feed",
                        "card purchase published from the receipt "
                        "app (its own id) and imported from the card CSV",
                        t,
                        c,
                    )
                if (m, i) in reimport:
                    c = b.fed(
                        F_VISA,
                        ln,
                        payee,
                        desc.title(),
                        [b.other(acct, base), b.other(ITC, amt - base)],
                    )
                    b.dup(
                        "imported_twice_same_id",
                        "card CSV imported twice over an overlapping range (same external_id)",
                        t,
                        c,
                    )
                if (m, i) in fills:
                    l2 = b.line(VISA, day, -amt, desc)
                    t2 = b.fed(
                        F_VISA,
                        l2,
                        payee,
                        desc.title(),
                        [b.other(acct, base), b.other(ITC, amt - base)],
                    )
                    b.look(
                        "same_day_identical",
                        "two trucks filled at the same pump limit, same "
                        "station and day, two card lines",
                        t,
                        t2,
                    )
                if (m, i) in ((5, 6), (9, 9)):
                    rl = b.line(VISA, day + timedelta(days=6), amt, f"RETURN {desc}")
                    t2 = b.fed(
                        F_VISA,
                        rl,
                        payee,
                        "Return",
                        [b.other(acct, -base), b.other(ITC, base - amt)],
                    )
                    b.look("refund_next_to_purchase", "materials returned six days later", t, t2)
                    if (m, i) == (9, 9):
                        c = b.txn(
                            F_GEN,
                            day + timedelta(days=5),
                            payee,
                            "Credit for return",
                            [
                                Posting(VISA, amt, "CAD"),
                                b.other(acct, -base),
                                b.other(ITC, base - amt),
                            ],
                        )
                        b.dup(
                            "refund_twice",
                            "a return credited on the card, imported and typed",
                            t2,
                            c,
                        )
            # receipts the owner paid himself, published from the receipt app to his loan
            for k in range(3):
                payee, _, acct, lo, hi = shops[(m + k) % len(shops)]
                amt = cents(r, lo, hi)
                base = amt - gst(amt / Decimal("1.05"))
                b.txn(
                    F_DEXT,
                    date(2025, m, 5 + 9 * k),
                    payee,
                    f"Receipt {r.randint(10000, 99999)} - paid by R. Sandhu",
                    [b.other(SHAREHOLDER, -amt), b.other(acct, base), b.other(ITC, amt - base)],
                    {"dext_id": f"DX{r.randint(10**8, 10**9 - 1)}"},
                )
            # weekly skid steer rental, same amount; porta-potties on two sites
            for w in range(4):
                ln = b.line(
                    VISA, date(2025, m, 3 + 7 * w), money("-787.50"), "SUNBELT RENTALS #612"
                )
                self.sunbelt.append(
                    b.fed(
                        F_VISA,
                        ln,
                        "Sunbelt Rentals",
                        "Skid steer weekly",
                        [
                            b.other("Costs:Equipment-Rental", money("750.00")),
                            b.other(ITC, money("37.50")),
                        ],
                    )
                )
            pots = []
            for site in ("Bowness", "Okotoks"):
                ln = b.line(VISA, date(2025, m, 15), money("-246.75"), "ALBERTA SITE SERVICES")
                pots.append(
                    b.fed(
                        F_VISA,
                        ln,
                        "Alberta Site Services",
                        f"Site toilet {site}",
                        [b.other("Costs:Site", money("235.00")), b.other(ITC, money("11.75"))],
                    )
                )
            if m in (2, 7):
                b.look(
                    "same_day_identical",
                    "two site toilets rented for two jobs, same amount and day, two card lines",
                    *pots,
                )
            ln = b.line(VISA, date(2025, m, 9), money("-604.80"), "PROCORE TECHNOLOGIES")
            t = b.fed(
                F_VISA,
                ln,
                "Procore",
                "Subscription",
                [b.other("Costs:Software", money("576.00")), b.other(ITC, money("28.80"))],
            )
            if m in (4, 5):
                self.procore = [*getattr(self, "procore", []), t]
            laptop = m in (3, 4, 5, 6)
            if laptop:
                ln = b.line(VISA, date(2025, m, 20), money("-412.25"), "AFFIRM CANADA LENOVO")
                t = b.fed(
                    F_VISA,
                    ln,
                    "Affirm",
                    f"Lenovo laptop payment {m - 2}/4",
                    [b.other("Costs:Office", money("412.25"))],
                )
                self.laptop = [*getattr(self, "laptop", []), t]
        b.look("recurring_rental", "weekly skid steer rental, same amount", *self.sunbelt[4:8])
        b.look("subscription", "Procore, same amount monthly", *self.procore)
        b.look(
            "instalments",
            "a laptop paid in four equal monthly payments (1/4 ... 4/4), no bill booked",
            *self.laptop,
        )
        # Visa paid from operating on the 25th
        for m in range(2, 13):
            owed = -sum(
                (ln.amount for ln in b.lines if ln.account == VISA and ln.date < date(2025, m, 1)),
                Decimal(0),
            )
            day = date(2025, m, 25)
            lo = b.line(OP, day, -owed, "SCOTIABANK VISA PMT", kind="BP")
            lv = b.line(VISA, day + timedelta(days=2), owed, "PAYMENT - THANK YOU")
            t = self.fed(lo, "Scotiabank", "Visa payment", [b.other(VISA, owed)])
            if m in (5, 11):
                c = b.fed(F_VISA, lv, "Scotiabank", "Payment thank you", [b.other(OP, -owed)])
                b.dup(
                    "transfer_both_sides",
                    "card payment imported from the bank and from the card CSV",
                    t,
                    c,
                )

    # --- payroll -------------------------------------------------------------------------
    def payroll(self):
        b, r = self.b, self.r
        day = date(2025, 1, 10)
        n = 0
        month_sd = {}
        while day <= b.end:
            n += 1
            gross = cents(r, 21000, 29000)
            wh = money(gross * Decimal("0.24"))
            net = gross - wh
            j = b.txn(
                F_GEN,
                day,
                "Payworks",
                f"Payroll journal {day}",
                [b.other("Costs:Payroll:Wages", gross), b.other(SD, -wh), b.other(PAYCLR, -net)],
            )
            ln = b.line(OP, day, -net, "PAYWORKS PAYROLL", kind="PAY")
            t = self.fed(ln, "Payworks", "Net pay", [b.other(PAYCLR, net)])
            if n in (3, 12, 20):
                b.look(
                    "payroll_clearing",
                    "the payroll journal and the net pay debit: same "
                    "amount and day, one through the clearing account",
                    j,
                    t,
                )
            if n in (7, 18):
                c = b.txn(
                    F_GEN,
                    day,
                    "Payworks",
                    f"Net pay {day}",
                    [b.other("Costs:Payroll:Wages", net), Posting(OP, -net, "CAD")],
                )
                b.dup(
                    "typed_and_imported",
                    "net pay typed straight to wages and also "
                    "imported (the journal already holds it)",
                    t,
                    c,
                )
            month_sd[day.month] = (
                month_sd.get(day.month, Decimal(0)) + wh + money(gross * Decimal("0.07"))
            )
            b.txn(
                F_GEN,
                day,
                "Payworks",
                "Employer CPP/EI",
                [
                    b.other("Costs:Payroll:Employer", money(gross * Decimal("0.07"))),
                    b.other(SD, -money(gross * Decimal("0.07"))),
                ],
            )
            day += timedelta(days=14)
        for m, amt in month_sd.items():
            if m == 12:
                continue
            ln = b.line(OP, date(2025, m + 1, 14), -amt, "CRA RECEIVER GENERAL", kind="BP")
            self.fed(ln, "Receiver General", f"Source deductions {m:02d}/2025", [b.other(SD, amt)])

    # --- monthly -------------------------------------------------------------------------
    def monthly(self):
        b = self.b
        rent, loan = [], []
        for m in range(1, 13):
            ln = b.line(OP, date(2025, m, 1), money("-3570.00"), "FOOTHILLS IND YARD", kind="PAD")
            rent.append(
                self.fed(
                    ln,
                    "Foothills Industrial Yard",
                    "Yard lease",
                    [b.other("Costs:Rent", money("3400.00")), b.other(ITC, money("170.00"))],
                )
            )
            ln = b.line(OP, date(2025, m, 12), money("-1142.36"), "FORD CREDIT CANADA", kind="PAD")
            interest = money(Decimal("38400") * Decimal("0.079") / 12 * (1 - Decimal(m - 1) / 36))
            loan.append(
                self.fed(
                    ln,
                    "Ford Credit",
                    f"F-250 loan payment {m}/36",
                    [
                        b.other(LOAN, money("1142.36") - interest),
                        b.other("Costs:Interest", interest),
                    ],
                )
            )
            ln = b.line(OP, date(2025, m, 20), money("-1280.00"), "INTACT INS PAD", kind="PAD")
            b.fed(
                F_OP,
                ln,
                "Intact Insurance",
                "CGL and fleet insurance",
                [b.other("Costs:Insurance", money("1280.00"))],
            )
            ln = b.line(OP, date(2025, m, 28), money("-32.50"), "ACCOUNT FEE", kind="FEE")
            b.fed(
                F_OP,
                ln,
                "ATB Financial",
                "Account fee",
                [b.other("Costs:BankFees", money("32.50"))],
            )
        b.look("rent", "yard lease, same amount monthly", *rent[:3])
        b.look("loan_payment", "truck loan, the same payment every month", *loan[5:8])
        # an overlapping export re-imported: the same links again
        again = [t for t in b.txns if t.file == F_OP and t.date == date(2025, 6, 30)][:1]
        again += [
            t for t in b.txns if t.file == F_OP and t.date.month == 10 and t.payee == "Payworks"
        ][:1]
        again += [t for t in b.txns if t.file == F_OP and t.payee == "Intact Insurance"][2:3]
        for t in again:
            c = b.txn(
                F_OP,
                t.date,
                t.payee,
                t.narration,
                [Posting(p.account, p.units, p.currency) for p in t.postings],
                dict(t.meta),
                t.links,
            )
            b.dup(
                "imported_twice_same_id",
                "a bank line imported again from an overlapping download (same ^atb link)",
                t,
                c,
            )


# --- statements and settings -----------------------------------------------------------------
def _atb():
    return Csv(
        [
            ("Date", lambda ln, _: f"{ln.date:%d-%b-%Y}"),
            ("Description", lambda ln, _: ln.desc),
            ("Reference", lambda ln, _: ln.ref),
            ("Withdrawals", lambda ln, _: num(-ln.amount, ".", ",") if ln.amount < 0 else ""),
            ("Deposits", lambda ln, _: num(ln.amount, ".", ",") if ln.amount > 0 else ""),
            ("Balance", lambda ln, bal: num(bal, ".", ",")),
        ]
    )


def _visa():
    return Csv(
        [
            ("Transaction Date", lambda ln, _: f"{ln.date:%Y/%m/%d}"),
            ("Description", lambda ln, _: ln.desc),
            ("Amount", lambda ln, _: num(abs(ln.amount))),
            ("DR/CR", lambda ln, _: "DR" if ln.amount < 0 else "CR"),
            ("Reference", lambda ln, _: ln.id),
        ]
    )


def statements():
    return {
        OP: ("statements/atb-operating", _atb(), "csv"),
        TRUST: ("statements/atb-trust", _atb(), "csv"),
        VISA: ("statements/visa", _visa(), "csv"),
    }


def bo_yaml(with_statements):
    st = {
        OP: "    statement: {format: atb, dir: statements/atb-operating}\n",
        TRUST: "    statement: {format: atb, dir: statements/atb-trust}\n",
        VISA: "    statement: {format: scotia-visa, dir: statements/visa}\n",
    }
    if not with_statements:
        st = {}
    fmts = (
        """
statement_formats:
  atb:                          # ATB Financial business banking CSV
    date: Date
    date_format: "%d-%b-%Y"
    debit: Withdrawals
    credit: Deposits
    payee: Description
    reference: Reference
    balance: Balance
  scotia-visa:
    date: Transaction Date
    date_format: "%Y/%m/%d"
    amount: Amount
    direction: DR/CR
    payee: Description
    id: Reference
"""
        if with_statements
        else ""
    )
    return f"""entity:
  name: "{TITLE}"
  currency: CAD
  country: CA
  subdivision: AB

accounts:
  {OP}:
    role: bank
{st.get(OP, "")}  {TRUST}:
    role: bank
{st.get(TRUST, "")}  {VISA}:
    role: card
{st.get(VISA, "")}  {AR}:
    role: receivable
  {AP}:
    role: payable
  {GST}:
    role: sales_tax
  {LOAN}:
    role: loan
{fmts}"""
