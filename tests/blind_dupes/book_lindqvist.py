"""Lindqvist & Haas Kommunikation GmbH, Berlin, EUR, 2025: a communications agency.

Sparkasse Giro in EUR fed over FinTS (`transaction_id`), and for a spell also from a CAMT
import that wrote the end-to-end reference (`camt_ref`); Revolut Business accounts in USD and
GBP fed by a script over Revolut's API (`revolut_id`); a Commerzbank corporate Mastercard
typed by the office manager from the monthly PDF (no ids). Clients pay retainers in EUR (19%
VAT), USD and GBP (reverse charge); freelancers paid in their currency; USD swept to the
Giro at the day's rate. German wording throughout (Rechnung, Gutschrift, 1. Rate).
"""

from datetime import date, timedelta
from decimal import Decimal

from core import Book, Posting, cents, money

from statements import Csv, num

GIRO = "Assets:Bank:Sparkasse:Giro"
USD = "Assets:Bank:Revolut:USD"
GBP = "Assets:Bank:Revolut:GBP"
MC = "Liabilities:Card:Commerzbank-MC"
SAVINGS = "Assets:Bank:Sparkasse:Tagesgeld"
AR = "Assets:Receivables"
AP = "Liabilities:Payables"
VAT_OUT = "Liabilities:VAT:Output"
VAT_IN = "Assets:VAT:Input"
PAYROLL = "Liabilities:Payroll:Taxes"

F_GIRO = "ledgers/import/sparkasse.beancount"
F_CAMT = "ledgers/import/sparkasse-camt.beancount"
F_REV = "ledgers/import/revolut.beancount"
F_MC = "ledgers/card/mastercard.beancount"
F_DOCS = "ledgers/belege/rechnungen.beancount"
F_PAY = "ledgers/belege/lohn.beancount"
F_MAN = "ledgers/belege/manuell.beancount"

TITLE = "Lindqvist & Haas Kommunikation GmbH"
RATE = {"USD": Decimal("0.9210"), "GBP": Decimal("1.1840")}


def eur(amount, cur, day):
    """The day's rate: a slow drift over the year, so equal USD amounts differ in EUR."""
    drift = Decimal(day.timetuple().tm_yday - 180) / Decimal(20000)
    return money(amount * (RATE[cur] + drift))


def _rate(cur, day):
    drift = Decimal(day.timetuple().tm_yday - 180) / Decimal(20000)
    return (RATE[cur] + drift).quantize(Decimal("0.0001"))


# month-end rates in the main file, as the bookkeeper enters them for the reports
MAIN_EXTRA = "\n".join(
    f"{date(2025, m, 28)} price {cur} {_rate(cur, date(2025, m, 28))} EUR"
    for m in range(1, 13)
    for cur in ("USD", "GBP")
)


def vat(x):
    return money(x * Decimal("0.19"))


def build(rng):
    b = Book("lindqvist", rng, "EUR", date(2025, 1, 1), date(2025, 12, 31))
    b.open(GIRO, opening="64000.00", idkey="transaction_id", idprefix="")
    b.open(USD, "USD", opening="25000.00", idkey="revolut_id", idprefix="6f1a")
    b.open(GBP, "GBP", opening="8000.00", idkey="revolut_id", idprefix="6f1b")
    b.open(MC)
    b.open(SAVINGS, opening="40000.00")
    P = _Plan(b, rng)
    P.clients()
    P.freelancers()
    P.payroll()
    P.card()
    P.monthly()
    P.sweeps()
    P.furniture()
    return b


