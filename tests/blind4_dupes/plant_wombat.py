"""Wombat Creek's planted duplicates, on top of its year and its look-alikes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from book_wombat import Wombat
from core import Book, Picker, clone, money, next_weekday
from looks_wombat import Looks, self_imp
from wombat_names import (
    AMEX,
    AP,
    ARI,
    CARDFILE,
    GST,
    OP,
    PRACTICE,
    SAVER,
    TILL,
    TS,
    UNCAT,
)


class Planter(Looks, Picker):
    def __init__(self, w: Wombat):
        super().__init__(w.b, w.rng)
        self.w = w

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
        twins = next(
            p for p in w.net if p[2].date.day >= 27 and not {id(p[2]), id(p[3])} & self.used
        )
        self.mark(twins[2], twins[3])
        b.dup(
            "imported_twice_same_id",
            "imported again by an overlapping export, beside a colleague's equal net pay "
            "that is a line of its own",
            twins[2],
            clone(b, twins[2]),
        )
        interest = [t for t in b.txns if t.file == SAVER and t.narration == "Interest"]
        for t in self.pick(interest, 2, lambda t: t.date.month in (10, 4)):
            t.payee, t.narration = "", ""
            b.dup(
                "typed_twice_no_text",
                "Tax Saver interest typed with no payee and no narration, twice",
                t,
                clone(b, t),
            )

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

        for i, t in enumerate(self.pick(w.takings, 2, lambda t: t.date.weekday() < 5)):
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=1),
                narration=f"Takings {t.date:%d/%m} (re-entered from the Tyro report)",
                meta=t.meta if i else {},
            )
            b.dup(
                "takings_posted_twice",
                "a day's card takings typed from ezyVet's end-of-day "
                "report and again the next morning",
                t,
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
        (p4,) = self.pick(w.pays["provet"], 1, lambda t: t.date < date(2025, 5, 1))
        typed = b.tx(
            p4.date + timedelta(days=1),
            "Provet",
            f"EFT remittance sent - {p4.narration.split()[-1]}",
            (AP, p4.on(AP)),
            (OP, -p4.on(AP)),
            file=PRACTICE,
            copy=True,
        )
        b.dup(
            "payment_typed_and_imported",
            "a payment typed from the remittance advice the practice sent, the day after the "
            "bank line was imported",
            p4,
            typed,
        )
        again = clone(
            b, p4, is_copy=False, date=next_weekday(p4.date, 21), meta={"cba_ref": w.cba_ref()}
        )
        b.dup("paid_twice", "the same invoice paid again three weeks later", p4, again)
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
