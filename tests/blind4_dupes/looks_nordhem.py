"""Nordhem's honest look-alikes: entries a bookkeeper would not call duplicates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from book_nordhem import (
    AP,
    DEP,
    KLB,
    LEV,
    MONTHS,
    OWNERS,
    RECH,
    VENDORS,
    owner_acct,
)
from core import clone, next_weekday, reversal


class Looks:
    """The look-alike groups; mixed into the Planter, which holds the book and `used`."""

    def lookalikes(self):
        n, b = self.n, self.b
        moves = [
            ("Ekholm", 0, date(2025, 3, 31), date(2025, 8, 29)),
            ("Wiklund", 1, date(2025, 5, 30), date(2025, 10, 31)),
            ("Lindgren", 2, date(2025, 9, 30), date(2025, 6, 30)),
            ("Ekholm", 3, date(2025, 10, 31), date(2025, 11, 28)),
            ("Kvarnbacken", 0, date(2025, 2, 28), date(2025, 4, 30)),
        ]
        newnames = ["Öberg", "Holm", "Nyström", "Lund", "Falk"]
        for (key, i, move_in, move_out), name in zip(moves, newnames, strict=True):
            t = [x for x in n.tenants if x["owner"] == key][i]
            rent, flat = t["rent"], t["flat"]
            out = n.klient(
                move_out,
                t["name"],
                f"Återbetalning deposition lgh {flat}",
                -rent,
                (DEP, rent),
                text=f"BG UTB {t['name'].upper()}",
            )
            out.flat = flat
            n.deposits_out.append(out)
            dep = n.klient(
                move_in,
                name,
                f"Deposition lgh {flat}",
                rent,
                (DEP, -rent),
                text=f"INS {name.upper()}",
            )
            dep.flat = flat
            n.deposits_in.append(dep)
            if i in (0, 2):
                first = n.klient(
                    move_in,
                    name,
                    f"Hyra {MONTHS[move_in.month % 12]} lgh {flat} (första hyran)",
                    rent,
                    (owner_acct(key), -rent),
                    text=f"INS {name.upper()}",
                )
                b.look(
                    "deposit_and_first_rent",
                    "a new tenant pays the deposit and the first "
                    "month's rent, two equal transfers the same day",
                    dep,
                    first,
                )
                self.mark(dep, first)

        for month in (3, 9):
            group = [t for t in n.cleaning if t.date.month == month][:2]
            b.look(
                "same_day_identical",
                "stairwell cleaning of two buildings, 2,450.00 each, two invoice numbers",
                *group,
            )
            self.mark(*group)
        group = [t for t in n.cleaning if t.owner == "Wiklund" and t.date.month in (4, 5, 6)]
        b.look("equal_bills", "one building's stairwell cleaning each month", *group)
        self.mark(*group)
        for month in (2, 10):
            snow = VENDORS[3]
            a = n.bill(date(2025, month, 6), snow, "Ekholm", f"{9100 + month}", Decimal("3750.00"))
            c = n.bill(
                date(2025, month, 6), snow, "Lindgren", f"{9100 + month + 1}", Decimal("3750.00")
            )
            b.look(
                "equal_bills_same_day",
                "snow clearing of two owners' yards billed the same day at the same price",
                a,
                c,
                n.pays[id(a)],
                n.pays[id(c)],
            )
            self.mark(a, c, n.pays[id(a)], n.pays[id(c)])
        group = [t for t in n.remits if t.owner == "Kvarnbacken" and t.date.month in (2, 3, 4)]
        b.look("equal_remittances", "Kvarnbacken's fixed monthly remittance", *group)
        self.mark(*group)

        t = [x for x in n.tenants if x["owner"] == "Wiklund"][4]
        plan = [
            n.klient(
                day,
                t["name"],
                f"Hyresskuld avbetalning {i} av 3 lgh {t['flat']}",
                "4200.00",
                (owner_acct("Wiklund"), "-4200.00"),
                text=f"INS {t['name'].upper()}",
            )
            for i, day in enumerate((date(2025, 4, 15), date(2025, 5, 15), date(2025, 6, 16)), 1)
        ]
        b.look("instalments", "a tenant's arrears paid under a plan, three equal parts", *plan)
        self.mark(*plan)
        paint = VENDORS[4]
        bill = n.bill(date(2025, 6, 2), paint, "Lindgren", "FA-2025-118", Decimal("96400.00"))
        n.b.txns.remove(n.pays.pop(id(bill)))
        parts = [
            n.klient(
                day,
                paint[0],
                f"Faktura FA-2025-118 delbetalning {i}/2",
                "-48200.00",
                (AP, "48200.00"),
                text=f"BG UTB {paint[2]}",
            )
            for i, day in enumerate((date(2025, 7, 2), date(2025, 8, 4)), 1)
        ]
        b.look(
            "instalments",
            "a façade repaint paid in two equal parts against one invoice",
            bill,
            *parts,
        )
        self.mark(bill, *parts)

        for key, months, kind, note in (
            ("hyra", (2, 3, 4), "standing_order", "office rent by autogiro"),
            ("fortnox", (5, 6, 7), "subscription", "Fortnox each month"),
            ("telia", (8, 9, 10), "subscription", "Telia each month"),
            ("bil", (1, 2, 3), "lease_payment", "car lease each month"),
        ):
            group = [t for t in n.monthly[key] if t.date.month in months]
            b.look(kind, note, *group)
            self.mark(*group)
        for month in (4, 11):
            pair = n.salaries[month - 1][1:]
            b.look("payroll_equal", "two caretakers on equal net pay, paid the same day", *pair)
            self.mark(*pair)
        pair = [n.salaries[6][2], n.salaries[7][2]]
        b.look("payroll_equal", "one caretaker's equal net pay in consecutive months", *pair)
        self.mark(*pair)
        self.corrections()
        self.redone()

    def corrections(self):
        n, b = self.n, self.b
        for i in (12, 40):
            t = n.bills[i]
            right = t.owner
            wrong_key = next(k for k, *_ in OWNERS if k != right)
            wrong = clone(
                b, t, is_copy=False, postings=[(owner_acct(wrong_key), -t.on(AP)), (AP, t.on(AP))]
            )
            rev = reversal(
                b,
                wrong,
                t.date + timedelta(days=3),
                f"Omföring: faktura {t.meta['invoice']} bokförd på fel ägare, återförs",
            )
            t.date += timedelta(days=3)
            b.look(
                "reversed_and_rebooked",
                "an invoice booked on the wrong owner, reversed, booked again on the right one",
                wrong,
                rev,
                t,
            )
            self.mark(wrong, rev, t, n.pays.get(id(t), t))
        t = n.bills[25]
        p = n.pays[id(t)]
        back = n.klient(
            p.date + timedelta(days=2),
            t.payee,
            f"Retur betalning {t.meta['invoice']} - felaktigt bankgironummer",
            -p.on(KLB),
            (AP, p.on(KLB)),
            text="BG RETUR FEL MOTTAGARE",
        )
        again = clone(
            b,
            p,
            is_copy=False,
            date=next_weekday(p.date, 5),
            narration=f"Betalning faktura {t.meta['invoice']} (ny)",
        )
        b.look(
            "returned_and_resent",
            "a payment returned (wrong bankgiro number) and sent again",
            p,
            back,
            again,
        )
        self.mark(t, p, back, again)
        t = n.bills[33]
        p = n.pays.pop(id(t))
        b.txns.remove(p)
        cn = b.tx(
            t.date + timedelta(days=5),
            t.payee,
            f"Kreditfaktura K{t.meta['invoice']} - arbetet gjordes inte",
            *[(x.account, -x.amount) for x in t.postings],
            meta={"invoice": f"K{t.meta['invoice']}"},
            file=LEV,
        )
        b.look("credit_note", "a contractor's invoice and its credit note", t, cn)
        self.mark(t, cn)
        rr = VENDORS[0]
        a = n.bill(date(2025, 5, 7), rr, "Ekholm", "6102", Decimal("4375.00"))
        c = n.bill(date(2025, 5, 21), rr, "Lindgren", "6131", Decimal("4375.00"))
        c.payee = "UPPSALA ROR O VARME"
        b.look(
            "abbreviated_payees",
            "two plumbing invoices of equal amount, one typed under the bank's short name",
            a,
            c,
        )
        self.mark(a, c, n.pays[id(a)], n.pays[id(c)])
        batch = n.batches[20]
        post = batch.postings[1]
        right = post.account
        post.account = wrong = owner_acct(next(k for k, *_ in OWNERS if owner_acct(k) != right))
        fix = b.tx(
            batch.date + timedelta(days=4),
            "",
            f"Omföring hyra {post.meta['hyresgast']} bokförd på fel ägare",
            (wrong, -post.amount),
            (right, post.amount),
            file="ledgers/forvaltning.beancount",
        )
        b.look("correction", "a rent read on the wrong owner and the journal moving it", batch, fix)
        self.mark(batch, fix)
        two = [x for x in n.tenants if x["rent"] == Decimal("9850.00")]
        same = [
            n.klient(
                date(2025, 7, 1),
                x["name"],
                f"Hyra juli lgh {x['flat']} (utan OCR)",
                "9850.00",
                (owner_acct(x["owner"]), "-9850.00"),
                text=f"INS {x['name'].upper()}",
            )
            for x in two
        ]
        b.look(
            "same_day_identical", "two tenants on equal rent paying without OCR the same day", *same
        )
        self.mark(*same)
        rech = [t for t in n.recharges if t.date.month == 6][:1]
        if rech:
            t = rech[0]
            twin = b.tx(
                t.date,
                "",
                t.narration.replace(
                    t.meta["arbetsorder"], f"AO-{int(t.meta['arbetsorder'][3:]) + 1}"
                ),
                (owner_acct(t.owner), t.on(owner_acct(t.owner))),
                (RECH, -t.on(owner_acct(t.owner))),
                meta={"arbetsorder": f"AO-{int(t.meta['arbetsorder'][3:]) + 1}"},
                file=t.file,
            )
            b.look(
                "same_day_identical",
                "two work orders of equal price for one owner the same day",
                t,
                twin,
            )
            self.mark(t, twin)

    def redone(self):
        """Money sent back and sent again, paid twice by a tenant and refunded, redone work."""
        n, b = self.n, self.b
        t = next(r for r in n.remits if r.owner == "Wiklund" and r.date.month == 9)
        amount = -t.on(KLB)
        back = n.klient(
            t.date + timedelta(days=2),
            t.payee,
            "Retur utbetalning - mottagarkontot avslutat",
            amount,
            (owner_acct("Wiklund"), -amount),
            text="BG RETUR WIKLUND ANDERS",
        )
        again = n.klient(
            next_weekday(t.date, 6),
            t.payee,
            f"{t.narration} (nytt konto)",
            -amount,
            (owner_acct("Wiklund"), amount),
            text=t.lines[KLB]["text"],
        )
        b.look(
            "returned_and_resent",
            "an owner's payment returned (account closed) and sent to the new account",
            t,
            back,
            again,
        )
        self.mark(t, back, again)

        batch = next(
            x
            for x in n.batches
            if x.date.month == 6 and len(x.tenants) >= 3 and id(x) not in self.used
        )
        tenant = batch.tenants[0]
        rent, owner = tenant["rent"], owner_acct(tenant["owner"])
        twice = n.klient(
            batch.date + timedelta(days=1),
            tenant["name"],
            f"Hyra juli lgh {tenant['flat']} - betald två gånger",
            rent,
            (owner, -rent),
            text=f"INS {tenant['name'].upper()}",
        )
        refund = n.klient(
            batch.date + timedelta(days=8),
            tenant["name"],
            f"Återbetalning dubbelbetald hyra lgh {tenant['flat']}",
            -rent,
            (owner, rent),
            text=f"BG UTB {tenant['name'].upper()}",
        )
        b.look(
            "tenant_paid_twice_refunded",
            "a tenant paid the rent twice (OCR and a plain transfer), both real, and was refunded",
            batch,
            twice,
            refund,
        )
        self.mark(batch, twice, refund)

        r = next(x for x in n.recharges if x.date.month == 10 and id(x) not in self.used)
        other = owner_acct(next(k for k, *_ in OWNERS if k != r.owner))
        wrong = clone(
            b,
            r,
            is_copy=False,
            postings=[(other, r.on(owner_acct(r.owner))), (RECH, -r.on(owner_acct(r.owner)))],
        )
        rev = reversal(
            b, wrong, r.date + timedelta(days=2), f"Omföring {r.meta['arbetsorder']} - fel ägare"
        )
        r.date += timedelta(days=2)
        b.look(
            "reversed_and_rebooked",
            "a recharge on the wrong owner, reversed and charged again to the right one",
            wrong,
            rev,
            r,
        )
        self.mark(wrong, rev, r)
