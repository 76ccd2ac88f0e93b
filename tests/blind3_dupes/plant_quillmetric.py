"""Quillmetric's planted duplicates and honest look-alikes: what a SaaS controller meets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from book_quillmetric import (
    AP,
    AR,
    CARD,
    CHK,
    EUR,
    FOUNDER,
    STRIPE,
    TREAS,
    UNCAT,
    Quillmetric,
    dispute_postings,
    weekday,
)
from core import P, Stock, money

DAY = dt.timedelta(days=1)


def ofx_copy(q: Quillmetric, t, shift: int, n: int, uncategorized: bool):
    """The June OFX download of a line the API script had already brought in."""
    amt = t.amount_on(CHK)
    name = (t.text or "")[:32]
    postings = [P(CHK, amt), P(UNCAT, -amt)] if uncategorized else None
    kw = {"postings": postings} if postings else {}
    return q.b.copy(
        t,
        date=t.date + shift * DAY,
        payee=None,
        narration=name,
        flag="!" if uncategorized else "*",
        meta={"fitid": f"{t.date:%Y%m%d}{n:05d}"},
        **kw,
    )


def plant(q: Quillmetric) -> None:
    b, s = q.b, Stock(q.stock)

    for t, how in [(s["tax"][4], "same"), (s["receipt"][2], "same"), (s["wework"][8], "flag")]:
        c = (
            b.copy(t)
            if how == "same"
            else b.copy(
                t,
                flag="!",
                payee=None,
                narration=t.text,
                postings=[P(CHK, t.amount_on(CHK)), P(UNCAT, -t.amount_on(CHK))],
            )
        )
        b.dup(
            "imported_twice_same_id",
            "the Mercury script re-run over days it had done: the same transaction id again",
            t,
            c,
        )
    for t in (s["pay-KD"][3], s["pay-F-"][9]):
        c = b.copy(t)
        b.dup(
            "imported_twice_same_id",
            "two overlapping Qonto exports imported: the same transaction id again",
            t,
            c,
        )

    june = [t for t in s["wework"] + s["net"] + s["sweep"] if t.date.month == 6]
    june += [t for t in s["tax"] if t.date.month == 6][:1]
    for i, t in enumerate(june[:4]):
        c = ofx_copy(q, t, i % 2, 301 + i, i == 2)
        b.dup(
            "imported_twice_other_id",
            "June's Mercury OFX imported as well as the API "
            "script's lines: another id (fitid), the OFX name",
            t,
            c,
        )

    for key, n, back, payee in [
        ("card-Uber", 4, 0, "Uber"),
        ("card-United Airlines", 2, 1, "United"),
        ("card-Sweetgreen", 6, 2, "Sweetgreen"),
    ]:
        t = s[key][n]
        amt = -t.amount_on(CARD)
        c = b.copy(
            t,
            date=t.date - back * DAY,
            file=FOUNDER,
            payee=payee,
            meta={},
            narration=f"{t.narration} (receipt)",
            postings=[P(CARD, -amt), P(t.postings[1].account, amt)],
        )
        b.dup(
            "typed_and_imported",
            "a card charge typed by the founder from the e-mailed receipt and imported from Brex",
            c,
            t,
        )
    for t, back in [(s["receipt"][4], 1), (s["receipt"][8], 2)]:
        amt = t.amount_on(CHK)
        inv = t.narration.split()[-1]
        c = q.typed(
            t.date - back * DAY,
            t.payee,
            f"Payment received for {inv} (remittance advice)",
            [P(CHK, amt), P(AR, -amt, invoice=inv)],
            lines_on=set(),
        )
        b.dup(
            "typed_and_imported",
            "a customer payment typed from the remittance e-mail and imported from Mercury",
            c,
            t,
        )
    t = next(t for t in s["receipt"] if EUR in {p.account for p in t.postings})
    amt = t.amount_on(EUR)
    c = q.typed(
        t.date,
        t.payee,
        f"Virement reçu {t.narration.split()[-1]}",
        [P(EUR, amt, "EUR"), P(AR, -amt, "EUR")],
        lines_on=set(),
    )
    b.dup("typed_and_imported", "an EU customer's SEPA payment typed and imported from Qonto", c, t)
    t = s["wework"][3]
    c = q.typed(
        t.date - 2 * DAY,
        "WeWork",
        "Membership invoice INV-WW-88120",
        [P("Expenses:Office:Coworking", "1850.00"), P(CHK, "-1850.00")],
        lines_on=set(),
    )
    b.dup("typed_and_imported", "the coworking ACH typed from the invoice and imported", c, t)

    for n in (1, 3):
        t = s["refund"][n]
        amt = t.postings[0].amount
        c = q.typed(
            t.date,
            "Customer refund",
            f"Refund {amt} pro rata, ticket #{4100 + n}",
            [P("Income:Subscriptions:Monthly", amt), P(STRIPE, -amt)],
            lines_on=set(),
        )
        b.dup(
            "refund_twice",
            "a refund from Stripe's export and typed by support from the refund receipt",
            t,
            c,
        )
    t = s["refund"][6]
    c = b.copy(t, date=t.date + DAY)
    b.dup("refund_twice", "the Stripe script re-run over a day: the refund again", t, c)

    for i, (d, amt, why) in enumerate(
        [
            ((2025, 3, 12), "89.00", "fraudulent"),
            ((2025, 7, 22), "249.00", "product not received"),
            ((2025, 10, 6), "149.00", "duplicate charge claimed"),
        ]
    ):
        t = q.dispute(dt.date(*d), amt)
        c = q.typed(
            dt.date(*d) + (i % 2) * DAY,
            "Stripe",
            f"Chargeback ({why}) and fee",
            dispute_postings(amt),
            lines_on=set(),
        )
        b.dup(
            "chargeback_twice",
            "a dispute from Stripe's export and typed by the founder from Stripe's e-mail",
            t,
            c,
        )

    for key, n, payee, fmt, meta, later in [
        ("bill-F-", 2, "Atelier Brun", lambda i: i.replace("-", ""), True, 3),
        ("bill-F-", 7, "ATELIER BRUN SARL", lambda i: "2025-" + i[-2:], False, 6),
        ("bill-KD", 4, "Kowalczyk Dev", lambda i: i.replace("/", "-"), True, 2),
        ("bill-KD", 10, "Kowalczyk", lambda i: "FV " + i, True, 8),
    ]:
        t = s[key][n]
        inv = t.postings[1].meta["invoice"]
        num = fmt(inv)
        amt = -t.postings[1].amount
        c = b.copy(
            t,
            date=t.date + later * DAY,
            payee=payee,
            narration=f"Invoice {num}",
            postings=[
                P("Expenses:Contractors", amt, "EUR"),
                P(AP, -amt, "EUR", **({"invoice": num} if meta else {})),
            ],
        )
        b.dup("bill_entered_twice", f"contractor invoice {inv} entered twice (as {num!r})", t, c)
    for d, number, alt, amt in [
        ((2025, 4, 8), "HP-88213", "88213", "6240.00"),
        ((2025, 9, 16), "HP-90477", "HP 90477", "3180.00"),
    ]:
        t = q.bill(
            dt.date(*d),
            "Harbor & Pike LLP",
            number,
            amt,
            "Expenses:Legal",
            f"Legal services, invoice {number}",
        )
        c = q.bill(
            dt.date(*d) + 4 * DAY,
            "Harbor and Pike",
            alt,
            amt,
            "Expenses:Legal",
            f"Harbor & Pike {alt}",
            meta=alt == "88213",
        )
        pay = q.mercury(
            dt.date(*d) + 20 * DAY,
            "Harbor & Pike LLP",
            f"Invoice {number}",
            -money(amt),
            AP,
            text=f"HARBOR PIKE LLP {number}",
        )
        q.keep("hp_pay", pay)
        b.dup(
            "bill_entered_twice", f"a law firm's invoice {number} entered twice (as {alt!r})", t, c
        )

    for t, later in [(s["pay-F-"][4], 7), (s["pay-KD"][7], 12)]:
        c = q.qonto(
            weekday(t.date + later * DAY), t.payee, t.narration, t.amount_on(EUR), AP, text=t.text
        )
        b.dup(
            "paid_twice", "a contractor's invoice paid again from Qonto: the money left twice", t, c
        )
    t = s["pay-F-"][6]
    eur = -t.amount_on(EUR)
    usd = (eur * Decimal("1.1680")).quantize(Decimal("0.01"))
    c = q.mercury(
        t.date + 5 * DAY,
        t.payee,
        f"Intl wire {t.narration}",
        -usd,
        [P(AP, eur, "EUR", f"@@ {usd} USD")],
        text=f"INTL WIRE ATELIER BRUN {usd}",
    )
    b.dup(
        "paid_twice",
        "a contractor paid from Qonto in EUR and again by a USD wire from Mercury",
        t,
        c,
    )
    pay = s["hp_pay"][0]
    c = q.mercury(
        pay.date + 9 * DAY, pay.payee, pay.narration, pay.amount_on(CHK), AP, text=pay.text
    )
    b.dup("paid_twice", "a law firm's invoice paid twice by ACH", pay, c)
    q.bill(
        dt.date(2025, 2, 3),
        "Datadog",
        "DD-2025-00731",
        "4860.00",
        "Expenses:Software",
        "Datadog Pro, annual, invoice DD-2025-00731",
    )
    pay = q.mercury(
        dt.date(2025, 2, 24),
        "Datadog",
        "Invoice DD-2025-00731",
        "-4860.00",
        AP,
        text="DATADOG INC ACH",
    )
    card = q.brex(
        dt.date(2025, 3, 2),
        "Datadog",
        "Invoice DD-2025-00731 card payment",
        "4860.00",
        AP,
        text="DATADOG INC NEW YORK",
    )
    b.dup(
        "paid_twice", "an annual bill paid by ACH and charged again to the card on file", pay, card
    )

    for n, lag in [(2, 1), (8, 0)]:
        t = s["funding"][n]
        t.lines_on = {CHK}
        usd = -t.amount_on(CHK)
        eur = t.postings[1].amount
        c = q.qonto(
            t.date + lag * DAY,
            "Quillmetric Inc.",
            "Funding from Mercury",
            eur,
            [P(CHK, -usd)],
            lines_on={EUR},
            text=t.text_on[EUR],
        )
        c.postings[0].price = f"@@ {usd} USD"
        b.dup(
            "transfer_both_sides",
            "the monthly EUR funding booked from Mercury (USD) and from Qonto (EUR)",
            t,
            c,
        )
    for n in (4, 9):
        t = s["sweep"][n]
        t.lines_on = {CHK}
        c = q.mercury(
            t.date,
            None,
            "Transfer from Checking",
            "50000.00",
            CHK,
            acct=TREAS,
            text="TRANSFER FROM CHECKING",
            lines_on={TREAS},
        )
        b.dup("transfer_both_sides", "the treasury sweep imported from both Mercury accounts", t, c)

    t = s["journal"][13]
    c = b.copy(t)
    b.dup(
        "payroll_posted_twice", "Gusto's journal export imported twice (the same payroll id)", t, c
    )
    t = s["journal"][19]
    c = b.copy(t, meta={}, narration=f"Payroll {t.narration.split()[-1]} per Gusto PDF")
    b.dup("payroll_posted_twice", "a payroll journal imported and typed again from the PDF", t, c)

    for n in (3, 8):
        t = s["accrual"][n]
        c = b.copy(t, narration=t.narration.replace("Accrue", "Accrual:"))
        b.dup("accrual_posted_twice", "a month-end accrual posted twice by the controller", t, c)

    for i, n in enumerate((3, 9)):
        t = s["invoice"][n]
        inv = t.postings[0].meta["invoice"]
        amt = t.postings[0].amount
        cur = t.postings[0].currency
        c = q.typed(
            t.date + (i + 1) * DAY,
            t.payee,
            f"Annual plan per order form ({inv})",
            [P(AR, amt, cur), P(t.postings[1].account, -amt, cur)],
        )
        b.dup(
            "invoice_raised_twice",
            "an annual invoice raised from the order form and again from Stripe Invoicing",
            t,
            c,
        )

    lookalikes(q)


def lookalikes(q: Quillmetric) -> None:
    b, s = q.b, Stock(q.stock)
    for d, payee, what, amt, text in [
        ((2025, 5, 6), "SaaStr", "SaaStr Annual ticket", "1299.00", "SAASTR ANNUAL 2025"),
        ((2025, 8, 19), "Uber", "Ride to client", "23.40", "UBER *TRIP HELP.UBER.COM"),
        ((2025, 11, 4), "Apple", "MacBook Air 13", "1199.00", "APPLE.COM/US"),
    ]:
        pair = [
            q.brex(
                dt.date(*d),
                payee,
                what,
                amt,
                "Expenses:Marketing:Events"
                if payee == "SaaStr"
                else "Expenses:Travel"
                if payee == "Uber"
                else "Expenses:Equipment",
                text=text,
                member=m,
            )
            for m in ("M. Osei", "J. Albrecht")
        ]
        b.look(
            "same_day_identical",
            "two people's identical purchases the same day, two Brex ids",
            *pair,
        )
    pair = [
        q.invoice(dt.date(2025, 9, 1), c, "12000.00", "USD")
        for c in ("Gantry Labs", "Oakhurst Legal")
    ]
    b.look(
        "same_day_identical",
        "two new customers on the same annual plan invoiced the same day",
        *pair,
    )
    rec = [
        q.mercury(
            dt.date(2025, 9, 22),
            t.payee,
            f"Invoice {t.postings[0].meta['invoice']}",
            "12000.00",
            AR,
            text=f"{t.payee.upper()} ACH PMT",
        )
        for t in pair
    ]
    b.look("equal_receipts", "the two customers pay the same amount the same day", *rec)

    bill = q.bill(
        dt.date(2025, 1, 6),
        "Mosaic Data Inc.",
        "MD-5510",
        "24000.00",
        "Expenses:Software",
        "Data licence 2025, invoice MD-5510",
    )
    parts = [
        q.mercury(
            weekday(dt.date(2025, 1 + 3 * i, 15)),
            "Mosaic Data Inc.",
            f"MD-5510 installment {i + 1} of 4",
            "-6000.00",
            AP,
            text="MOSAIC DATA INC ACH",
        )
        for i in range(4)
    ]
    b.look("instalments", "a licence paid in four quarterly instalments", bill, *parts)
    parts = [
        q.brex(
            dt.date(2025, m, 12),
            "Affirm",
            f"Standing desks, payment {m - 3}/6",
            "386.50",
            "Expenses:Equipment",
            text="AFFIRM *PAYMENT",
        )
        for m in range(4, 10)
    ]
    b.look("instalments", "standing desks in six equal card payments, no bill", *parts[:3])
    b.look("instalments", "standing desks in six equal card payments, no bill", *parts[3:])
    inv = q.invoice(
        dt.date(2025, 3, 3), "Ostrander Capital", "15000.00", "USD", "Onboarding and data migration"
    )
    number = inv.postings[0].meta["invoice"]
    parts = [
        q.mercury(
            dt.date(*d),
            "Ostrander Capital",
            f"{number} {what}",
            "7500.00",
            AR,
            text="OSTRANDER CAPITAL LP WIRE",
        )
        for d, what in [((2025, 3, 10), "50% on signature"), ((2025, 5, 5), "50% at go-live")]
    ]
    b.look(
        "split_payment", "an onboarding invoice paid half up front, half at go-live", inv, *parts
    )

    b.look("subscription", "GitHub each month", *s["sub-GitHub"][2:5])
    b.look("subscription", "Slack each month", *s["sub-Slack"][5:8])
    b.look("standing_order", "coworking each month", *s["wework"][9:12])
    b.look("recurring_transfer", "the monthly sweep to treasury", *s["sweep"][1:4])
    b.look("recurring_journal", "annual subscriptions recognised each month", *s["recognise"][5:8])
    b.look(
        "accrual_and_reversal",
        "an accrual and its reversal the next day",
        s["accrual"][5],
        s["reversal"][5],
    )
    b.look("recurring_journal", "the same AWS accrual each month", *s["accrual"][9:11])
    b.look("payroll_equal", "Gusto's net pay debits, equal in consecutive runs", *s["net"][2:4])
    b.look("payroll_equal", "Gusto's tax debits, equal in consecutive runs", *s["tax"][16:18])
    b.look("payroll_journal_equal", "Gusto journals, equal in consecutive runs", *s["journal"][6:8])
    b.look("equal_bills", "a contractor's fixed monthly invoices", *s["bill-F-"][9:12])
    b.look("equal_payments", "a contractor's fixed monthly invoices paid", *s["pay-KD"][0:3])

    for d, amt in [((2025, 2, 11), "412.60"), ((2025, 10, 14), "288.10")]:
        buy = q.brex(
            dt.date(*d),
            "United Airlines",
            "Flight",
            amt,
            "Expenses:Travel",
            text="UNITED 0162345987712",
        )
        back = q.brex(
            dt.date(*d) + 6 * DAY,
            "United Airlines",
            "Flight cancelled, refund",
            f"-{amt}",
            "Expenses:Travel",
            text="UNITED 0162345987712",
        )
        b.look("refund_next_to_purchase", "a flight and its refund", buy, back)

    for d, amt, why in [
        ((2025, 4, 15), "199.00", "fraudulent"),
        ((2025, 8, 5), "99.00", "subscription cancelled"),
    ]:
        dp = q.dispute(dt.date(*d), amt)
        won = q.stripe(
            dt.date(*d) + 38 * DAY,
            None,
            f"Dispute won ({why}): funds reinstated",
            [
                P("Expenses:Chargebacks", f"-{amt}"),
                P("Expenses:Fees:Stripe", "-15.00"),
                P(STRIPE, money(amt) + 15),
            ],
            q.hexid("dp_1Q", 12),
        )
        b.look("dispute_won", "a dispute lost then won: the funds came back, no duplicate", dp, won)

    t = s["pay-KD"][5]
    amt = -t.amount_on(EUR)
    ret = q.qonto(
        t.date + 2 * DAY,
        t.payee,
        f"Retour SEPA {t.narration}: IBAN invalide",
        amt,
        AP,
        text=f"RETOUR {t.text}",
    )
    again = q.qonto(
        weekday(t.date + 3 * DAY), t.payee, t.narration, -amt, AP, text=t.text + " (new IBAN)"
    )
    b.look(
        "returned_and_resent", "a SEPA payment returned (wrong IBAN) and sent again", t, ret, again
    )

    t = s["bill-KD"][8]
    amt = -t.postings[1].amount
    inv = t.postings[1].meta["invoice"]
    rev = q.typed(
        t.date + 9 * DAY,
        t.payee,
        f"Reverse {inv}: coded to contractors, it is the licence",
        [P("Expenses:Contractors", -amt, "EUR"), P(AP, amt, "EUR", invoice=inv)],
    )
    again = q.typed(
        t.date + 9 * DAY,
        t.payee,
        t.narration,
        [P("Expenses:Software", amt, "EUR"), P(AP, -amt, "EUR", invoice=inv)],
    )
    b.look("reversed_and_rebooked", "a bill reversed and booked again", t, rev, again)

    a = next(t for t in s["aws"] if t.text.startswith("AWS EMEA"))
    c = q.brex(
        a.date + 3 * DAY,
        "AWS",
        "AWS usage, second account (staging)",
        -a.amount_on(CARD),
        "Expenses:Hosting:AWS",
        text="AMAZON WEB SERVICES",
    )
    b.look(
        "abbreviated_payees", "two AWS accounts' bills of equal amount under two descriptors", a, c
    )
    bill = s["bill-F-"][5]
    note = q.typed(
        bill.date + 10 * DAY,
        bill.payee,
        f"Avoir AV-2025-03 on {bill.postings[1].meta['invoice']}",
        [P("Expenses:Contractors", "-600.00", "EUR"), P(AP, "600.00", "EUR")],
    )
    b.look("credit_note", "a contractor's invoice and its credit note (avoir)", bill, note)
    for m, fail in [(3, "HARBOR PIKE LLP"), (10, "VERCEL INC")]:
        q.failed[f"2025-{m:02d}"] = [
            [f"{m:02d}-12-2025", fail.title(), "-2400.00", "Failed", fail, f"txn_failed{m:02d}"]
        ]


def plant_late(q: Quillmetric) -> None:
    """What hangs on the payouts and the card repayments."""
    b, s = q.b, Stock(q.stock)
    for n, back in [(30, 1), (77, 1), (140, 2), (201, 1)]:
        t = s["payout"][n]
        amt = t.amount_on(CHK)
        po = t.narration.split()[-1]
        c = q.typed(
            t.date - back * DAY,
            "Stripe",
            f"Payout {po} (Stripe payout report)",
            [P(CHK, amt), P(STRIPE, -amt)],
            meta={"stripe_payout": po},
            lines_on=set(),
        )
        b.dup(
            "payout_twice",
            "a Stripe payout typed from the payout report on its initiation "
            "date and imported from Mercury on arrival",
            c,
            t,
        )
    t = s["payout"][112]
    c = b.copy(t)
    b.dup("imported_twice_same_id", "the Mercury script re-run: a payout again", t, c)
    t = s["brex_pay"][6]
    t.lines_on = {CHK}
    amt = -t.amount_on(CHK)
    c = b.add(
        t.date + DAY,
        "Brex",
        "Payment - thank you",
        [P(CARD, amt), P(CHK, -amt)],
        file="ledgers/banks/brex.beancount",
        meta={"brex_id": q.hexid("dpst_", 16)},
        lines_on={CARD},
        text="PAYMENT - THANK YOU",
    )
    b.dup(
        "transfer_both_sides", "the card repayment booked from Mercury and from Brex's export", t, c
    )
