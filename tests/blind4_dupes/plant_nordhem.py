"""Nordhem's planted duplicates, on top of its year and its look-alikes."""

from __future__ import annotations

from datetime import date, timedelta

from book_nordhem import (
    KLB,
    KLIENT,
    MONTHS,
    OPB,
    UNCAT,
    Nordhem,
    owner_acct,
)
from core import Book, Picker, clone, next_weekday
from looks_nordhem import Looks


class Planter(Looks, Picker):
    def __init__(self, n: Nordhem):
        super().__init__(n.b, n.rng)
        self.n = n

    def plant(self) -> Book:
        self.lookalikes()
        self.duplicates()
        return self.b

    def duplicates(self):
        n, b, rng = self.n, self.b, self.rng
        for t in self.pick(n.batches, 5, lambda t: len(t.tenants) >= 3):
            tenant = t.tenants[rng.randrange(len(t.tenants))]
            month = t.narration.split()[3]
            c = b.tx(
                t.date - timedelta(days=rng.randint(0, 1)),
                f"{tenant['name']}",
                f"Hyra {month} lgh {tenant['flat']} (enligt mejl från hyresgästen)",
                (KLB, tenant["rent"]),
                (owner_acct(tenant["owner"]), -tenant["rent"]),
                file=KLIENT,
                copy=True,
            )
            b.dup(
                "rent_typed_and_bgmax",
                "a tenant's rent typed from her e-mail and read again in the day's BgMax file",
                c,
                t,
            )

        for t in self.pick(n.batches, 2, lambda t: len(t.tenants) >= 2):
            c = clone(b, t)
            b.dup(
                "bgmax_read_twice",
                "the day's BgMax file read in again: the same serial, every payment twice",
                t,
                c,
            )

        for t in self.pick(n.remits, 5, lambda t: t.owner != "Kvarnbacken"):
            text = t.lines[KLB]["text"]
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=rng.randint(0, 3)),
                payee=text[7:].title(),
                narration="Utbetalning enligt kontoutdrag",
            )
            b.dup(
                "owner_remittance_twice",
                "an owner's payment typed from the avräkning and again from SEB's PDF statement",
                t,
                c,
            )

        e_invoices = [t for t in n.bills if "pagero_id" in t.meta]
        forms = [
            lambda x: "F" + x,
            lambda x: None,
            lambda x: x + "-1",
            lambda x: "Fakt " + x,
            lambda x: None,
            lambda x: x,
        ]
        for t, form in zip(self.pick(e_invoices, 6, lambda t: t.date.day < 20), forms, strict=True):
            number = form(t.meta["invoice"])
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=rng.randint(1, 8)),
                payee=t.vendor[1],
                narration=f"Fakt. {t.meta['invoice']} (pappersfaktura)",
                meta={"invoice": number} if number else {},
            )
            b.dup(
                "bill_entered_twice",
                "a contractor's invoice from Pagero and again from the scanned paper copy",
                t,
                c,
            )

        paid = [t for t in n.bills if id(t) in n.pays and t.date < date(2025, 11, 1)]
        for i, t in enumerate(self.pick(paid, 4)):
            p = n.pays[id(t)]
            self.mark(p)
            c = clone(b, p, is_copy=False, date=next_weekday(p.date, 7 + 7 * (i % 2)))
            b.dup("paid_twice", "the invoice paid again in the next payment run (bank twice)", p, c)

        (t,) = self.pick(paid, 1)
        p = n.pays[id(t)]
        self.mark(p)
        typed = clone(
            b, p, date=p.date + timedelta(days=2), narration="Betalning enligt kontoutdrag"
        )
        b.dup(
            "payment_typed_twice",
            "a bankgiro payment typed from the payment list and again from SEB's PDF",
            p,
            typed,
        )
        again = clone(b, p, is_copy=False, date=next_weekday(p.date, 14))
        b.dup("paid_twice", "and the invoice paid again in a later payment run", p, again)

        johan = n.salaries[11][1]
        self.mark(johan)
        b.dup(
            "imported_twice_same_id",
            "an overlapping SEB export: imported again beside the other caretaker's equal "
            "salary, a line of its own",
            johan,
            clone(b, johan),
        )

        company = n.monthly["fortnox"] + n.monthly["telia"] + [s[0] for s in n.salaries]
        for i, t in enumerate(
            self.pick(company + n.fee_moves, 4, lambda t: t.date.day >= 24 or t.date.day <= 4)
        ):
            if i == 1:
                c = clone(
                    b,
                    t,
                    flag="!",
                    narration=t.lines[OPB]["text"],
                    postings=[(OPB, t.on(OPB)), (UNCAT, -t.on(OPB))],
                )
            else:
                c = clone(b, t)
            b.dup(
                "imported_twice_same_id",
                "an overlapping SEB export: the same verifikationsnummer imported again",
                t,
                c,
            )

        for t in self.pick(n.fees, 3):
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=rng.randint(0, 5)),
                narration=f"Arvode enl faktura {t.meta['invoice']}",
                meta={},
            )
            b.dup(
                "fee_journal_twice",
                "the management fee posted at month end and again from the invoice copy",
                t,
                c,
            )

        for t in self.pick(n.recharges, 3):
            job = t.meta["arbetsorder"]
            end = (t.date + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            c = clone(
                b,
                t,
                date=end,
                narration=f"Vidarefakturering enl. lista "
                f"{MONTHS[t.date.month - 1]}: {job.replace('-', ' ')}",
                meta={},
            )
            b.dup(
                "recharge_twice",
                "own work recharged from the work order and again from the month's recharge list",
                t,
                c,
            )

        for t in self.pick(n.deposits_out, 3):
            c = clone(
                b,
                t,
                date=t.date + timedelta(days=rng.randint(2, 4)),
                payee=t.payee.upper(),
                narration="Återbetalning deposition enligt kontoutdrag",
            )
            b.dup(
                "deposit_refund_twice",
                "a deposit refund typed from the move-out protocol and "
                "again from the bank statement",
                t,
                c,
            )

        for t in self.pick(n.fee_moves, 4):
            c = b.tx(
                t.date + timedelta(days=rng.randint(0, 1)),
                "",
                "Överföring arvoden till företagskontot",
                (KLB, t.on(KLB)),
                (OPB, -t.on(KLB)),
                file=KLIENT,
                copy=True,
            )
            b.dup(
                "transfer_both_sides",
                "the fee transfer imported on the företagskonto and typed on klientmedel",
                t,
                c,
            )

        for t in self.pick(n.deposits_in, 2):
            c = clone(
                b,
                t,
                date=t.date - timedelta(days=rng.randint(3, 9)),
                narration=f"Deposition enligt hyresavtal lgh {t.flat}",
            )
            b.dup(
                "deposit_received_twice",
                "a new tenant's deposit booked from the signed lease and again when it arrived",
                c,
                t,
            )

        for t in self.pick([s[1] for s in n.salaries], 2, lambda t: t.date.month in (3, 9)):
            c = clone(
                b,
                t,
                meta={},
                payee="Johan Ek",
                file="ledgers/forvaltning.beancount",
                narration=f"{t.narration} enligt lönebesked",
            )
            b.dup(
                "payroll_typed_and_imported",
                "a salary typed from Fortnox Lön's payslip and imported from the bank",
                t,
                c,
            )
