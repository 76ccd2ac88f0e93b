"""Kōwhai Freight's honest look-alikes: alike in amount, payee or date, and not duplicates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from book_kowhai import AR, DRV, OP, RUNS, SALES, TYPED, Kowhai
from core import Planting, business, days

SAME_DAY_FUEL = [
    (date(2025, 6, 11), "Z Hornby", "402.18", "KFT411 LHB208"),
    (date(2025, 9, 24), "Z Ashburton", "655.40", "NMC733 KFT411"),
    (date(2026, 2, 3), "Z Rolleston", "310.00", "HWK77 STP402"),
]


class Looks(Planting):
    def __init__(self, k: Kowhai, used: set[int] | None = None):
        super().__init__(k, used)
        self.k = k

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
        invs = [
            k.invoice(
                date(2025, 10, 3),
                "Southfresh Produce Ltd",
                Decimal("1840.00"),
                narration=f"Chiller pallets {run}",
            )
            for run in ("Blenheim", "Timaru")
        ]
        pays = [k.receive(date(2025, 10, 24), "Southfresh Produce Ltd", "SOUTHFRESH PRODUCE",
                          inv, inv.amount_on(AR)) for inv in invs]  # fmt: skip
        b.look("equal_receipts_same_day", "one customer paying two equal invoices the same day, "
               "each payment naming its own", *pays)  # fmt: skip
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
        inv = k.invoice(date(2025, 9, 8), "Canterbury Timber Co", Decimal("4180.00"))
        number = inv.meta["invoice"]
        credit = b.add(date(2025, 9, 10), "Canterbury Timber Co", f"Credit note {number} "
                       "(re-issued with PO)", self.legs(inv, -1), SALES,
                       meta={"invoice": f"CN-{number}"})  # fmt: skip
        again = k.invoice(date(2025, 9, 10), "Canterbury Timber Co", Decimal("4180.00"),
                          narration=f"Freight 08 Sep PO 77812 (replaces {number})")  # fmt: skip
        k.receive(date(2025, 10, 8), "Canterbury Timber Co", "CANTERBURY TIMBER", again,
                  again.amount_on(AR))  # fmt: skip
        b.look("reissued_invoice", "an invoice credited in full and issued again under a new "
               "number with the customer's PO: owed once", inv, credit, again)  # fmt: skip
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