class _Plan:
    def __init__(self, b, rng):
        self.b, self.r = b, rng

    # --- clients -------------------------------------------------------------------------
    def clients(self):
        b, r = self.b, self.r
        prev = {}
        clients = [
            ("Stadtwerke Potsdam GmbH", "EUR", GIRO, "STADTWERKE POTSDAM GMBH", "fixed"),
            ("Brauerei Kessler AG", "EUR", GIRO, "BRAUEREI KESSLER AG", "project"),
            ("Northwind Outdoor Inc.", "USD", USD, "NORTHWIND OUTDOOR INC", "fixed"),
            ("Hallam & Pike Ltd", "GBP", GBP, "HALLAM AND PIKE LTD", "project"),
        ]
        typed = {(0, 5), (1, 8), (2, 7)}
        n = 0
        for m in range(1, 13):
            for i, (name, cur, acct, desc, kind) in enumerate(clients):
                if kind == "project" and m % 2 == (i % 2):
                    continue
                n += 1
                no = f"RE-2025-{n:03d}"
                day = date(2025, m, 3 if kind == "fixed" else 15)
                if cur == "EUR":
                    net = (
                        money("8500.00")
                        if kind == "fixed"
                        else money(Decimal(r.randint(30, 140)) * 100)
                    )
                    gross = net + vat(net)
                    posts = [
                        b.other(AR, gross),
                        b.other("Income:Honorare", -net),
                        b.other(VAT_OUT, -vat(net)),
                    ]
                else:
                    net = (
                        money("12000.00")
                        if kind == "fixed"
                        else money(Decimal(r.randint(25, 90)) * 100)
                    )
                    gross = net
                    posts = [
                        b.other(AR, net, cur, f"@@ {eur(net, cur, day)} EUR"),
                        b.other("Income:Honorare", -eur(net, cur, day)),
                    ]
                inv = b.txn(F_DOCS, day, name, f"Rechnung {no}", posts, {"invoice": no})
                pay_day = day + timedelta(days=r.randint(12, 30))
                if pay_day > b.end:
                    continue
                if i == 3 and m in (4, 10):
                    half = money(gross / 2)
                    l1 = b.line(acct, pay_day, half, desc, ref=no)
                    t1 = b.fed(F_REV, l1, name, f"Anzahlung 50% {no}", [b.other(AR, -half, cur)])
                    l2 = b.line(acct, pay_day + timedelta(days=21), gross - half, desc, ref=no)
                    t2 = b.fed(
                        F_REV, l2, name, f"Restzahlung {no}", [b.other(AR, half - gross, cur)]
                    )
                    b.look(
                        "split_payment", "half on account, half on delivery, one invoice", t1, t2
                    )
                    continue
                ln = b.line(acct, pay_day, gross, desc, ref=no)
                t = b.fed(
                    F_GIRO if acct == GIRO else F_REV,
                    ln,
                    name,
                    f"Zahlung {no}",
                    [b.other(AR, -gross, cur)],
                    {"invoice": no},
                )
                if (i, m) in typed:
                    c = b.txn(
                        F_MAN,
                        pay_day - timedelta(days=r.randint(1, 2)),
                        name,
                        f"Zahlungseingang {no} lt. Avis",
                        [Posting(acct, gross, cur), b.other(AR, -gross, cur)],
                    )
                    b.dup(
                        "typed_and_imported",
                        "client payment typed from the payment advice and imported from the bank",
                        t,
                        c,
                    )
                if kind == "fixed" and m in (3, 8):
                    b.look(
                        "equal_invoices",
                        "monthly retainer: equal invoices, consecutive numbers",
                        prev[i][0],
                        inv,
                    )
                    b.look("equal_receipts", "equal retainer payments a month apart", prev[i][1], t)
                prev[i] = (inv, t)
        # a client's overpayment refunded; the refund booked twice
        ln = b.line(
            GIRO,
            date(2025, 6, 20),
            money("-1615.00"),
            "BRAUEREI KESSLER AG",
            ref="Rueckerstattung Doppelzahlung",
        )
        t = b.fed(
            F_GIRO,
            ln,
            "Brauerei Kessler AG",
            "Erstattung Überzahlung",
            [b.other(AR, money("1615.00"))],
        )
        c = b.txn(
            F_MAN,
            date(2025, 6, 19),
            "Kessler",
            "Rückerstattung Überzahlung RE-2025-021",
            [b.other(AR, money("1615.00")), Posting(GIRO, money("-1615.00"), "EUR")],
        )
        b.dup(
            "refund_twice", "a refund to a client booked from the bank and typed when ordered", t, c
        )
        b.txn(
            F_MAN,
            date(2025, 6, 12),
            "Brauerei Kessler AG",
            "Überzahlung erhalten",
            [Posting(GIRO, money("1615.00"), "EUR"), b.other(AR, money("-1615.00"))],
        )
        b.line(GIRO, date(2025, 6, 12), money("1615.00"), "BRAUEREI KESSLER AG", ref="RE-2025-021")

    # --- freelancers ---------------------------------------------------------------------
    def freelancers(self):
        b, r = self.b, self.r
        people = [
            ("Dana Whitfield", "USD", USD, "DANA WHITFIELD", "DW-"),
            ("Tom Avery Illustration", "GBP", GBP, "TOM AVERY ILLUS", "TA"),
            ("Studio Meerblau", "EUR", GIRO, "STUDIO MEERBLAU UG", "SMB-"),
        ]
        twice = {
            (0, 4): "dw 2025 04",
            (1, 7): "TA-0725",
            (2, 3): "SMB 2025/03",
            (2, 10): "SMB-2025-10 ",
        }
        paid_twice = {(0, 9): GIRO, (1, 5): GBP, (2, 6): GIRO, (2, 11): GIRO}
        prev = {}
        for m in range(1, 13):
            for i, (name, cur, acct, desc, pre) in enumerate(people):
                no = {0: f"{pre}2025-{m:02d}", 1: f"{pre}{m:02d}25", 2: f"{pre}2025-{m:02d}"}[i]
                day = date(2025, m, 26)
                amt = money("4000.00") if i == 0 else cents(r, 900, 3800)
                if (i, m) == (2, 8):
                    amt = prev[2][2]
                posts = (
                    [
                        b.other("Expenses:Fremdleistungen", eur(amt, cur, day)),
                        b.other(AP, -amt, cur, f"@@ {eur(amt, cur, day)} EUR"),
                    ]
                    if cur != "EUR"
                    else [b.other("Expenses:Fremdleistungen", amt), b.other(AP, -amt)]
                )
                payee = "Meerblau UG" if (i, m) == (2, 8) else name
                bill = b.txn(F_DOCS, day, payee, f"Rechnung {no}", posts, {"invoice": no})
                if (i, m) in twice:
                    other = twice[(i, m)].strip()
                    c = b.txn(
                        F_DOCS,
                        day + timedelta(days=r.randint(2, 9)),
                        ("Dana Whitfield", "T. Avery", "Meerblau")[i],
                        f"Rechnung Nr. {other}",
                        posts[:1]
                        + [Posting(p.account, p.units, p.currency, p.price) for p in posts[1:]],
                        {"invoice": other} if i != 2 else {},
                    )
                    b.dup(
                        "bill_entered_twice",
                        "freelancer invoice entered from the email and again from the uploaded PDF",
                        bill,
                        c,
                    )
                pay_day = day + timedelta(days=10)
                if pay_day > b.end:
                    continue
                ln = b.line(acct, pay_day, -amt, desc, ref=no)
                t = b.fed(
                    F_GIRO if acct == GIRO else F_REV,
                    ln,
                    name,
                    f"Zahlung {no}",
                    [b.other(AP, amt, cur)],
                    {"invoice": no},
                )
                if (i, m) in paid_twice:
                    via = paid_twice[(i, m)]
                    d2 = pay_day + timedelta(days=r.randint(6, 19))
                    if via == acct:
                        l2 = b.line(acct, d2, -amt, desc, ref=no)
                        t2 = b.fed(
                            F_GIRO if acct == GIRO else F_REV,
                            l2,
                            name,
                            f"Zahlung {no}",
                            [b.other(AP, amt, cur)],
                            {"invoice": no},
                        )
                        if (i, m) == (2, 11):
                            again = b.txn(
                                F_MAN,
                                pay_day + timedelta(days=1),
                                name,
                                f"Überweisung {no}",
                                [b.other(AP, amt), Posting(GIRO, -amt, "EUR")],
                            )
                            b.dup(
                                "typed_twice",
                                "a transfer typed from the online banking "
                                "confirmation the day after it was imported (the imported "
                                "entry is also in a paid_twice set)",
                                t,
                                again,
                            )
                    else:
                        e = eur(amt, cur, d2)
                        l2 = b.line(GIRO, d2, -e, f"{desc} USD WIRE", ref=no)
                        t2 = b.fed(
                            F_GIRO,
                            l2,
                            name,
                            f"Auslandsüberweisung {no}",
                            [b.other(AP, amt, cur, f"@@ {e} EUR")],
                        )
                    b.dup(
                        "paid_twice",
                        "freelancer paid twice; both transfers left the bank"
                        + (
                            " (USD from Revolut, then EUR by wire from the Giro)"
                            if via != acct
                            else ""
                        ),
                        t,
                        t2,
                    )
                if i == 0 and m in (2, 6):
                    b.look(
                        "equal_payments",
                        "the US developer's fixed monthly fee, paid each month",
                        prev[0][1],
                        t,
                    )
                if (i, m) == (2, 8):
                    b.look(
                        "abbreviated_payees",
                        "two studio invoices of equal amount, the second "
                        "entered under the name on its letterhead, Meerblau UG",
                        prev[2][0],
                        bill,
                    )
                prev[i] = (bill, t, amt)
            if m == 9:
                gs = money("450.00")
                g = b.txn(
                    F_DOCS,
                    date(2025, 9, 30),
                    "Studio Meerblau",
                    "Gutschrift GS-SMB-09 zu Rechnung SMB-2025-09",
                    [b.other(AP, gs), b.other("Expenses:Fremdleistungen", -gs)],
                    {"invoice": "GS-SMB-09"},
                )
                b.look(
                    "credit_note", "a freelancer's credit note beside its invoice", prev[2][0], g
                )

    # --- payroll -------------------------------------------------------------------------
    def payroll(self):
        b, r = self.b, self.r
        staff = [
            ("Jonas Berger", 2890),
            ("Mira Okafor", 2890),
            ("Lena Haas", 5120),
            ("Erik Lindqvist", 5600),
            ("Paula Nowak", 3310),
        ]
        for m in range(1, 13):
            pair = []
            total_tax = Decimal(0)
            for who, net in staff:
                n = money(net + (r.randint(1, 40) if who == "Mira Okafor" and m % 4 == 1 else 0))
                day = date(2025, m, 27)
                ln = b.line(GIRO, day, -n, who.upper(), ref=f"Gehalt {m:02d}/2025")
                t = b.fed(
                    F_GIRO,
                    ln,
                    who,
                    f"Gehalt {m:02d}/2025",
                    [b.other("Expenses:Personal:Gehalt", n)],
                )
                total_tax += money(n * Decimal("0.62"))
                if who in ("Jonas Berger", "Mira Okafor"):
                    pair.append(t)
            if m % 4 != 1:
                b.look("payroll_equal", "two juniors with the same net salary, same day", *pair)
            day = date(2025, m, 10)
            for payee, desc, share in (
                ("Finanzamt Friedrichshain-Kreuzberg", "FINANZAMT FRIEDRICHSHAIN", Decimal("0.45")),
                ("AOK Nordost", "AOK NORDOST", Decimal("0.55")),
            ):
                amt = money(total_tax * share)
                ln = b.line(GIRO, day, -amt, desc, ref=f"Lohnsteuer/SV {m:02d}/2025")
                b.fed(
                    F_GIRO,
                    ln,
                    payee,
                    f"Abgaben {m:02d}/2025",
                    [b.other("Expenses:Personal:Abgaben", amt)],
                )

    # --- Mastercard (typed) --------------------------------------------------------------
    def card(self):
        b, r = self.b, self.r
        shops = [
            ("Lufthansa", "LUFTHANSA 2204711", "Expenses:Reisen", 120, 690),
            ("Deutsche Bahn", "DB VERTRIEB GMBH", "Expenses:Reisen", 29, 160),
            ("Amazon", "AMZN MKTP DE", "Expenses:Buero", 12, 240),
            ("Motel One", "MOTEL ONE HAMBURG", "Expenses:Reisen", 89, 240),
            ("Restaurant Nola", "NOLA BERLIN", "Expenses:Bewirtung", 40, 260),
        ]
        twice = {(2, 1): 0, (5, 3): 2, (9, 0): 1}
        self.mc_lines = []
        for m in range(1, 13):
            for i in range(7):
                payee, desc, acct, lo, hi = shops[r.randrange(len(shops))]
                if (m, i) == (6, 2) or (m, i) == (6, 4):
                    payee, desc, acct, lo, hi = shops[1]
                day = date(2025, m, 2 + 4 * i)
                amt = cents(r, lo, hi)
                if (m, i) == (6, 4):
                    amt = self.db_amt
                posted = day + timedelta(days=r.randint(1, 2))
                b.line(MC, posted, -amt, desc)
                t = b.txn(
                    F_MC,
                    day,
                    payee,
                    f"{payee} lt. Beleg",
                    [Posting(MC, -amt, "EUR"), b.other(acct, amt)],
                )
                if (m, i) in twice:
                    c = b.txn(
                        F_MC,
                        posted + timedelta(days=twice[(m, i)]),
                        payee.split()[0],
                        f"Kreditkarte {desc.title()}",
                        [Posting(MC, -amt, "EUR"), b.other(acct, amt)],
                    )
                    b.dup(
                        "typed_twice",
                        "card purchase typed from the receipt and again from "
                        "the monthly card statement, no ids",
                        t,
                        c,
                    )
                if (m, i) == (6, 2):
                    self.db_amt, self.db_t = amt, t
                if (m, i) == (6, 4):
                    b.look(
                        "abbreviated_payees",
                        "two train tickets of the same fare a week apart",
                        self.db_t,
                        t,
                    )
                if (m, i) == (4, 3):
                    rl = b.line(MC, posted + timedelta(days=8), amt, f"GUTSCHRIFT {desc}")
                    t2 = b.txn(
                        F_MC,
                        rl.date,
                        payee,
                        "Erstattung Storno",
                        [Posting(MC, amt, "EUR"), b.other(acct, -amt)],
                    )
                    b.look(
                        "refund_next_to_purchase",
                        "a cancelled booking refunded a week later",
                        t,
                        t2,
                    )
            # two colleagues on the same train, one ticket each
            if m in (3, 9):
                day = date(2025, m, 18)
                ts = []
                for who in ("J. Berger", "M. Okafor"):
                    b.line(MC, day + timedelta(days=1), money("-79.90"), "DB VERTRIEB GMBH")
                    ts.append(
                        b.txn(
                            F_MC,
                            day,
                            "Deutsche Bahn",
                            f"ICE Berlin-Hamburg {who}",
                            [
                                Posting(MC, money("-79.90"), "EUR"),
                                b.other("Expenses:Reisen", money("79.90")),
                            ],
                        )
                    )
                b.look(
                    "same_day_identical",
                    "two colleagues' tickets, same fare and day, the traveller named in each",
                    *ts,
                )
            subs = []
            for payee, desc, amt, dd in (
                ("Google Workspace", "GOOGLE *GSUITE", "69.00", 1),
                ("Adobe", "ADOBE *CREATIVE CLOUD", "142.79", 8),
            ):
                b.line(MC, date(2025, m, dd + 1), -money(amt), desc)
                subs.append(
                    b.txn(
                        F_MC,
                        date(2025, m, dd),
                        payee,
                        "Abo monatlich",
                        [Posting(MC, -money(amt), "EUR"), b.other("Expenses:Software", money(amt))],
                    )
                )
            self.mc_lines.append(subs)
        b.look(
            "subscription",
            "Google Workspace, same amount monthly",
            *[s[0] for s in self.mc_lines[:3]],
        )
        b.look("subscription", "Adobe, same amount monthly", *[s[1] for s in self.mc_lines[4:7]])
        # card settled from the Giro on the 5th of the next month
        for m in range(1, 13):
            end = date(2025, m, 1) - timedelta(days=1)
            owed = -sum(
                (ln.amount for ln in b.lines if ln.account == MC and ln.date <= end), Decimal(0)
            )
            if owed <= 0:
                continue
            day = date(2025, m, 5)
            lg = b.line(GIRO, day, -owed, "COMMERZBANK KREDITKARTE", ref=f"Abrechnung {end:%m/%Y}")
            b.line(MC, day, owed, "ZAHLUNG ERHALTEN")
            t = b.fed(
                F_GIRO,
                lg,
                "Commerzbank",
                f"Kreditkartenabrechnung {end:%m/%Y}",
                [b.other(MC, owed)],
            )
            if m in (4, 10):
                c = b.txn(
                    F_MC,
                    day,
                    "Commerzbank",
                    "Ausgleich Kreditkarte",
                    [Posting(MC, owed, "EUR"), b.other(GIRO, -owed)],
                )
                b.dup(
                    "transfer_both_sides",
                    "card settlement imported from the Giro and typed "
                    "on the card from its statement",
                    t,
                    c,
                )

    # --- monthly -------------------------------------------------------------------------
    def monthly(self):
        b = self.b
        rent = []
        for m in range(1, 13):
            ln = b.line(
                GIRO,
                date(2025, m, 1),
                money("-5712.00"),
                "GEWERBEHOF KREUZBERG GMBH",
                ref=f"Miete {m:02d}/2025",
            )
            rent.append(
                b.fed(
                    F_GIRO,
                    ln,
                    "Gewerbehof Kreuzberg GmbH",
                    f"Miete {m:02d}/2025",
                    [b.other("Expenses:Miete", money("4800.00")), b.other(VAT_IN, money("912.00"))],
                )
            )
            ln = b.line(
                GIRO, date(2025, m, 30 if m != 2 else 28), money("-14.90"), "ENTGELTABSCHLUSS"
            )
            b.fed(
                F_GIRO,
                ln,
                "Sparkasse",
                "Kontoführung",
                [b.other("Expenses:Bankgebuehren", money("14.90"))],
            )
        b.look("rent", "office rent, same amount monthly", *rent[:3])
        # the savings account comes in from CAMT files only: interest, monthly
        for m in range(1, 13):
            b.txn(
                F_CAMT,
                date(2025, m, 28),
                "Sparkasse",
                f"Zinsgutschrift {m:02d}/2025",
                [
                    Posting(SAVINGS, money(Decimal(m * 7 + 31)), "EUR"),
                    b.other("Income:Zinsen", -money(Decimal(m * 7 + 31))),
                ],
                {"camt_ref": f"NOTPROVIDED-{m:02d}{self.r.randint(10**8, 10**9 - 1)}"},
            )
        # CAMT import for March: some lines imported a second time with their EREF
        march = [t for t in b.txns if t.file == F_GIRO and t.date.month == 3][:3]
        for t in march:
            c = b.txn(
                F_CAMT,
                t.date + timedelta(days=1),
                t.payee.upper(),
                t.narration,
                [Posting(p.account, p.units, p.currency, p.price) for p in t.postings],
                {"camt_ref": f"EREF+{self.r.randint(10**11, 10**12 - 1)}"},
            )
            b.dup(
                "imported_twice_other_id",
                "a Giro line imported from FinTS and again from "
                "a CAMT.053 file (value date, end-to-end reference instead of the id)",
                t,
                c,
            )
        again = [t for t in b.txns if t.file == F_GIRO and t.date.month == 7][4:6]
        again += [t for t in b.txns if t.file == F_REV and t.date.month == 11][:3]
        for t in again:
            c = b.txn(
                t.file,
                t.date,
                t.payee,
                t.narration,
                [Posting(p.account, p.units, p.currency, p.price) for p in t.postings],
                dict(t.meta),
            )
            b.dup(
                "imported_twice_same_id",
                "a line imported again by the sync script after a crash (same id)",
                t,
                c,
            )

    # --- FX sweeps -----------------------------------------------------------------------
    def sweeps(self):
        b = self.b
        sweeps = []
        for m in range(2, 13):
            day = date(2025, m, 12)
            usd = money("10000.00")
            e = eur(usd, "USD", day) - money("15.00")
            lu = b.line(USD, day, -usd, "Exchange to EUR, transfer to DE89 1005 0000")
            lg = b.line(GIRO, day + timedelta(days=1), e, "REVOLUT BANK UAB", ref="Umbuchung USD")
            t = b.fed(
                F_REV,
                lu,
                "Revolut",
                "USD nach Giro",
                [Posting(GIRO, e, "EUR"), b.other("Expenses:Bankgebuehren", money("15.00"))],
            )
            t.postings[0].price = f"@@ {e + money('15.00')} EUR"
            sweeps.append(t)
            if m in (5, 9):
                c = b.fed(
                    F_GIRO,
                    lg,
                    "Revolut Bank UAB",
                    "Umbuchung von Revolut USD",
                    [b.other(USD, -usd, "USD", f"@@ {e} EUR")],
                )
                b.dup(
                    "transfer_both_sides",
                    "USD sweep to the Giro booked from the Revolut "
                    "side (in USD) and from the Giro side (in EUR)",
                    t,
                    c,
                )
        b.look("recurring_transfer", "the monthly 10,000 USD sweep", *sweeps[2:5])
        for m in (3, 6, 9, 12):
            day = date(2025, m, 20)
            gbp = money("3000.00")
            e = eur(gbp, "GBP", day)
            lu = b.line(GBP, day, -gbp, "Exchange to EUR, transfer to DE89 1005 0000")
            lg = b.line(GIRO, day + timedelta(days=1), e, "REVOLUT BANK UAB", ref="Umbuchung GBP")
            t = b.fed(F_REV, lu, "Revolut", "GBP nach Giro", [Posting(GIRO, e, "EUR")])
            t.postings[0].price = f"@@ {e} EUR"
            if m == 9:
                c = b.fed(
                    F_GIRO,
                    lg,
                    "Revolut Bank UAB",
                    "Umbuchung von Revolut GBP",
                    [b.other(GBP, -gbp, "GBP", f"@@ {e} EUR")],
                )
                b.dup("transfer_both_sides", "GBP sweep booked from both accounts", t, c)

    # --- furniture in instalments --------------------------------------------------------
    def furniture(self):
        b = self.b
        total = money("11424.00")
        bill = b.txn(
            F_DOCS,
            date(2025, 2, 14),
            "Vitra GmbH",
            "Rechnung VI-88120 Büromöbel",
            [
                b.other("Assets:Anlagen:Moebel", money("9600.00")),
                b.other(VAT_IN, money("1824.00")),
                b.other(AP, -total),
            ],
            {"invoice": "VI-88120"},
        )
        parts = [bill]
        for k in range(3):
            ln = b.line(
                GIRO,
                date(2025, 3 + k, 1),
                money("-3808.00"),
                "VITRA GMBH",
                ref=f"VI-88120 {k + 1}. Rate",
            )
            parts.append(
                b.fed(
                    F_GIRO,
                    ln,
                    "Vitra GmbH",
                    f"VI-88120 {k + 1}. Rate",
                    [b.other(AP, money("3808.00"))],
                    {"invoice": "VI-88120"},
                )
            )
        b.look(
            "instalments", "office furniture paid in three equal instalments ('1. Rate')", *parts
        )


