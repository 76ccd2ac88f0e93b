"""Wombat Creek's honest look-alikes: entries a bookkeeper would not call duplicates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from book_wombat import Wombat
from core import Txn, clone, money, next_weekday, reversal
from wombat_names import (
    AP,
    ARC,
    ARI,
    BANKFILE,
    CARDFILE,
    GST,
    OP,
    PRACTICE,
    TYRO,
)


class Looks:
    """The look-alike groups; mixed into the Planter, which holds the book and `used`."""

    def lookalikes(self):
        w, b = self.w, self.b
        bill = b.tx(
            date(2024, 9, 16),
            "Vetnostics Imaging",
            "Invoice VI-2291 - portable ultrasound",
            ("Assets:Equipment", "16500.00"),
            (GST, "1650.00"),
            (AP, "-18150.00"),
            meta={"invoice": "VI-2291"},
            file=PRACTICE,
        )
        parts = [
            self_imp(
                w,
                day,
                "Vetnostics Imaging",
                f"VI-2291 instalment {i} of 3",
                "-6050.00",
                (AP, "6050.00"),
                text="VETNOSTICS IMAGING VI2291",
            )
            for i, day in enumerate((date(2024, 10, 15), date(2024, 11, 15), date(2024, 12, 16)), 1)
        ]
        b.look("instalments", "ultrasound bill paid in three equal instalments", bill, *parts)
        parts = [
            self_imp(
                w,
                day,
                "Dentalvet",
                f"Dental unit - part {i}",
                "-4400.00",
                ("Assets:Equipment", "4000.00"),
                (GST, "400.00"),
                text="DENTALVET PTY LTD",
            )
            for i, day in enumerate((date(2025, 2, 3), date(2025, 3, 3)), 1)
        ]
        b.look("instalments", "dental unit paid in two parts, no bill booked", *parts)
        bill = b.tx(
            date(2025, 4, 7),
            "Vetquip",
            "Invoice VQ-7731 - anaesthetic machine",
            ("Assets:Equipment", "5900.00"),
            (GST, "590.00"),
            (AP, "-6490.00"),
            meta={"invoice": "VQ-7731"},
            file=PRACTICE,
        )
        dep = self_imp(
            w,
            date(2025, 4, 8),
            "Vetquip",
            "VQ-7731 50% deposit",
            "-3245.00",
            (AP, "3245.00"),
            text="VETQUIP VQ7731 DEP",
        )
        bal = self_imp(
            w,
            date(2025, 5, 6),
            "Vetquip",
            "VQ-7731 balance on delivery",
            "-3245.00",
            (AP, "3245.00"),
            text="VETQUIP VQ7731",
        )
        b.look("split_payment", "deposit and balance of one invoice, equal halves", bill, dep, bal)

        shop = ("Bunnings", "BUNNINGS 380000 EPSOM", "Expenses:Kennels", 0, 0)
        a = w.purchase(date(2025, 3, 15), shop, Decimal("86.40"), "kennel latches")
        c = w.purchase(date(2025, 3, 15), shop, Decimal("86.40"), "run gate hinges")
        b.look(
            "same_day_identical",
            "two Bunnings purchases of 86.40 the same day, two card lines",
            a,
            c,
        )
        shop = ("Ampol", "AMPOL BENDIGO 74411", "Expenses:Vehicles", 0, 0)
        a = w.purchase(date(2024, 11, 22), shop, Decimal("94.60"), "fuel - Dr Liu ute")
        c = w.purchase(date(2024, 11, 22), shop, Decimal("94.60"), "fuel - Dr Park ute")
        b.look("same_day_identical", "two utes filled at one pump, two card lines", a, c)
        a = w.claim(
            date(2025, 2, 11), "PetCover Australia", "PC-209910", "Bella", Decimal("1386.00")
        )
        c = w.claim(date(2025, 2, 11), "PetCover Australia", "PC-209911", "Max", Decimal("1386.00"))
        r = w.remit(date(2025, 2, 20), "PetCover Australia", "PETCOVER AUST REMIT", 79990, [a, c])
        b.look(
            "same_day_identical",
            "two pets of one household, two claims of equal amount the same day",
            a,
            c,
        )
        self.mark(a, c, r)
        fri = [t for t in w.takings if t.date.weekday() == 4 and t.date.month == 10][1]
        sat = next(t for t in w.takings if t.date == fri.date + timedelta(days=1))
        regross(w, sat, fri.on(TYRO))
        pair = [
            s for s in w.settles if s.narration[-5:] in (f"{fri.date:%d/%m}", f"{sat.date:%d/%m}")
        ]
        b.look(
            "same_day_identical",
            "Friday's and Saturday's takings equal, both settled on Monday with their own cba_ref",
            *pair,
        )
        self.mark(*pair)

        for run in (3, 11, 19):
            pays = w.net[run - 1]
            b.look("payroll_equal", f"two nurses on equal net pay, pay run {run}", pays[2], pays[3])
            self.mark(pays[2], pays[3])
        b.look(
            "payroll_equal",
            "one nurse's equal net pay in consecutive pay runs",
            w.net[6][4],
            w.net[7][4],
        )
        self.mark(w.net[6][4], w.net[7][4])
        for key, months, kind, note in (
            ("ezyvet", (7, 8, 9), "subscription", "ezyVet each month, 649.00"),
            ("m365", (10, 11, 12), "subscription", "Microsoft 365 each month"),
            ("rent", (4, 5, 6), "standing_order", "rent by standing order"),
            ("loan", (1, 2, 3), "loan_payment", "X-ray chattel mortgage, equal repayments"),
        ):
            group = [t for t in w.monthly[key] if t.date.month in months]
            b.look(kind, note, *group)
            self.mark(*group)
        rentals = [
            t for t in w.bills["cryo"] if t.date.month in (3, 5, 7) and "rental" in t.narration
        ]
        b.look("equal_bills", "Cryo Gas cylinder rental, 96.80 each month", *rentals)
        self.mark(*rentals)
        saver = [t for t in w.saver if t.date.month in (10, 12)]
        b.look("recurring_transfer", "8,500.00 to the Tax Saver each month", *saver)
        self.mark(*saver)
        for month in (9, 4):
            pair = [
                t
                for t in w.farm_rec
                if t.date.month == month and t.payee in ("Campaspe Dairies", "Axedale Angus")
            ]
            b.look(
                "equal_receipts", "two farms on the herd-health plan pay 880.00 the same day", *pair
            )
            self.mark(*pair)
        self.provet_looks()
        self.card_looks()
        self.redone_looks()

    def provet_looks(self):
        w, b = self.w, self.b
        bills, pays = w.bills["provet"], w.pays["provet"]
        paid = {p.narration.split()[-1]: p for p in pays}
        for i in (8, 30):
            b1, b2 = bills[i], bills[i + 1]
            gross = -b1.on(AP)
            rebill(b2, gross)
            rebill(paid[b2.meta["invoice"]], gross)
            if i == 30:
                b2.payee = "PROVET VIC"
                kind, note = (
                    "abbreviated_payees",
                    "two Provet invoices of equal amount, one "
                    "under its branch name, each paid naming its own number",
                )
            else:
                kind, note = (
                    "equal_payments",
                    "two Provet invoices of equal amount a week "
                    "apart, each paid naming its own number",
                )
            group = [b1, b2, paid[b1.meta["invoice"]], paid[b2.meta["invoice"]]]
            b.look(kind, note, *group)
            self.mark(*group)
        for i, why in ((14, "to Lab instead of stock"), (40, "without its GST")):
            t = bills[i]
            self.mark(t, paid.get(t.meta["invoice"], t))
            if "Lab" in why:
                wrong = clone(
                    b,
                    t,
                    is_copy=False,
                    postings=[
                        ("Expenses:Lab", t.postings[0].amount),
                        (GST, t.postings[1].amount),
                        (AP, t.on(AP)),
                    ],
                )
            else:
                wrong = clone(
                    b,
                    t,
                    is_copy=False,
                    postings=[("Expenses:Pharmacy:Stock", -t.on(AP)), (AP, t.on(AP))],
                )
            rev = reversal(
                b,
                wrong,
                t.date + timedelta(days=2),
                f"Reverse {t.meta['invoice']} - posted {why}",
                keep_meta=True,
            )
            t.date += timedelta(days=2)
            b.look(
                "reversed_and_rebooked",
                f"bill posted {why}, reversed, booked again under its number",
                wrong,
                rev,
                t,
            )
        t = bills[22]
        p = paid[t.meta["invoice"]]
        b.txns.remove(p)
        w.pays["provet"].remove(p)
        cn = b.tx(
            t.date + timedelta(days=6),
            "Provet Pty Ltd",
            f"Credit note PVC-{t.meta['invoice'][3:]} - short-dated stock returned",
            *[(x.account, -x.amount) for x in t.postings],
            meta={"invoice": f"PVC-{t.meta['invoice'][3:]}"},
            file=PRACTICE,
        )
        b.look("credit_note", "a Provet invoice and its credit note for the whole of it", t, cn)
        self.mark(t, cn)

        rec = next(t for t in w.farm_rec if t.payee == "Kellys Creek Farm" and t.date.month == 11)
        bounce = self_imp(
            w,
            rec.date + timedelta(days=4),
            "Kellys Creek Farm",
            f"Dishonoured - {rec.narration.split()[-1]}",
            -rec.on(OP),
            (ARC, rec.on(OP)),
            text="DISHONOUR KELLYS CREEK FARM",
        )
        again = self_imp(
            w,
            rec.date + timedelta(days=10),
            "Kellys Creek Farm",
            rec.narration,
            rec.on(OP),
            (ARC, -rec.on(OP)),
            text=rec.lines[OP]["text"],
        )
        b.look(
            "dishonoured_and_repaid",
            "a farm's payment dishonoured and paid again",
            rec,
            bounce,
            again,
        )
        self.mark(rec, bounce, again)

    def card_looks(self):
        w, b = self.w, self.b
        shop = ("Officeworks", "OFFICEWORKS 0432 BENDIGO", "Expenses:Office", 0, 0)
        a = w.purchase(date(2024, 10, 8), shop, Decimal("289.00"), "office chair")
        r = w.purchase(date(2024, 10, 14), shop, Decimal("-289.00"), "return - office chair")
        b.look("refund_next_to_purchase", "a chair bought and returned", a, r)
        shop2 = ("VetShop Australia", "VETSHOP AUSTRALIA ONLINE", "Expenses:Pharmacy:Stock", 0, 0)
        a2 = w.purchase(date(2025, 5, 2), shop2, Decimal("412.50"), "prescription diets")
        r2 = w.purchase(date(2025, 5, 9), shop2, Decimal("-412.50"), "refund - wrong diet sent")
        b.look("refund_next_to_purchase", "an order and its refund", a2, r2)
        a3 = w.purchase(date(2025, 1, 13), shop, Decimal("164.95"), "printer paper")
        a4 = w.purchase(date(2025, 1, 19), shop, Decimal("164.95"), "toner cartridges")
        a4.payee = "OFFICEWORKS 0432"
        b.look(
            "abbreviated_payees",
            "two Officeworks orders of equal value six days apart, one typed under the card's text",
            a3,
            a4,
        )
        a5 = w.purchase(
            date(2025, 4, 23), shop, Decimal("76.30"), "toner", account="Expenses:Pharmacy:Stock"
        )
        fix = b.tx(
            date(2025, 4, 24),
            "Officeworks",
            "Reclass toner - not pharmacy stock",
            ("Expenses:Office", "69.36"),
            ("Expenses:Pharmacy:Stock", "-69.36"),
            file=CARDFILE,
        )
        b.look(
            "correction", "a card purchase posted to stock and its reclass the next day", a5, fix
        )
        self.mark(a, r, a2, r2, a3, a4, a5, fix)

    def redone_looks(self):
        """Documents done again under a new number or date: the first no longer counts."""
        w, b = self.w, self.b
        first = w.claim(
            date(2025, 5, 6), "PetCover Australia", "PC-210400", "Rosie", Decimal("2145.00")
        )
        declined = b.tx(
            date(2025, 5, 13),
            "PetCover Australia",
            "Claim PC-210400 declined - history missing, resubmitting",
            (ARI, "-2145.00"),
            ("Income:Surgery", "1950.00"),
            (GST, "195.00"),
            file=PRACTICE,
        )
        again = w.claim(
            date(2025, 5, 14),
            "PetCover Australia",
            "PC-210452",
            "Rosie (resubmitted)",
            Decimal("2145.00"),
        )
        paid = w.remit(
            date(2025, 5, 22), "PetCover Australia", "PETCOVER AUST REMIT", 79995, [again]
        )
        b.look(
            "claim_resubmitted",
            "a claim declined, reversed and resubmitted under a new number at the same amount",
            first,
            declined,
            again,
        )
        self.mark(first, declined, again, paid)

        run = w.runs[9]
        wrong = clone(b, run, is_copy=False, date=run.date - timedelta(days=1))
        rev = reversal(
            b, wrong, run.date, f"Reverse pay run {run.run} - posted with the wrong pay date"
        )
        b.look(
            "reversed_and_rebooked",
            "a pay run journal posted a day early, reversed and posted again on its pay date",
            wrong,
            rev,
            run,
        )
        self.mark(wrong, rev, run)

        group = []
        for number, day, what in (
            (1190001, date(2025, 3, 18), "order 55812"),
            (1190002, date(2025, 3, 25), "back order of order 55812"),
        ):
            bill = w.bill(
                day,
                "Provet Pty Ltd",
                f"PV-{number}",
                Decimal("1870.00"),
                "Expenses:Pharmacy:Stock",
                narration=f"Invoice PV-{number} - {what}",
            )
            pay = w.pay(
                next_weekday(day, 30),
                "Provet Pty Ltd",
                f"PV-{number}",
                Decimal("1870.00"),
                f"PROVET PTY LTD PV{number}",
            )
            group += [bill, pay]
        b.look(
            "backorder_invoices",
            "one order invoiced in two equal parts, the back order a "
            "week later, each paid naming its number",
            *group,
        )
        self.mark(*group)

        shop = ("Australia Post", "AUSTRALIA POST 300512", "Expenses:Office", 0, 0)
        posts = [
            w.purchase(date(2025, 2, 17) + timedelta(days=i), shop, Decimal("14.95"), what)
            for i, what in enumerate(
                (
                    "satchel - lab sample to IDEXX",
                    "satchel - pharmacy return to Provet",
                    "satchel - biopsy to Gribbles",
                )
            )
        ]
        b.look(
            "repeat_purchase", "a parcel satchel on three days running, one card line each", *posts
        )
        self.mark(*posts)


def self_imp(w: Wombat, day, payee, narration, amount, *others, text):
    return w.imp(day, payee, narration, amount, *others, text=text, file=BANKFILE)


def rebill(t: Txn, gross: Decimal) -> None:
    """Give a Provet bill or its payment another gross amount."""
    for p in t.postings:
        if p.account == GST:
            p.amount = money(gross / 11)
        elif p.account == AP:
            p.amount = gross if p.amount > 0 else -gross
        elif p.account == OP:
            p.amount = -gross
        else:
            p.amount = gross - money(gross / 11)


def regross(w: Wombat, takings: Txn, gross: Decimal) -> None:
    """Change a day's takings, and its settlement, to another gross amount."""
    gst = money(gross / 11)
    cons = money((gross - gst) * Decimal("0.5"))
    surg = money((gross - gst) * Decimal("0.25"))
    for p, amount in zip(
        takings.postings, (gross, -cons, -surg, cons + surg + gst - gross, -gst), strict=True
    ):
        p.amount = amount
    for s in w.settles:
        if s.narration.endswith(f"{takings.date:%d/%m}"):
            s.postings[0].amount, s.postings[1].amount = gross, -gross
