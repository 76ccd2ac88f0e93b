"""Wombat Creek's planted duplicates and honest look-alikes, on top of its year."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal

from book_wombat import (
    AMEX,
    AP,
    ARC,
    ARI,
    BANKFILE,
    CARDFILE,
    GST,
    NET,
    OP,
    PRACTICE,
    SAVER,
    STAFF,
    TILL,
    TS,
    TYRO,
    UNCAT,
    Wombat,
)
from core import Book, Posting, Txn, money, next_weekday


def clone(b: Book, txn: Txn, *, is_copy=True, postings=None, **changes) -> Txn:
    new = copy.deepcopy(txn)
    new.line, new.copy = 0, is_copy
    for key, value in changes.items():
        setattr(new, key, value)
    if postings is not None:
        new.postings = [Posting(*p) for p in postings]
    b.txns.append(new)
    return new


class Planter:
    def __init__(self, w: Wombat):
        self.w, self.b, self.rng = w, w.b, w.rng
        self.used: set[int] = set()

    def pick(self, items, n, ok=lambda t: True):
        pool = [t for t in items if id(t) not in self.used and ok(t)]
        chosen = sorted(self.rng.sample(pool, n), key=lambda t: t.date)
        self.used.update(id(t) for t in chosen)
        return chosen

    def mark(self, *txns):
        self.used.update(id(t) for t in txns)

    def plant(self) -> Book:
        self.lookalikes()
        self.duplicates()
        return self.b

    # -- duplicates ------------------------------------------------------------------------

    def duplicates(self):
        w, b, rng = self.w, self.b, self.rng
        near_month_end = lambda t: t.date.day >= 28 or t.date.day <= 2  # noqa: E731
        pool = w.settles + w.farm_rec + w.pays["provet"] + [p[4] for p in w.net]
        for i, t in enumerate(self.pick(pool, 5, near_month_end)):
            if i % 2:
                other = next(p for p in t.postings if p.account != OP)
                c = clone(
                    b,
                    t,
                    flag="!",
                    narration=t.lines[OP]["text"],
                    postings=[(OP, t.on(OP)), (UNCAT, other.amount)],
                )
                note = "next export overlapped: the same cba_ref again, uncategorized this time"
            else:
                c = clone(b, t)
                note = "next export overlapped the last: the line imported again, same cba_ref"
            b.dup("imported_twice_same_id", note, t, c)

        for t in self.pick(w.settles, 5, lambda t: t.date.weekday() in (1, 2, 3)):
            c = clone(
                b,
                t,
                date=t.date - timedelta(days=rng.randint(0, 1)),
                payee="Tyro",
                narration=f"Tyro settlement per portal {t.narration[-5:]}",
                meta={},
                file=PRACTICE,
            )
            b.dup("settlement_twice", "settlement typed from the Tyro portal and imported", t, c)

        for t in self.pick(w.remits, 5, lambda t: len(t.remit[1]) >= 2):
            number, claims = t.remit
            parts = [(ARI, -c.on(ARI), "", "", {"claim": c.meta["claim"]}) for c in claims]
            c = clone(
                b,
                t,
                date=t.date - timedelta(days=rng.randint(1, 3)),
                narration=f"Remittance advice {number}",
                meta={"remittance": str(number)},
                file=PRACTICE,
                postings=[(OP, t.on(OP)), *parts],
            )
            b.dup(
                "remittance_twice",
                "remittance posted from the emailed advice and from the bank line",
                t,
                c,
            )

        forms = [
            lambda n: n.split("-")[1],
            lambda n: n.replace("-", " "),
            lambda n: None,
            lambda n: n.replace("-", ""),
        ]
        for t, form in zip(self.pick(w.claims, 4), forms, strict=True):
            number = form(t.meta["claim"])
            pet = t.narration.split(" - ")[-1]
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=rng.randint(0, 6)),
                narration=f"Claim {number or t.meta['claim'].split('-')[1]} {pet} gap",
                meta={"claim": number} if number else {},
                postings=[(ARI, t.on(ARI)), ("Income:Surgery", -t.on(ARI))],
            )
            b.dup(
                "claim_invoiced_twice",
                "insurer claim raised from the ezyVet export and typed again",
                t,
                c,
            )

        provet = self.pick(w.bills["provet"], 4)
        forms = [lambda n: n[3:], lambda n: None, lambda n: n.replace("-", " "), lambda n: n[3:]]
        for t, form in zip(provet, forms, strict=True):
            number = form(t.meta["invoice"])
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=rng.randint(1, 8)),
                payee="Provet",
                narration=f"Inv {t.meta['invoice'].replace('-', '')} - pharmacy stock",
                meta={"invoice": number} if number else {},
            )
            b.dup(
                "bill_entered_twice",
                "Provet invoice entered from ezyVet purchasing and again from the paper copy",
                t,
                c,
            )
        (t,) = self.pick(w.bills["idexx"], 1)
        c = clone(
            b,
            t,
            date=t.date + timedelta(days=6),
            payee="IDEXX",
            narration=f"Statement invoice {t.meta['invoice'][4:]}",
            meta={},
        )
        b.dup(
            "bill_entered_twice",
            "IDEXX monthly invoice entered from e-mail and from the posted copy",
            t,
            c,
        )

        cryo = w.bills["cryo"]
        for month in (8, 2):
            parts = [t for t in cryo if t.date.month == month and id(t) not in self.used][:2]
            self.mark(*parts)
            gross = -sum((t.on(AP) for t in parts), Decimal(0))
            gst = money(gross / 11)
            c = b.tx(
                parts[0].date.replace(day=28),
                "Cryo Gas Supplies",
                f"Statement {parts[0].date:%B %Y} - " + ", ".join(t.meta["invoice"] for t in parts),
                ("Expenses:Gas", gross - gst),
                (GST, gst),
                (AP, -gross),
                file=PRACTICE,
                copy=True,
            )
            b.dup(
                "statement_entered_as_bill",
                "the month's statement entered as a bill on top of the two invoices it lists",
                *parts,
                c,
            )

        self.paid_twice()
        self.typed_twice()

    def paid_twice(self):
        w, b, rng = self.w, self.b, self.rng
        p1, p2, p3 = self.pick(w.pays["provet"], 3, lambda t: t.date < date(2025, 6, 1))
        number = p1.narration.split()[-1]
        c = b.tx(
            next_weekday(p1.date, 6),
            "Provet",
            f"Paid by phone on Amex - {number}",
            (AP, p1.on(AP)),
            (AMEX, -p1.on(AP)),
            file=CARDFILE,
            lines={AMEX: {"text": "PROVET PTY LTD MELBOURNE"}},
        )
        b.dup("paid_twice", "paid by EFT, then by phone on the Amex", p1, c)
        for t, days in ((p2, 7), (p3, 14)):
            c = clone(
                b, t, is_copy=False, date=next_weekday(t.date, days), meta={"cba_ref": w.cba_ref()}
            )
            b.dup("paid_twice", f"paid again in the payment run {days} days later", t, c)
        (t,) = self.pick(w.pays["waste"], 1)
        c = clone(b, t, is_copy=False, date=next_weekday(t.date, 3), meta={"cba_ref": w.cba_ref()})
        b.dup("paid_twice", "BPAY to Cleanaway sent twice, three days apart", t, c)
        (t,) = self.pick(w.pays["idexx"], 1)
        number = t.narration.split()[-1]
        c = clone(
            b,
            t,
            is_copy=False,
            date=t.date - timedelta(days=2),
            narration=f"EFT {number}",
            meta={"cba_ref": w.cba_ref()},
            lines={OP: {"text": f"IDEXX LABORATORIES {number}"}},
        )
        b.dup("paid_twice", "paid by EFT two days before the direct debit took it", c, t)

        for pays in (w.net[5], w.net[17]):
            t = pays[4 + len(self.used) % 2]
            self.mark(t)
            c = clone(b, t, is_copy=False, meta={"cba_ref": w.cba_ref()})
            b.dup("salary_paid_twice", "the pay file uploaded twice: net pay sent twice", t, c)

        for day, name, pet, amount in (
            (date(2024, 9, 12), "J Morris", "Biscuit", "145.00"),
            (date(2025, 3, 20), "P Nguyen", "Mango", "88.50"),
        ):
            refund = self_imp(
                w,
                next_weekday(day, 1),
                name,
                f"Refund overpayment - {pet}",
                -Decimal(amount),
                ("Income:Consultations", Decimal(amount)),
                text=f"REFUND {name.upper()}",
            )
            c = b.tx(
                day,
                name,
                f"ezyVet refund - {pet} (paid twice at the counter)",
                ("Income:Consultations", Decimal(amount)),
                (OP, -Decimal(amount)),
                file=PRACTICE,
                copy=True,
            )
            b.dup(
                "client_refund_twice", "a client refund typed from ezyVet and imported", c, refund
            )

        for t in self.pick(
            w.farm_rec, 3, lambda t: t.payee in ("Hargreaves Pastoral", "Mt Alexander Alpacas")
        ):
            c = clone(
                b,
                t,
                date=t.date - timedelta(days=rng.randint(0, 2)),
                narration=f"Remittance email - {t.narration.split()[-1]}",
                meta={},
                file=PRACTICE,
            )
            b.dup(
                "farm_receipt_twice",
                "farm payment typed from the remittance e-mail and imported",
                t,
                c,
            )

    def typed_twice(self):
        w, b, rng = self.w, self.b, self.rng
        shops = [
            t
            for t in w.card
            if t.payee in ("Bunnings", "Officeworks", "VetShop Australia", "Woolworths", "Ampol")
        ]
        for i, t in enumerate(self.pick(shops, 5)):
            text = t.lines[AMEX]["text"]
            postings = None
            if i == 2:
                gross = -t.on(AMEX)
                half = money(gross / 3)
                postings = [
                    (t.postings[0].account, half),
                    ("Expenses:Office", None),
                    (AMEX, -gross),
                ]
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=rng.randint(0, 3)),
                payee=text.title(),
                narration="from the Amex statement",
                postings=postings,
            )
            b.dup(
                "card_typed_twice", "typed from the receipt and again from the Amex statement", t, c
            )

        for t in self.pick(w.deposits, 3):
            c = b.tx(
                t.date - timedelta(days=rng.randint(0, 2)),
                "",
                f"Banked cash - deposit book {t.narration.split()[-1]}",
                (OP, t.on(OP)),
                (TILL, -t.on(OP)),
                file=PRACTICE,
                copy=True,
            )
            b.dup(
                "cash_banking_twice", "cash banking typed from the deposit book and imported", t, c
            )

        for t in self.pick(w.saver, 2, lambda t: t.date.month in (8, 11, 3)):
            c = b.tx(
                t.date + timedelta(days=rng.randint(0, 1)),
                "",
                "From operating account",
                (TS, "8500.00"),
                (OP, "-8500.00"),
                file=SAVER,
                copy=True,
            )
            b.dup(
                "transfer_both_sides",
                "Tax Saver transfer imported on operating and typed from the Tax Saver statement",
                t,
                c,
            )
        for t in self.pick(w.amex_dd, 2):
            c = b.tx(
                t.date + timedelta(days=rng.randint(1, 2)),
                "American Express",
                "Payment received - thank you",
                (AMEX, t.on(AMEX)),
                (OP, -t.on(AMEX)),
                file=CARDFILE,
                copy=True,
            )
            b.dup(
                "transfer_both_sides",
                "card repayment imported on operating and typed from the Amex statement",
                t,
                c,
            )

        for t in self.pick(w.runs, 2, lambda t: t.run > 3):
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=rng.randint(0, 1)),
                narration=f"Pay run {t.run} (from KeyPay PDF)",
                meta={},
            )
            b.dup(
                "payroll_journal_twice",
                "pay run journal posted from KeyPay and again from its PDF",
                t,
                c,
            )

    # -- look-alikes -----------------------------------------------------------------------

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
            rev = clone(
                b,
                wrong,
                is_copy=False,
                date=t.date + timedelta(days=2),
                narration=f"Reverse {t.meta['invoice']} - posted {why}",
                postings=[(p.account, -p.amount) for p in wrong.postings],
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


__all__ = ["NET", "STAFF", "TYRO", "Planter"]
