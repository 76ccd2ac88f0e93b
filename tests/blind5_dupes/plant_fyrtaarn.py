"""Salon Fyrtårn's planted duplicates and honest look-alikes, over the year of book_fyrtaarn."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from book_fyrtaarn import (
    BANK,
    BANKF,
    BILAG,
    DAG,
    DEB,
    KASSE,
    KORT,
    KORTF,
    KRED,
    MOMS,
    MP,
    NETS,
    NETTO,
    OPTIONS,
    SAVE,
    Fyrtaarn,
    number_vouchers,
)  # fmt: skip
from core import Book, Planting, Posting, days, swapped, transposed


class Planter(Planting):
    def __init__(self, f: Fyrtaarn, used: set[int] | None = None):
        super().__init__(f, used)
        self.f = f

    def again(self, t, when, payee, narration, file, sign=1):
        return self.b.add(when, payee, narration, self.legs(t, sign), file, copy=True)

    # -- planted duplicates -------------------------------------------------------------

    def plant(self):
        b, f, rng = self.b, self.f, self.rng
        for n, t in enumerate(self.pick(f.takings, 5)):
            narr = [
                t.narration,
                f"Dagsopgørelse {t.date:%d.%m}",
                t.narration,
                f"{t.narration} (genindtastet)",
                f"Z {t.narration.split()[-1]}",
            ][n]
            copy = self.again(t, t.date + days(n % 2), "Salonbook" if n % 2 else "Kasse", narr,
                              DAG)  # fmt: skip
            b.dup(
                "takings_typed_twice",
                "a day's Z-report typed twice (no bank line: the clearing accounts and the till)",
                t,
                copy,
            )

        for n, t in enumerate(self.pick(f.settles, 5)):
            copy = self.again(
                t,
                t.date - days(n % 2),
                ["NETS 0417733 UDB.", "Nets A/S", "Nets", "NETS", "Nets Denmark"][n],
                [
                    "afregning",
                    f"Nets udbetaling {t.narration.split()[-1]}",
                    "Kortindløsning",
                    "Betalingskort",
                    t.narration,
                ][n],
                BANKF,
            )
            b.dup(
                "settlement_typed_twice",
                "a Nets card settlement typed from the Nets portal "
                "and again from the bank statement",
                t,
                copy,
            )

        for n, t in enumerate(self.pick(f.payouts, 3)):
            copy = self.again(
                t,
                t.date - days(n % 2),
                "MobilePay MyShop",
                "Udbetaling iflg. MobilePay portal",
                BANKF,
            )
            b.dup(
                "mobilepay_payout_twice",
                "a MobilePay payout typed from the portal's report and from the bank",
                t,
                copy,
            )

        for n, t in enumerate(self.pick(f.deposits, 3)):
            copy = self.again(
                t,
                t.date + days(n % 2),
                "Danske Bank",
                f"Indsat kontanter kvittering {rng.randint(4000, 9999)}",
                BANKF,
            )
            b.dup(
                "cash_deposit_twice",
                "the week's cash deposit typed from the deposit slip and from the bank statement",
                t,
                copy,
            )

        shorts = {"Frisørgrossisten A/S": "Frisørgrossisten", "L'Oréal Danmark A/S": "L'Oreal",
                  "Hairtools ApS": "HAIRTOOLS"}  # fmt: skip
        for n, t in enumerate(self.pick(f.bills, 5)):
            number = t.narration.split()[-1]
            narr = [
                f"Fakt. nr {number}",
                f"Faktura {number} (kopi)",
                f"Faktura nr. {number}",
                f"Varekøb {t.date:%d.%m}",
                f"Fakt {number}",
            ][n]
            copy = self.again(t, t.date + days(1 + 2 * n), shorts[t.payee], narr, BILAG)
            b.dup(
                "bill_entered_twice",
                f"invoice {number} typed from the e-mailed PDF and again "
                "from the paper copy in the box",
                t,
                copy,
            )

        for t in self.pick(f.bills, 3, lambda t: t.extra["paid_by"].seq not in self.used):
            p = t.extra["paid_by"]
            self.used.add(p.seq)
            amount = p.amount_on(KRED)
            again = f.pay(p.date + days(rng.choice([5, 9, 14])), p.payee, p.bank_text,
                          p.narration, amount)  # fmt: skip
            b.dup("paid_twice", f"{p.narration} paid twice, both left the bank", p, again)

        for n, t in enumerate(self.pick(f.rent_paid, 4)):
            first = t.payee.split()[0]
            copy = self.again(t, t.date - days(n % 2), first, f"{first} har betalt stolleje "
                              "(sms)", BANKF)  # fmt: skip
            b.dup(
                "booth_rent_received_twice",
                f"{t.payee}'s chair rent typed from her message and from the bank statement",
                t,
                copy,
            )

        for n, t in enumerate(self.pick(f.card, 5)):
            copy = self.again(t, t.date + days(n % 4), t.bank_text, "iflg. kortudtog", KORTF)
            if n == 2:  # typed from the statement split over two accounts
                spent = -t.amount_on(KORT)
                half = (spent / 2).quantize(Decimal("0.01"))
                copy.postings = [_posting(t.postings[0].account, half),
                                 _posting("Udgifter:Diverse", spent - half),
                                 _posting(KORT, -spent)]  # fmt: skip
            b.dup(
                "card_typed_twice",
                "a card purchase typed from the receipt and again from "
                "the Mastercard statement under the card's text",
                t,
                copy,
            )

        for n, t in enumerate(self.pick(f.card_pays, 2)):
            copy = self.again(t, t.date + days(1 + n), "Mastercard", "Indbetaling - tak", KORTF)
            b.dup(
                "transfer_both_sides",
                "the card repayment typed from the bank statement and "
                "again from the card statement",
                t,
                copy,
            )
        for t in self.pick(f.saves, 2):
            copy = self.again(t, t.date, "Danske Bank", "Overført fra driftskonto", BANKF)
            b.dup(
                "transfer_both_sides",
                "the monthly transfer to savings typed from both accounts' statements",
                t,
                copy,
            )

        for n, t in enumerate(self.pick(f.payroll, 2)):
            copy = self.again(t, t.date + days(n), "Danløn", t.narration, BILAG)
            b.dup("payroll_journal_twice", "the month's Danløn journal typed twice", t, copy)
        for t in self.pick(f.netpays, 2):
            copy = self.again(t, t.date - days(1), t.payee.split()[0], "Løn iflg. lønseddel",
                              BANKF)  # fmt: skip
            b.dup(
                "salary_typed_twice",
                f"{t.payee}'s net pay typed from the payslip and from the bank",
                t,
                copy,
            )
        for n, t in enumerate(self.pick(f.taxes, 2)):
            copy = self.again(t, t.date + days(n), "SKAT", "Betalt iflg. skattekonto", BANKF)
            b.dup(
                "tax_payment_typed_twice",
                "a payment to the tax account typed from "
                "Skattestyrelsen's receipt and from the bank",
                t,
                copy,
            )
        self.refunds()
        self.gross_and_net()
        self.invoice_run()
        self.typos()

    def gross_and_net(self):
        """A Nets settlement typed from the portal at its gross, and from the bank at its net."""
        b, f = self.b, self.f
        for n, t in enumerate(self.pick(f.settles, 2)):
            gross = -t.amount_on(NETS)
            day = t.narration.split()[-1]
            copy = b.add(t.date - days(n), "Nets", f"Nets udbetaling {day} (brutto)",
                         [(BANK, gross), (NETS, -gross)], BANKF, copy=True)  # fmt: skip
            b.dup("settlement_gross_and_net", f"the card takings of {day} typed at their gross "
                  "from the Nets portal and at the net the bank received", t, copy)  # fmt: skip

    def invoice_run(self):
        """September's chair-rent invoice run made twice (new numbers, one month's rent), and
        Line's April invoice made anew when she asked for a copy."""
        b, f = self.b, self.f
        september = [t for t in f.rent_invoices if t.date.month == 9]
        april = [t for t in f.rent_invoices if t.date.month == 4 and t.payee == "Line Brandt"]
        self.used.update(t.seq for t in september + april)
        for n, t in enumerate(september + april):
            month = t.narration.split()[1]
            when = t.date + days(2 if n < 3 else 9)
            copy = b.add(when, t.payee, f"Stolleje {month} faktura 2025-{91 + n:03d}",
                         self.legs(t), BILAG, copy=True)  # fmt: skip
            why = "the invoice run made again" if n < 3 else "made anew when she asked for a copy"
            b.dup("invoice_run_twice", f"{t.payee}'s chair rent for {month} invoiced twice "
                  f"under a new number: {why}", t, copy)  # fmt: skip

    def typos(self):
        """A bill typed twice, the copy's amount or date mistyped."""
        b, f = self.b, self.f
        t = self.pick(f.bills, 1, lambda t: t.payee == "Frisørgrossisten A/S")[0]
        number, gross = t.narration.split()[-1], -t.amount_on(KRED)
        copy = f.bill(t.date + days(3), t.payee, number, transposed(gross))
        copy.copy = True
        b.dup("bill_amount_typo", f"invoice {number} typed twice, the copy's {gross} typed as "
              f"{transposed(gross)}", t, copy)  # fmt: skip
        t = self.pick(f.bills, 1, lambda t: swapped(t.date) is not None)[0]
        copy = b.add(swapped(t.date), t.payee, t.narration, self.legs(t), BILAG, copy=True)
        b.dup("bill_date_swapped", f"{t.narration} typed twice, the copy dated "
              f"{swapped(t.date)} (day and month read the other way)", t, copy)  # fmt: skip

    def refunds(self):
        b, f = self.b, self.f
        r = f.bank(date(2025, 4, 23), "Frisørgrossisten A/S", "Kreditering fejllevering",
                   [(BANK, "845.00"), ("Udgifter:Varekoeb", "-676.00"), (MOMS, "-169.00")],
                   "FRISOERGROSSISTEN A/S")  # fmt: skip
        c = self.again(r, date(2025, 4, 22), "Frisørgrossisten", "Refusion for fejllevering",
                       BILAG)  # fmt: skip
        b.dup(
            "refund_twice",
            "a wholesaler's refund typed from its credit mail and from the bank",
            r,
            c,
        )
        r = f.bank(date(2025, 9, 16), "Karina Vestergaard", "Refusion farvning (kunde utilfreds)",
                   [(BANK, "-1450.00"), ("Indtaegter:Behandlinger", "1160.00"),
                    (MOMS, "290.00")], "OVERFØRSEL K VESTERGAARD")  # fmt: skip
        c = self.again(r, date(2025, 9, 17), "K. Vestergaard", "Tilbagebetaling til kunde",
                       BANKF)  # fmt: skip
        b.dup(
            "refund_twice", "a client's refund typed when sent and again from the statement", r, c
        )

    # -- honest look-alikes -------------------------------------------------------------

    def looks(self):
        b, f = self.b, self.f
        paid = {}
        for t in self.free(f.rent_paid):
            paid.setdefault(t.date, []).append(t)
        groups = [d for d in sorted(paid) if len(paid[d]) == 3]
        for d in groups[:8:2]:
            b.look(
                "booth_rent_same_day",
                "three chair renters paying the same rent the same day",
                *paid[d],
            )
        inv = {}
        for t in f.rent_invoices:
            inv.setdefault(t.date, []).append(t)
        for d in sorted(inv)[5:12:6]:
            b.look("equal_invoices_same_day", "the three chair-rent invoices of one month", *inv[d])
        mette = [t for t in self.free(f.rent_paid) if t.payee == "Mette Holm"]
        b.look("booth_rent_monthly", "one renter's equal rent each month", *mette[8:10])
        net = {}
        for t in self.free(f.netpays):
            net.setdefault(t.date, {})[t.payee] = t
        for d in sorted(net)[2:9:5]:
            b.look("payroll_equal", "two apprentices on equal net pay the same day",
                   net[d]["Emma Lund"], net[d]["Freja Møller"])  # fmt: skip
        for when, shop, text, account, amount, words in (
            (date(2025, 3, 11), "Netto", "NETTO 7788 AARHUS", "Udgifter:Personale", "89.95",
             ("kaffe til personalerum", "kaffe til kunderne")),
            (date(2025, 6, 19), "Matas", "MATAS 0123 AARHUS C", "Udgifter:Forbrug", "249.00",
             ("varmebeskyttelse til Annas stol", "varmebeskyttelse til Jonas' stol")),
            (date(2025, 10, 8), "Power", "POWER AARHUS NORD", "Udgifter:Inventar", "1299.00",
             ("føntørrer plads 2", "føntørrer plads 4")),
        ):  # fmt: skip
            pair = [f.card_line(when, shop, text, account, Decimal(amount), w) for w in words]
            b.look(
                "same_day_identical",
                f"two identical {shop} purchases the same day, two "
                "card lines, the narrations say which",
                *pair,
            )
        pair = [f.card_line(date(2025, 2, 20), "Netto", "NETTO 7788 AARHUS", "Udgifter:Personale",
                             Decimal("64.50"), "kaffe og mælk") for _ in range(2)]  # fmt: skip
        b.look("same_day_identical", "two receipts alike the same day, typed alike: the card "
               "statement shows two lines", *pair)  # fmt: skip
        pair = [f.bank(date(2025, 5, 20), "AMU Midtjylland", f"Kursus {who}",
                       [(BANK, "-1650.00"), ("Udgifter:Kurser", "1650.00")],
                       f"AMU MIDTJYLLAND {ref}") for who, ref in (("Emma", "40112"),
                                                                  ("Freja", "40113"))]  # fmt: skip
        b.look("same_day_identical", "two apprentices' equal course fees the same day", *pair)
        self.instalments()
        self.reversals()
        self.recurring()
        self.odd_ones()

    def instalments(self):
        b, f = self.b, self.f
        bill = f.bill(date(2025, 2, 10), "Salonudstyr Nordic ApS", 5521, Decimal("26250.00"),
                      "Udgifter:Inventar", "Faktura 5521 - 3 frisørstole")  # fmt: skip
        pays = [f.pay(when, "Salonudstyr Nordic ApS", "SALONUDSTYR NORDIC",
                      f"Faktura 5521 rate {n} af 3", Decimal("8750.00"))
                for n, when in ((1, date(2025, 3, 3)), (2, date(2025, 4, 1)),
                                (3, date(2025, 5, 1)))]  # fmt: skip
        b.look("instalments", "three chairs on one invoice paid in three equal rates", bill, *pays)
        pays = [f.bank(when, "VVS-Hansen", f"Vaskeunit {n}. rate", [(BANK, "-6400.00"),
                       ("Udgifter:Inventar", "5120.00"), (MOMS, "1280.00")], "VVS-HANSEN APS")
                for n, when in ((1, date(2025, 8, 12)), (2, date(2025, 9, 12)))]  # fmt: skip
        b.look("instalments", "a washing unit in two equal rates, no bill", *pays)
        bill = f.bill(date(2025, 10, 20), "Tømrer Bach", 318, Decimal("42500.00"),
                      "Udgifter:Reparation", "Faktura 318 ombygning af reception")  # fmt: skip
        dep = f.pay(date(2025, 10, 22), "Tømrer Bach", "TOEMRER BACH", "Faktura 318 depositum",
                    Decimal("21250.00"))  # fmt: skip
        rest = f.pay(date(2025, 11, 24), "Tømrer Bach", "TOEMRER BACH",
                     "Faktura 318 restbetaling", Decimal("21250.00"))  # fmt: skip
        b.look(
            "split_payment",
            "a reception rebuilt: half on order, the rest on completion",
            bill,
            dep,
            rest,
        )

    def reversals(self):
        b, f = self.b, self.f
        wrong = f.bill(
            date(2025, 5, 6), "Hairtools ApS", 5377, Decimal("2140.00"), "Udgifter:Forbrug"
        )
        rev = self.again(wrong, date(2025, 5, 9), "Hairtools ApS", "Modpostering faktura 5377 "
                         "(forkert konto)", BILAG, sign=-1)  # fmt: skip
        rev.copy = False
        again = f.bill(date(2025, 5, 9), "Hairtools ApS", 5377, Decimal("2140.00"))
        f.pay(
            date(2025, 6, 6),
            "Hairtools ApS",
            "HAIRTOOLS APS",
            "Betaling faktura 5377",
            Decimal("2140.00"),
        )
        b.look(
            "reversed_and_rebooked",
            "a bill on the wrong account, reversed and typed again",
            wrong,
            rev,
            again,
        )
        day = self.free(f.takings)[150]
        self.used.add(day.seq)
        rev = self.again(day, day.date + days(1), "Salonbook", f"Modpostering {day.narration} "
                         "(forkert fordeling)", DAG, sign=-1)  # fmt: skip
        rev.copy = False
        again = self.again(day, day.date + days(1), "Salonbook", day.narration, DAG)
        again.copy = False
        b.look(
            "reversed_and_rebooked",
            "a Z-report reversed and typed again the next day",
            day,
            rev,
            again,
        )

    def recurring(self):
        b, f = self.b, self.f
        by_payee = {}
        for t in self.free(f.other):
            by_payee.setdefault(t.payee, []).append(t)
        b.look(
            "rent",
            "the salon's rent each month",
            *by_payee["Ejendomsselskabet Vestergade ApS"][3:5],
        )
        b.look("subscription", "Salonbook each month", *by_payee["Salonbook"][6:8])
        b.look("utility_aconto", "electricity on account each quarter", *by_payee["Norlys"][1:3])
        b.look("insurance", "the quarterly insurance premium", *by_payee["Tryg"][2:4])
        b.look("recurring_transfer", "the monthly transfer to savings", *self.free(f.saves)[4:6])

    def odd_ones(self):
        b, f = self.b, self.f
        one = f.bill(date(2025, 3, 18), "Frisørgrossisten A/S", 21044, Decimal("3187.50"))
        two = f.bill(date(2025, 4, 8), "FRISØRGROSS.", 21290, Decimal("3187.50"),
                     narration="Fakt. 21290 farver")  # fmt: skip
        b.look(
            "abbreviated_payees",
            "two wholesaler invoices of equal amount, one under its "
            "short name, each its own number",
            one,
            two,
        )
        one = f.card_line(
            date(2025, 8, 5),
            "Matas",
            "MATAS 0123 AARHUS C",
            "Udgifter:Forbrug",
            Decimal("312.00"),
            "shampoo",
        )
        two = f.card_line(date(2025, 8, 19), "MATAS 0123", "MATAS 0123 AARHUS C",
                          "Udgifter:Forbrug", Decimal("312.00"), "shampoo")  # fmt: skip
        b.look(
            "abbreviated_payees",
            "two equal purchases two weeks apart, one under the card's text",
            one,
            two,
        )
        buy = f.card_line(date(2025, 11, 4), "Power", "POWER AARHUS NORD", "Udgifter:Inventar",
                          Decimal("899.00"), "glattejern")  # fmt: skip
        back = f.card_line(date(2025, 11, 6), "Power", "POWER AARHUS NORD", "Udgifter:Inventar",
                           Decimal("-899.00"), "glattejern returneret")  # fmt: skip
        b.look("refund_next_to_purchase", "a straightener bought and returned", buy, back)
        bill = f.bill(date(2025, 6, 16), "L'Oréal Danmark A/S", 9931977, Decimal("4410.00"))
        credit = self.again(bill, date(2025, 6, 20), "L'Oréal Danmark A/S",
                            "Kreditnota 9931977 hele fakturaen", BILAG, sign=-1)  # fmt: skip
        credit.copy = False
        b.look("credit_note", "an invoice and its credit note for the whole of it", bill, credit)
        buy = f.card_line(
            date(2025, 9, 9),
            "IKEA",
            "IKEA AARHUS",
            "Udgifter:Forbrug",
            Decimal("1185.00"),
            "hylder til lager",
        )
        fix = f.b.add(date(2025, 9, 30), "IKEA", "Omposteret hylder til inventar",
                      [("Udgifter:Inventar", Decimal("1185.00")),
                       ("Udgifter:Forbrug", Decimal("-1185.00"))], BILAG)  # fmt: skip
        b.look("correction", "a purchase and the journal moving it to another account", buy, fix)
        one = f.bill(date(2025, 11, 10), "L'Oréal Danmark A/S", 9932540, Decimal("5980.00"))
        two = f.bill(date(2025, 12, 8), "L'Oréal Danmark A/S", 9932811, Decimal("5980.00"))
        b.look("equal_bills", "the standing monthly colour order, same amount", one, two)


def _posting(account, amount):
    return Posting(account, amount, "DKK")


def build() -> Book:
    f = Fyrtaarn()
    f.build()
    p = Planter(f)
    p.plant()
    p.looks()
    number_vouchers(f.b)
    for name in (DAG, BANKF, KORTF, BILAG):
        f.b.headers[name] = [*OPTIONS, ""]
    return f.b


__all__ = ["DEB", "KASSE", "MP", "NETS", "NETTO", "SAVE", "build"]
