"""Kōwhai Freight's planted duplicates, over the year of book_kowhai."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from book_kowhai import (
    AP,
    AR,
    DRV,
    END,
    FUEL,
    FUELF,
    IMP,
    OP,
    RUNS,
    SAVER,
    SAVERF,
    START,
    TYPED,
    UNCAT,
    Kowhai,
)  # fmt: skip
from core import Book, Planting, days, swapped, transposed
from looks_kowhai import Looks

SHORTS = {
    "Truckstops Canterbury Ltd": "Truckstops",
    "Tyreline Ltd": "TYRELINE",
    "Hornby Auto Electrical": "Hornby Auto Elec",
}


class Planter(Planting):
    def __init__(self, k: Kowhai, used: set[int] | None = None):
        super().__init__(k, used)
        self.k = k

    # -- planted duplicates -------------------------------------------------------------

    def plant(self):
        b, k, rng = self.b, self.k, self.rng
        pool = k.receipts + k.bill_pays + k.ruc + [t for t in k.other if t.file == IMP]
        for n, t in enumerate(self.pick(pool, 5)):
            shift = days(n % 2)
            amount = t.amount_on(OP)
            if n in (1, 3):
                copy = k.imp(t.date + shift, t.bank_text, t.extra["particulars"] or t.bank_text,
                             [(OP, amount), (UNCAT, -amount)], t.extra["type"], t.bank_text,
                             t.extra["particulars"], flag="!", akahu=t.meta["akahu_id"],
                             copy=True)  # fmt: skip
            else:
                copy = k.imp(t.date + shift, t.payee, t.narration, self.legs(t), t.extra["type"],
                             t.bank_text, t.extra["particulars"], akahu=t.meta["akahu_id"],
                             copy=True)  # fmt: skip
            b.dup(
                "imported_twice_same_id",
                f"Akahu re-sync brought {t.payee} {amount} in again "
                "with the same akahu_id" + (", uncategorized" if n in (1, 3) else ""),
                t,
                copy,
            )

        for n, t in enumerate(self.pick(k.fuel, 5)):
            amount = t.amount_on("Expenses:Fuel")
            truck = t.meta["vehicle"]
            narr = (f"Diesel {truck} docket {t.meta['docket']}" if n % 2 == 0
                    else f"Fuel {truck} (docket from cab)")  # fmt: skip
            copy = b.add(
                t.date + days(n % 2),
                "Z Energy",
                narr,
                [("Expenses:Fuel", amount), (FUEL, -amount)],
                TYPED,
                copy=True,
            )
            b.dup(
                "fuel_docket_twice",
                f"fuel docket typed from the paper docket beside the "
                f"card's imported line ({truck}, {amount})",
                t,
                copy,
            )

        for n, t in enumerate(self.pick(k.runs, 4)):
            narr = t.narration + (" (re-issued)" if n % 2 else "")
            copy = b.add(t.date + days(3), t.payee, narr, self.legs(t), RUNS,
                         meta=dict(t.meta), copy=True)  # fmt: skip
            b.dup(
                "settlement_posted_twice",
                f"the week's RCTI for {t.payee} exported again "
                "from the dispatch system the next Monday, same run and number",
                t,
                copy,
            )

        for t in self.pick(k.driver_pays, 3):
            amount = t.amount_on(DRV)
            again = k.imp(t.date + days(rng.randint(3, 8)), t.payee, t.narration,
                          [(OP, -amount), (DRV, amount)], "Payment", t.bank_text,
                          "Settlement", t.extra["code"], "KOWHAI FREIGHT")  # fmt: skip
            b.dup(
                "settlement_paid_twice",
                f"{t.payee}'s settlement paid in the weekly batch and "
                "again by a one-off payment (two bank lines)",
                t,
                again,
            )

        shorts = SHORTS
        bills = [t for t in k.bills if t.payee in shorts]
        for n, t in enumerate(self.pick(bills, 5)):
            number = t.meta["invoice"]
            digits = number.split("-")[1]
            shapes = [digits, number.replace("-", ""), f"Inv {digits}", None, number.lower()]
            shape = shapes[n]
            meta = {"invoice": shape} if shape else {}
            narr = f"Invoice {shape}" if shape else f"Inv {number} (paper copy)"
            copy = b.add(t.date + days(1 + 2 * n), shorts[t.payee], narr, self.legs(t), TYPED,
                         meta=meta, copy=True)  # fmt: skip
            b.dup(
                "bill_entered_twice",
                f"{number} entered from the e-mail and again from the "
                f"posted copy as {shape or 'no number in metadata'}",
                t,
                copy,
            )

        for t in self.pick(
            bills, 3, lambda t: t.extra.get("paid_by") and t.extra["paid_by"].seq not in self.used
        ):
            p = t.extra["paid_by"]
            self.used.add(p.seq)
            amount = p.amount_on(AP)
            again = k.pay_bill(p.date + days(rng.choice([7, 14, 21])), p.payee, p.bank_text,
                               p.narration, amount)  # fmt: skip
            b.dup(
                "paid_twice", f"{p.narration} paid in two payment runs (two bank lines)", p, again
            )

        names = {"Selwyn Grain Ltd": "Selwyn Grain Limited", "Southfresh Produce Ltd":
                 "SouthFresh Produce", "Canterbury Timber Co": "Canterbury Timber Company",
                 "Kaiapoi Packaging Ltd": "Kaiapoi Packaging"}  # fmt: skip
        for n, t in enumerate(self.pick(k.receipts, 4, lambda t: t.payee in names)):
            copy = b.add(t.date - days(n % 3), names[t.payee], f"Remittance advice {t.narration}",
                         self.legs(t), TYPED, copy=True)  # fmt: skip
            b.dup(
                "receipt_typed_and_imported",
                f"{t.payee}'s payment typed from the remittance e-mail and imported from the bank",
                t,
                copy,
            )

        for t in self.pick(k.saver_moves, 3):
            copy = b.add(t.date + days(1), "ANZ", "Transfer from operating",
                         [(SAVER, Decimal("1500.00")), (OP, Decimal("-1500.00"))], SAVERF,
                         copy=True)  # fmt: skip
            b.dup(
                "transfer_both_sides",
                "the GST set-aside imported on operating and typed "
                "again from the saver's statement",
                t,
                copy,
            )
        for n, t in enumerate(self.pick(k.card_pays, 2)):
            amount = t.amount_on(FUEL)
            other = OP if n == 0 else UNCAT
            copy = b.add(t.date + days(1), "Z Energy", "PAYMENT RECEIVED - THANK YOU",
                         [(FUEL, amount), (other, -amount)], FUELF, flag="*" if n == 0 else "!",
                         meta={"docket": t.bank_id}, copy=True)  # fmt: skip
            b.dup(
                "transfer_both_sides",
                "the fuel card's direct debit imported on operating and "
                "again from the card's CSV" + (", uncategorized" if n else ""),
                t,
                copy,
            )

        for n, t in enumerate(self.pick(k.ruc, 3)):
            amount = t.amount_on("Expenses:RUC")
            truck = t.extra["code"]
            copy = b.add(
                t.date - days(n % 2),
                "NZTA",
                f"RUC licence {truck} L{rng.randint(1000000, 9999999)}",
                [("Expenses:RUC", amount), (OP, -amount)],
                TYPED,
                copy=True,
            )
            b.dup(
                "ruc_typed_and_imported",
                f"RUC for {truck} typed from NZTA's receipt and imported from the bank",
                t,
                copy,
            )

        invs = [t for t in k.invoices if t.payee != "Kaiapoi Packaging Ltd"]
        for n, t in enumerate(self.pick(invs, 3)):
            number = t.meta["invoice"]
            meta = {"invoice": number if n == 0 else number.removeprefix("INV-")}
            copy = b.add(t.date + days(n), t.payee, f"Cartage - {t.date:%d/%m}", self.legs(t),
                         TYPED, meta=meta, copy=True)  # fmt: skip
            b.dup(
                "invoice_raised_twice",
                f"{number} exported from the dispatch system and raised again by hand",
                t,
                copy,
            )

        self.refunds()
        self.batches()
        self.pending()
        self.typos()
        for n, t in enumerate(self.pick(k.payroll, 2)):
            copy = b.add(t.date + days(2 * n), t.payee, t.narration + (" (from PDF)" if n else ""),
                         self.legs(t), TYPED, copy=True)  # fmt: skip
            b.dup("payroll_journal_twice", "the Smartly pay run journal posted twice", t, copy)

    def batches(self):
        """A week's settlements typed as one total from ANZ's batch report beside its lines."""
        b, k = self.b, self.k
        weekly = {}
        for t in k.driver_pays:
            weekly.setdefault(t.date, []).append(t)
        weeks = [
            d
            for d in sorted(weekly)
            if len(weekly[d]) >= 3
            and len({t.amount_on(DRV) for t in weekly[d]}) == len(weekly[d])
            and not any(t.seq in self.used for t in weekly[d])
        ]
        for d in (weeks[0], weeks[-1]):
            lines = weekly[d]
            self.used.update(t.seq for t in lines)
            total = sum(t.amount_on(DRV) for t in lines)
            week = lines[0].extra["code"][2:]
            batch = b.add(d, "ANZ", f"Owner-driver batch wk {week} ({len(lines)} payments)",
                          [(DRV, total), (OP, -total)], TYPED, copy=True)  # fmt: skip
            note = (f"week {week}'s settlement batch typed as its total from the batch report "
                    "beside the bank's lines, one per driver")  # fmt: skip
            b.dup("batch_and_lines", note, batch, *lines)

    def pending(self):
        """The script once imported a payment while pending: no id yet, a day before it posted."""
        b, k = self.b, self.k
        for n, t in enumerate(self.pick(k.bill_pays, 2, lambda t: t.date.weekday() > 0)):
            amount = t.amount_on(OP)
            legs = [(OP, amount), (UNCAT, -amount)] if n else self.legs(t)
            copy = b.add(t.date - days(1), t.bank_text, f"PENDING {t.narration}", legs, IMP,
                         flag="!", meta={"akahu_status": "PENDING"}, copy=True)  # fmt: skip
            b.dup("pending_and_posted", f"{t.narration} imported while pending (no akahu_id) "
                  "and again when it posted", t, copy)  # fmt: skip

    def typos(self):
        """A bill typed twice, the copy's amount or date mistyped."""
        b, k = self.b, self.k
        bills = [t for t in k.bills if t.payee in SHORTS]
        for t in self.pick(bills, 2):
            number, net = t.meta["invoice"], t.postings[0].amount
            copy = k.bill(t.date + days(2), t.payee, number, transposed(net), t.postings[0].account)
            copy.copy = True
            b.dup("bill_amount_typo", f"{number} entered twice, the copy's {net} typed as "
                  f"{transposed(net)}", t, copy)  # fmt: skip
        ok = [t for t in self.free(bills) if swapped(t.date) and START <= swapped(t.date) <= END]
        t = ok[len(ok) // 2]
        self.used.add(t.seq)
        copy = b.add(swapped(t.date), t.payee, t.narration, self.legs(t), TYPED,
                     meta=dict(t.meta), copy=True)  # fmt: skip
        b.dup("bill_date_swapped", f"{t.meta['invoice']} entered twice, the copy dated "
              f"{swapped(t.date)} (day and month read the other way)", t, copy)  # fmt: skip

    def refunds(self):
        b, k = self.b, self.k
        r = k.imp(date(2025, 8, 19), "Tyreline Ltd", "Refund overcharge",
                  [(OP, Decimal("212.75")), ("Expenses:Tyres", Decimal("-212.75"))],
                  "Direct Credit", "TYRELINE LTD", "REFUND", "", "TL-30311")  # fmt: skip
        c = b.add(date(2025, 8, 18), "Tyreline", "Credit advice - refund of overcharge TL-30311",
                  [(OP, Decimal("212.75")), ("Expenses:Tyres", Decimal("-212.75"))], TYPED,
                  copy=True)  # fmt: skip
        b.dup("refund_twice", "a supplier's refund typed from the credit advice and imported", r, c)
        r = k.imp(date(2025, 11, 6), "Selwyn Grain Ltd", "Refund overpayment",
                  [(OP, Decimal("-1843.60")), (AR, Decimal("1843.60"))], "Payment",
                  "SELWYN GRAIN LTD", "REFUND", "OVERPAID", "KOWHAI")  # fmt: skip
        c = b.add(
            date(2025, 11, 7),
            "Selwyn Grain",
            "Refund of overpaid invoice",
            [(AR, Decimal("1843.60")), (OP, Decimal("-1843.60"))],
            TYPED,
            copy=True,
        )
        b.dup("refund_twice", "a customer's overpayment refunded, imported and typed", r, c)
        over = k.imp(date(2025, 10, 29), "Selwyn Grain Ltd", "Overpayment",
                     [(OP, Decimal("1843.60")), (AR, Decimal("-1843.60"))], "Direct Credit",
                     "SELWYN GRAIN LTD", "PAYMENT", "", "KOWHAI")  # fmt: skip
        self.used.add(over.seq)

    # -- honest look-alikes -------------------------------------------------------------


def build() -> Book:
    k = Kowhai()
    k.build()
    p = Planter(k)
    p.plant()
    Looks(k, p.used).looks()
    return k.b