# --- statements and settings -----------------------------------------------------------------
def _sparkasse():
    return Csv(
        [
            ("Auftragskonto", lambda ln, _: "DE89100500000190123456"),
            ("Buchungstag", lambda ln, _: f"{ln.date:%d.%m.%y}"),
            ("Valutadatum", lambda ln, _: f"{ln.date:%d.%m.%y}"),
            (
                "Buchungstext",
                lambda ln, _: "GUTSCHR. UEBERWEISUNG" if ln.amount > 0 else "ONLINE-UEBERWEISUNG",
            ),
            ("Verwendungszweck", lambda ln, _: ln.ref),
            ("Beguenstigter/Zahlungspflichtiger", lambda ln, _: ln.desc),
            ("Betrag", lambda ln, _: num(ln.amount, ",", "")),
            ("Waehrung", lambda ln, _: "EUR"),
            ("Info", lambda ln, _: "Umsatz gebucht"),
        ],
        delimiter=";",
    )


def _revolut(cur):
    return Csv(
        [
            ("Date completed (UTC)", lambda ln, _: f"{ln.date:%Y-%m-%d}"),
            ("ID", lambda ln, _: ln.id),
            ("Type", lambda ln, _: "TOPUP" if ln.amount > 0 else "TRANSFER"),
            ("Description", lambda ln, _: ln.desc),
            ("Reference", lambda ln, _: ln.ref),
            ("Amount", lambda ln, _: num(ln.amount)),
            ("Currency", lambda ln, _: cur),
            ("Balance", lambda ln, bal: num(bal)),
        ]
    )


