"""Kōwhai Freight's planted duplicates and honest look-alikes, over the year of book_kowhai."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from book_kowhai import (
    AP,
    AR,
    DRV,
    FUEL,
    FUELF,
    GST,
    IMP,
    NETPAY,
    OP,
    PAYE,
    RUNS,
    SAVER,
    SAVERF,
    TYPED,
    UNCAT,
    Kowhai,
)  # fmt: skip
from core import Book, business, days

SAME_DAY_FUEL = [
    (date(2025, 6, 11), "Z Hornby", "402.18", "KFT411 LHB208"),
    (date(2025, 9, 24), "Z Ashburton", "655.40", "NMC733 KFT411"),
    (date(2026, 2, 3), "Z Rolleston", "310.00", "HWK77 STP402"),
]


class Planter:
    def __init__(self, k: Kowhai):
        self.k, self.b, self.rng = k, k.b, k.rng
        self.used: set[int] = set()

    def pick(self, pool, n, ok=lambda t: True):
        cands = [t for t in pool if t.seq not in self.used and ok(t)]
        chosen = sorted(self.rng.sample(cands, n), key=lambda t: t.seq)
        self.used.update(t.seq for t in chosen)
        return chosen

    def free(self, txns):
        return [t for t in txns if t.seq not in self.used]

    def legs(self, txn, sign=1):
        return [(p.account, p.amount * sign) for p in txn.postings]

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

        shorts = {"Truckstops Canterbury Ltd": "Truckstops", "Tyreline Ltd": "TYRELINE",
                  "Hornby Auto Electrical": "Hornby Auto Elec"}  # fmt: skip
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
            meta = {"invoice": number if n == 0 else number.split("-")[1]}
            copy = b.add(t.date + days(n), t.payee, f"Cartage - {t.date:%d/%m}", self.legs(t),
                         TYPED, meta=meta, copy=True)  # fmt: skip
            b.dup(
                "invoice_raised_twice",
                f"{number} exported from the dispatch system and raised again by hand",
                t,
                copy,
            )

        self.refunds()
        for n, t in enumerate(self.pick(k.payroll, 2)):
            copy = b.add(t.date + days(2 * n), t.payee, t.narration + (" (from PDF)" if n else ""),
                         self.legs(t), TYPED, copy=True)  # fmt: skip
            b.dup("payroll_journal_twice", "the Smartly pay run journal posted twice", t, copy)

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

    def looks(self):
        b, k = self.b, self.k
        pays = {}
        for t in k.driver_pays:
            pays.setdefault(t.date, {})[t.payee] = t
        both = [d for d in sorted(pays) if {"Raj Patel", "Ben O'Connor"} <= set(pays[d])]
        for d in both[3:40:9]:
            raj, ben = pays[d]["Raj Patel"], pays[d]["Ben O'Connor"]
            if raj.seq not in self.used and ben.seq not in self.used:
                b.look(
                    "equal_settlements_same_day",
                    "two owner-drivers on the same fixed run rate paid the same net the same day",
                    raj,
                    ben,
                )
        runs = {}
        for t in k.runs:
            runs.setdefault(t.date, {})[t.payee] = t
        for d in sorted(runs)[10:40:15]:
            pair = [runs[d].get("Raj Patel"), runs[d].get("Ben O'Connor")]
            if all(pair) and not any(t.seq in self.used for t in pair):
                b.look("equal_rctis_same_day", "two drivers' equal weekly RCTIs", *pair)
        raj = [t for t in k.driver_pays if t.payee == "Raj Patel" and t.seq not in self.used]
        for i in (5, 30):
            if (raj[i + 1].date - raj[i].date).days == 7:
                b.look(
                    "settlement_weeks_equal",
                    "one driver's equal net in consecutive weeks",
                    raj[i],
                    raj[i + 1],
                )
        for when, site, amount, trucks in SAME_DAY_FUEL:
            pair = [k.fuel_line(when, truck, site, Decimal(amount)) for truck in trucks.split()]
            b.look(
                "same_day_identical",
                f"two trucks filled at {site} for {amount} the same day (two dockets)",
                *pair,
            )
        pair = [k.imp(date(2025, 7, 8), "NZ Transport Agency", f"RUC {truck}",
                      [(OP, Decimal("-2280.00")), ("Expenses:RUC", Decimal("2280.00"))],
                      "Bill Payment", "NZTA RUC ONLINE", "RUC", truck, "")
                for truck in ("KFT411", "LHB208")]  # fmt: skip
        b.look("same_day_identical", "two trucks' 3,000 km RUC bought the same day", *pair)
        self.instalments()
        by_payee = {}
        for t in self.free(k.other):
            by_payee.setdefault(t.payee, []).append(t)
        b.look(
            "loan_payment", "the UDC truck loan, equal each month", *by_payee["UDC Finance"][2:4]
        )
        b.look("premium_funding", "insurance premium funding, equal each month",
               *by_payee["IQumulate Premium Funding"][4:6])  # fmt: skip
        b.look("subscription", "Teletrac Navman each month", *by_payee["Teletrac Navman"][6:8])
        b.look("subscription", "Xero each month", *by_payee["Xero"][9:11])
        leases = by_payee["Sockburn Properties Ltd"]
        b.look("equal_bills", "the yard lease bill each month", leases[3], leases[4])
        lease_pays = self.free(lease.extra["paid_by"] for lease in leases)
        b.look("equal_payments", "the yard lease paid each month", *lease_pays[6:8])
        kaiapoi = [t for t in k.receipts if t.payee == "Kaiapoi Packaging Ltd"
                   and t.seq not in self.used]  # fmt: skip
        b.look("equal_receipts", "Kaiapoi's contract payment each month", *kaiapoi[1:3])
        b.look("equal_receipts", "Kaiapoi's contract payment each month", *kaiapoi[6:8])
        net = {}
        for t in k.netpays:
            net.setdefault(t.date, {})[t.payee] = t
        for d in sorted(net)[4:20:11]:
            b.look("payroll_equal", "two drivers on equal net pay the same day",
                   net[d]["Tom Reid"], net[d]["Wiremu Kingi"])  # fmt: skip
        moves = [t for t in k.saver_moves if t.seq not in self.used]
        b.look("recurring_transfer", "the weekly GST set-aside", moves[20], moves[21])
        self.reversals()
        self.odd_ones()

    def instalments(self):
        b, k = self.b, self.k
        bill = k.bill(
            date(2025, 5, 14),
            "Tyreline Ltd",
            "TL-30188",
            Decimal("7600.00"),
            "Expenses:Tyres",
            narration="Invoice TL-30188 trailer tyres x16",
        )
        parts = [Decimal("2913.33"), Decimal("2913.33"), Decimal("2913.34")]
        pays = [k.pay_bill(business(date(2025, 6 + i, 20)), "Tyreline Ltd", "TYRELINE LTD",
                           f"TL-30188 instalment {i + 1} of 3", amount)
                for i, amount in enumerate(parts)]  # fmt: skip
        b.look("instalments", "a tyre bill paid in three instalments", bill, *pays)
        parts = [k.imp(when, "Mainland Trailers", f"Trailer refurbishment part {n}",
                       [(OP, Decimal("-4025.00")), ("Expenses:Trailers", Decimal("4025.00"))],
                       "Bill Payment", "MAINLAND TRAILERS", "REFURB", f"PART{n}", "")
                 for n, when in ((1, date(2025, 9, 3)), (2, date(2025, 9, 17)))]  # fmt: skip
        b.look("instalments", "a refurbishment paid in two equal parts, no bill", *parts)
        bill = k.bill(
            date(2025, 11, 3),
            "Mainland Trailers",
            "MT-2291",
            Decimal("23000.00"),
            "Assets:Equipment:Trailers",
            narration="Curtainsider trailer MT-2291",
        )
        dep = k.pay_bill(
            date(2025, 11, 4),
            "Mainland Trailers",
            "MAINLAND TRAILERS",
            "MT-2291 deposit 50%",
            Decimal("13225.00"),
        )
        bal = k.pay_bill(
            date(2025, 12, 1),
            "Mainland Trailers",
            "MAINLAND TRAILERS",
            "MT-2291 balance",
            Decimal("13225.00"),
        )
        b.look(
            "split_payment", "a trailer: 50% deposit and the balance of one bill", bill, dep, bal
        )

    def reversals(self):
        b, k = self.b, self.k
        wrong = k.bill(
            date(2025, 7, 22),
            "Truckstops Canterbury Ltd",
            "TS-48390",
            Decimal("1640.00"),
            "Expenses:Tyres",
        )
        rev = b.add(
            date(2025, 7, 24),
            "Truckstops Canterbury Ltd",
            "Reverse TS-48390 (wrong account)",
            self.legs(wrong, -1),
            TYPED,
            meta={"invoice": "TS-48390"},
        )
        again = k.bill(
            date(2025, 7, 24),
            "Truckstops Canterbury Ltd",
            "TS-48390",
            Decimal("1640.00"),
            "Expenses:Repairs",
        )
        k.pay_bill(
            date(2025, 8, 20),
            "Truckstops Canterbury Ltd",
            "TRUCKSTOPS CANTERBURY",
            "TS-48390",
            Decimal("1886.00"),
        )
        b.look(
            "reversed_and_rebooked",
            "a bill on the wrong account, reversed and booked again under its number",
            wrong,
            rev,
            again,
        )
        first = [t for t in k.runs if t.payee == "Hemi Walker" and t.seq not in self.used][30]
        self.used.add(first.seq)
        rev = b.add(
            first.date + days(3),
            first.payee,
            f"Reverse {first.narration} (run re-issued)",
            self.legs(first, -1),
            RUNS,
            meta=dict(first.meta),
        )
        again = b.add(
            first.date + days(3),
            first.payee,
            first.narration,
            self.legs(first),
            RUNS,
            meta=dict(first.meta),
        )
        b.look(
            "reversed_and_rebooked",
            "an RCTI reversed and issued again: paid once",
            first,
            rev,
            again,
        )

    def odd_ones(self):
        b, k = self.b, self.k
        one = k.bill(
            date(2025, 8, 5),
            "Truckstops Canterbury Ltd",
            "TS-48511",
            Decimal("780.00"),
            "Expenses:Repairs",
        )
        two = k.bill(
            date(2025, 8, 14),
            "TRUCKSTOPS CHCH",
            "TS-48533",
            Decimal("780.00"),
            "Expenses:Repairs",
            narration="Service LHB208",
        )
        b.look(
            "abbreviated_payees",
            "two services of equal price, one under the workshop's short name, each its own number",
            one,
            two,
        )
        one = k.bill(
            date(2026, 1, 12),
            "Hornby Auto Electrical",
            "HAE-1240",
            Decimal("318.00"),
            "Expenses:Repairs",
        )
        two = k.bill(
            date(2026, 1, 21),
            "HAE",
            "HAE-1262",
            Decimal("318.00"),
            "Expenses:Repairs",
            narration="Invoice 1262 reversing camera",
        )
        b.look(
            "abbreviated_payees", "two equal invoices, one under the vendor's initials", one, two
        )
        buy = k.fuel_line(date(2025, 12, 9), "NMC733", "Z Moorhouse", Decimal("412.60"))
        back = k.fuel_line(date(2025, 12, 9), "NMC733", "Z Moorhouse", Decimal("-412.60"))
        back.narration = "Refund pump mis-keyed NMC733"
        k.fuel_line(date(2025, 12, 9), "NMC733", "Z Moorhouse", Decimal("214.60"))
        b.look("refund_next_to_purchase", "a mis-keyed fuel sale refunded the same day", buy, back)
        bill = k.bill(
            date(2026, 2, 9), "Tyreline Ltd", "TL-30512", Decimal("1120.00"), "Expenses:Tyres"
        )
        credit = b.add(
            date(2026, 2, 16),
            "Tyreline Ltd",
            "Credit note CN-30512 tyres returned",
            self.legs(bill, -1),
            TYPED,
            meta={"invoice": "CN-30512"},
        )
        b.look("credit_note", "a bill and its credit note for the whole of it", bill, credit)
        out = [t for t in k.driver_pays if t.payee == "Sione Tupou" and t.seq not in self.used][35]
        self.used.add(out.seq)
        amount = out.amount_on(DRV)
        back = k.imp(out.date + days(2), "Sione Tupou", "Returned payment - account closed",
                     [(OP, amount), (DRV, -amount)], "Direct Credit",
                     "RETURNED PAYMENT S TUPOU", "RETURN", out.extra["code"], "")  # fmt: skip
        again = k.imp(out.date + days(3), "Sione Tupou", out.narration + " resent new account",
                      [(OP, -amount), (DRV, amount)], "Payment", "S TUPOU", "Settlement",
                      out.extra["code"], "KOWHAI FREIGHT")  # fmt: skip
        b.look(
            "returned_and_resent",
            "a settlement returned by the bank and sent again",
            out,
            back,
            again,
        )


def build() -> Book:
    k = Kowhai()
    k.build()
    p = Planter(k)
    p.plant()
    p.looks()
    return k.b


__all__ = ["AP", "GST", "NETPAY", "PAYE", "build"]
