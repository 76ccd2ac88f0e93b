"""Käserei Alpwiese's planted duplicates and honest look-alikes, on top of its year."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from book_alpwiese import (
    CUSTOMERS,
    DEB,
    EUR_FILE,
    KRED,
    MILCH,
    MONATE,
    SALES_FILE,
    SUPPLIERS,
    UNK,
    ZEUR,
    ZKB,
    Alpwiese,
)
from core import Book, Picker, clone, money, next_weekday, reversal


class Planter(Picker):
    def __init__(self, a: Alpwiese):
        super().__init__(a.b, a.rng)
        self.a = a

    def plant(self) -> Book:
        self.lookalikes()
        self.duplicates()
        return self.b

    def duplicates(self):
        a, b, rng = self.a, self.b, self.rng
        for i, t in enumerate(self.pick(a.milk, 3, lambda t: t.date.month > 1)):
            if i == 0:
                c = clone(b, t)
                note = "the dairy software's export read in again: the same abrechnung"
            else:
                month = MONATE[t.date.month - 2]
                c = clone(
                    b,
                    t,
                    date=t.date + timedelta(days=rng.randint(1, 4)),
                    meta={},
                    narration=f"Milchabr. {month[:3]}. {t.payee.split()[0]}",
                )
                note = "a milk statement posted from the export and typed again from paper"
            b.dup("milk_statement_twice", note, t, c)

        for t in self.pick(a.settles, 2, lambda t: t.date.month < 12):
            fitid = f"{t.date:%Y%m%d}9{len(b.txns):04d}"
            c = clone(
                b,
                t,
                is_copy=False,
                date=next_weekday(t.date, 3),
                meta={"ofxid": t.meta["ofxid"].rsplit(".", 1)[0] + "." + fitid},
                lines={ZKB: dict(t.lines[ZKB], id=fitid)},
            )
            b.dup(
                "paid_twice",
                "a farmer's balance sent twice: the payment file was "
                "released again three days later",
                t,
                c,
            )

        pool = a.advances + [s for rows in a.salaries for s in rows] + a.fees
        for i, t in enumerate(self.pick(pool, 3, lambda t: t.date.day >= 24)):
            if i == 2:
                c = clone(
                    b,
                    t,
                    flag="!",
                    narration=t.lines[ZKB]["text"],
                    postings=[(ZKB, t.on(ZKB)), (UNK, -t.on(ZKB))],
                )
            else:
                c = clone(b, t)
            b.dup(
                "imported_twice_same_id",
                "the OFX downloaded again over the same days: the same ofxid imported twice",
                t,
                c,
            )

        eur = [r for rs in a.receipts.values() for r in rs if r.on(ZEUR)]
        for t in self.pick(eur, 3):
            amount = t.on(ZEUR)
            c = b.tx(
                t.date - timedelta(days=rng.randint(1, 3)),
                t.payee,
                f"Zahlungsavis {t.narration.split()[-1]}",
                (ZEUR, amount, "EUR"),
                (DEB, -amount, "EUR"),
                file=SALES_FILE,
                copy=True,
            )
            b.dup(
                "eur_receipt_twice",
                "an importer's EUR payment typed from its payment advice "
                "and imported from the EUR account's OFX",
                t,
                c,
            )

        for t in self.pick(a.sweeps, 3):
            chf, eur = t.on(ZKB), t.on(ZEUR)
            c = b.tx(
                t.date + timedelta(days=rng.randint(0, 1)),
                "ZKB",
                "Devisen an CHF-Konto",
                (ZEUR, eur, "EUR", f"@@ {chf} CHF"),
                (ZKB, chf),
                file=EUR_FILE,
                meta={"ofxid": t.meta["ofxid"].replace("0001", "0002", 1) + "E"},
                copy=True,
            )
            b.dup("transfer_both_sides", "the EUR sweep imported from both accounts' OFX", t, c)

        for t in self.pick(a.rebates[:3], 2):
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=rng.randint(4, 9)),
                meta={},
                narration=f"Coop Gutschriftsanzeige Bonus {t.narration.split()[2]}",
            )
            b.dup(
                "rebate_credit_twice",
                "Coop's quarterly rebate posted at quarter end and again from Coop's credit advice",
                t,
                c,
            )

        for i, t in enumerate(self.pick(a.bills, 3, lambda t: t.date.month < 12)):
            number = t.meta["invoice"]
            meta = {"qr_ref": t.meta["qr_ref"]}
            if i == 1:
                meta["invoice"] = f"RG-{number}"
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=rng.randint(1, 6)),
                payee=t.supplier[1],
                narration=f"QR-Rechnung {number}",
                meta=meta,
            )
            b.dup(
                "bill_entered_twice",
                "a QR bill scanned in the e-banking app and entered "
                "again from paper (the same QR reference)",
                t,
                c,
            )

        for t in self.pick(a.invoices, 2, lambda t: t.cur == "EUR"):
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=rng.randint(2, 7)),
                narration=f"Rechnung {t.meta['invoice']} (Kopie an Kunde)",
            )
            b.dup(
                "invoice_issued_twice",
                "an export invoice recorded again when its copy was sent to the customer",
                t,
                c,
            )

    def lookalikes(self):
        a, b = self.a, self.b
        for month in (3, 6, 10):
            group = [
                t for t in a.advances if t.date.month == month and t.on(ZKB) == Decimal("-3000.00")
            ]
            b.look(
                "same_day_identical",
                "equal milk advances to five farmers the same day, one bank line each",
                *group,
            )
            self.mark(*group)
        for month in (2, 9):
            pair = a.salaries[month - 1][:2]
            b.look("payroll_equal", "two cheesemakers on equal pay, paid the same day", *pair)
            self.mark(*pair)
        sepp = next(t for t in a.milk if t.farmer == "FAS" and t.date.month == 5)
        toni = next(t for t in a.milk if t.farmer == "FAT" and t.date.month == 5)
        set_kg(toni, sepp.kg)
        group = [sepp, toni, sepp.settle, toni.settle]
        b.look(
            "equal_milk",
            "two brothers delivered the same kilos in April: equal statements and equal balances",
            *group,
        )
        self.mark(*group)
        t = next(t for t in a.milk if t.farmer == "LOO" and t.date.month == 8)
        set_kg(t, 7362, Decimal("6000.00"))
        b.look(
            "advance_and_balance",
            "a farmer's advance and the month's balance, equal (3,000.00 each)",
            t.advance,
            t.settle,
        )
        self.mark(t, t.advance, t.settle)

        landi = CUSTOMERS[3]
        inv = next(i for i in a.invoices if i.customer == landi and i.date.month == 5)
        cn = b.tx(
            inv.date + timedelta(days=8),
            landi[0],
            f"Gutschrift zu {inv.meta['invoice']} - Ware retour (Lagerfehler)",
            *[(p.account, -p.amount) for p in inv.postings],
            meta={"invoice": f"GS-{inv.meta['invoice']}"},
            file=SALES_FILE,
        )
        for r in a.receipts.pop(id(inv), []):
            b.txns.remove(r)
        b.look("credit_note", "an invoice and its credit note for the whole of it", inv, cn)
        self.mark(inv, cn)

        kessi = (
            "Kässerei Technik AG",
            "Kässerei Technik",
            "KAESSEREI TECHNIK AG",
            "Aktiven:Anlagen",
            0,
            0,
            12,
        )
        bill = a.bill(date(2025, 3, 3), kessi, "KT-2025-031", Decimal("84000.00"))
        b.txns.remove(a.bill_pays.pop(id(bill)))
        parts = [
            a.imp(
                day,
                ZKB,
                kessi[0],
                f"Rechnung KT-2025-031, {i}. Rate",
                "-28000.00",
                (KRED, "28000.00"),
                text="ZAHLUNG KAESSEREI TECHNIK AG",
            )
            for i, day in enumerate((date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30)), 1)
        ]
        b.look(
            "instalments",
            "a new cheese vat paid in three equal instalments ('1. Rate')",
            bill,
            *parts,
        )
        self.mark(bill, *parts)

        inv = next(i for i in a.invoices if i.cur == "EUR" and i.date.month == 7)
        for r in a.receipts.pop(id(inv), []):
            b.txns.remove(r)
        half = money(inv.gross / 2)
        parts = [
            a.receive(day, inv, amt, f"Teilzahlung {inv.meta['invoice']}")
            for day, amt in (
                (next_weekday(inv.date, 20), half),
                (next_weekday(inv.date, 34), inv.gross - half),
            )
        ]
        b.look("split_payment", "an importer paying one invoice in two halves", inv, *parts)
        self.mark(inv, *parts)

        volg = CUSTOMERS[1]
        pair = [
            a.invoice(
                date(2025, 8, 19),
                volg,
                Decimal("2184.60"),
                f"R-25-09{n}",
                f"Rechnung R-25-09{n} - Käse, Filiale {branch}",
            )
            for n, branch in ((91, "Wattwil"), (92, "Nesslau"))
        ]
        receipts = [a.receive(date(2025, 9, 18), i) for i in pair]
        b.look(
            "equal_invoices",
            "two Volg branches invoiced the same amount the same day, each paid naming its number",
            *pair,
            *receipts,
        )
        self.mark(*pair, *receipts)

        t = next(t for t in a.milk if t.farmer == "GRO" and t.date.month == 7)
        wrong = clone(b, t, is_copy=False, date=t.date - timedelta(days=31))
        rev = reversal(
            b, wrong, t.date, f"Storno {t.meta['abrechnung']} - im falschen Monat gebucht"
        )
        b.look(
            "reversed_and_rebooked",
            "a milk statement booked in the wrong month, reversed and booked again",
            wrong,
            rev,
            t,
        )
        self.mark(wrong, rev, t)

        sak = SUPPLIERS[0]
        pair = [a.bill(date(2025, m, 22), sak, f"77{m:02d}40", Decimal("2418.50")) for m in (4, 5)]
        pair[1].payee = "SAK"
        b.look(
            "abbreviated_payees",
            "two months' electricity of equal amount, one typed under the short name",
            *pair,
        )
        self.mark(*pair)
        group = a.fees[4:7]
        b.look("bank_fees", "the account fee each month", *group)
        self.mark(*group)


def set_kg(t, kg: int, gross: Decimal | None = None) -> None:
    """Give a milk statement (and its balance payment) another weight."""
    gross = gross or money(Decimal(kg) * Decimal("0.8150"))
    old = -t.on(MILCH)
    t.kg = kg
    t.narration = t.narration.rsplit(" - ", 1)[0] + f" - {kg:,} kg".replace(",", "'")
    t.postings[0].amount, t.postings[1].amount = gross, -gross
    s = t.settle
    rest = -s.on(ZKB) + gross - old
    s.postings[0].amount, s.postings[1].amount = -rest, rest