def _mastercard():
    return Csv(
        [
            ("Buchungsdatum", lambda ln, _: f"{ln.date:%d.%m.%Y}"),
            ("Umsatz", lambda ln, _: ln.desc),
            ("Betrag (EUR)", lambda ln, _: num(abs(ln.amount), ",", "")),
            ("Soll/Haben", lambda ln, _: "S" if ln.amount < 0 else "H"),
        ],
        delimiter=";",
    )


def statements():
    return {
        GIRO: ("statements/sparkasse", _sparkasse(), "csv"),
        USD: ("statements/revolut-usd", _revolut("USD"), "csv"),
        GBP: ("statements/revolut-gbp", _revolut("GBP"), "csv"),
        MC: ("statements/mastercard", _mastercard(), "csv"),
    }


def bo_yaml(with_statements):
    st = {
        GIRO: "    statement: {format: sparkasse, dir: statements/sparkasse}\n",
        USD: "    statement: {format: revolut-usd, dir: statements/revolut-usd}\n",
        GBP: "    statement: {format: revolut-gbp, dir: statements/revolut-gbp}\n",
        MC: "    statement: {format: commerzbank-mc, dir: statements/mastercard}\n",
    }
    if not with_statements:
        st = {}
    revolut = """    date: Date completed (UTC)
    id: ID
    amount: Amount
    payee: Description
    memo: Reference
    balance: Balance
"""
    fmts = (
        f"""
statement_formats:
  sparkasse:                    # Sparkasse CSV-CAMT export
    delimiter: ";"
    decimal: ","
    date: Buchungstag
    date_format: "%d.%m.%y"
    amount: Betrag
    payee: Beguenstigter/Zahlungspflichtiger
    memo: Verwendungszweck
    currency: EUR
  revolut-usd:
{revolut}    currency: USD
  revolut-gbp:
{revolut}    currency: GBP
  commerzbank-mc:
    delimiter: ";"
    decimal: ","
    date: Buchungsdatum
    date_format: "%d.%m.%Y"
    amount: Betrag (EUR)
    direction: Soll/Haben
    outflow_words: [S]
    inflow_words: [H]
    payee: Umsatz
    currency: EUR
"""
        if with_statements
        else ""
    )
    return f"""entity:
  name: "{TITLE}"
  currency: EUR
  country: DE
  subdivision: BE

accounts:
  {GIRO}:
    role: bank
{st.get(GIRO, "")}  {USD}:
    role: bank
{st.get(USD, "")}  {GBP}:
    role: bank
{st.get(GBP, "")}  {MC}:
    role: card
{st.get(MC, "")}  {SAVINGS}:
    role: bank

# FinTS writes transaction_id, the Revolut sync script revolut_id
matching:
  line_id_keys: [transaction_id, revolut_id]
{fmts}"""
