"""Hollybank's planted duplicates and honest look-alikes: what a charity's bookkeeper meets."""

from __future__ import annotations

import datetime as dt

from book_hollybank import (
    CARD,
    CARDF,
    CUR,
    GRANTS,
    OFFICE,
    RES,
    TRADE,
    UNCAT,
    WAREHOUSE,
    Hollybank,
    weekday,
)
from core import P, Stock, money

DAY = dt.timedelta(days=1)


def plant(h: Hollybank) -> None:
    """Everything but what hangs on the card repayments (see `plant_late`)."""
    b, s = h.b, Stock(h.stock)

    # -- duplicates ---------------------------------------------------------------------
    for t, how in [
        (s["so-HB1077"][2], "same"),
        (s["volunteer"][9], "same"),
        (s["hmrc"][5], "raw"),
        (s["cheque"][14], "same"),
        (s["insurance"][7], "raw"),
    ]:
        if how == "same":
            c = b.copy(t)
        else:  # the script's second run left it uncategorized, with the bank's text
            amt = t.amount_on(CUR)
            c = b.copy(
                t, payee=None, narration=t.text, flag="!", postings=[P(CUR, amt), P(UNCAT, -amt)]
            )
        b.dup(
            "imported_twice_same_id",
            "TrueLayer sync re-run after a timeout: the same "
            f"bank line ({t.meta['truelayer_id'][:8]}) imported again",
            t,
            c,
        )

    for i, (key, n, shift) in enumerate(
        [
            ("card-Booker Wholesale", 3, 0),
            ("card-Shell", 6, 1),
            ("card-Screwfix", 2, 0),
            ("card-Costco", 9, 1),
        ]
    ):
        t = s[key][n]
        new = f"CC{t.date:%Y%m%d}{40 + i:04d}"
        postings = [
            P(p.account, p.amount, p.currency, **({"fitid": new} if p.account == CARD else {}))
            for p in t.postings
        ]
        c = b.copy(t, date=t.date + shift * DAY, postings=postings)
        b.dup(
            "imported_twice_new_fitid",
            "the card's OFX downloaded again after Lloyds changed "
            "its FITIDs: the same purchase under a new id",
            t,
            c,
        )

    for key, n, back, split in [
        ("card-Booker Wholesale", 7, 2, True),
        ("card-Costco", 4, 0, False),
        ("card-Screwfix", 8, 3, False),
        ("card-Tesco", 5, 1, False),
    ]:
        t = s[key][n]
        amt = -t.amount_on(CARD)
        acct = t.postings[1].account
        if split:
            part = money(amt * 7 / 10)
            rest = [P(acct, part), P("Expenditure:Supplies", amt - part)]
        else:
            rest = [P(acct, amt)]
        c = b.copy(
            t,
            date=t.date - back * DAY,
            file=WAREHOUSE,
            flag="*",
            narration=f"Receipt {t.payee}, {t.narration.lower()} (card)",
            postings=[P(CARD, -amt), *rest],
        )
        b.dup(
            "typed_and_imported",
            "a card purchase typed from the till receipt by the "
            "warehouse manager and imported from the card's OFX",
            c,
            t,
        )
    for t, who, back in [
        (s["cheque"][5], "St Luke's Church", 1),
        (s["cheque"][22], "Tilehurst Methodist Church", 0),
    ]:
        slip = t.narration.rsplit(" ", 1)[1]
        c = b.copy(
            t,
            date=t.date - back * DAY,
            file=OFFICE,
            payee=who,
            meta={},
            narration=f"Harvest collection cheque, paying-in slip {slip}",
        )
        b.dup(
            "typed_and_imported",
            "a cheque typed from the paying-in book and imported from the bank",
            c,
            t,
        )
    full_names = {
        "Caversham Rotary": "Rotary Club of Caversham",
        "St Luke's Church": "St Luke's, Tilehurst",
        "Tilehurst WI": "Tilehurst Women's Institute",
        "A Donor": "Anonymous supporter",
        "Reading Buses staff fund": "Reading Buses Staff Charity Fund",
        "Greenway Primary PTA": "Greenway Primary School PTA",
    }
    for t in (s["transfer_in"][3], s["transfer_in"][10]):
        full = full_names[t.payee]
        c = b.copy(
            t,
            date=t.date - 2 * DAY,
            file=OFFICE,
            payee=full,
            meta={},
            narration="Donation, thank-you letter sent",
        )
        b.dup(
            "typed_and_imported",
            "a supporter's transfer typed from their letter and imported from the bank",
            c,
            t,
        )

    for n, lag in [(3, 1), (9, 2), (14, 1), (20, 3)]:
        t = s["jg"][n]
        net = t.amount_on(CUR)
        t.bank_date = t.date + lag * DAY
        c = h.feed(
            t.bank_date,
            None,
            f"JUSTGIVING PAYOUTS {t.meta['payout'][6:]}",
            net,
            "Income:Donations:Online",
            text=t.text,
            type_="BGC",
            lines_on=set(),
        )
        b.dup(
            "donation_payout_twice",
            "a JustGiving payout typed from the payout report and "
            "imported by the sync, whose skip rule missed the new bank text",
            t,
            c,
        )

    for n, back, ref in [(1, 2, "CH-2024-06"), (4, 3, "CH-2024-10"), (7, 2, "CH-2025-03")]:
        t = s["gift_aid"][n]
        amt = t.amount_on(CUR)
        c = h.typed(
            t.date - back * DAY,
            "HMRC Charities",
            f"Gift Aid claim {ref} repayment notified",
            [P(CUR, amt), P("Income:GiftAid", -amt)],
            lines_on=set(),
        )
        b.dup(
            "gift_aid_twice",
            "a Gift Aid repayment typed from HMRC's e-mail and imported when it arrived",
            c,
            t,
        )

    for t, back, what in [
        (s["hallowmere"][1], 4, "tranche 2 per award schedule HT/24/117"),
        (s["hallowmere"][3], 3, "tranche 4 per award schedule HT/24/117"),
        (s["council"][1], 6, "RBC-CG-2291 second payment due"),
    ]:
        amt = t.amount_on(CUR)
        c = h.typed(
            t.date - back * DAY,
            t.payee,
            f"Grant {what}",
            [P(CUR, amt), P(GRANTS, -amt)],
            lines_on=set(),
        )
        b.dup(
            "grant_tranche_twice",
            "a grant tranche typed on its scheduled date and imported when it arrived",
            c,
            t,
        )

    for t, payee, number, meta, later in [
        (s["tvp"][1], "TV Print", lambda i: i.replace("-", ""), True, 3),
        (s["tvp"][3], "Thames Valley Print", lambda i: i[4:], False, 7),
        (s["tvp"][5], "TV PRINT LTD", lambda i: "Inv " + i[4:], True, 1),
        (s["kf_bill"][3], "Kingfisher", lambda i: i.replace("-", " "), True, 5),
        (s["wr"][1], "Wessex Refrig.", lambda i: i.replace("/", ""), False, 9),
        (s["examiner"][0], "Millbrook", lambda i: i.replace("-", ""), True, 2),
    ]:
        inv = t.postings[1].meta["invoice"]
        num = number(inv)
        amt = -t.amount_on(TRADE)
        c = b.copy(
            t,
            date=t.date + later * DAY,
            payee=payee,
            narration=f"Invoice {num}" if not meta else t.narration.split(",")[0],
            postings=[
                P(t.postings[0].account, amt),
                P(TRADE, -amt, **({"invoice": num} if meta else {})),
            ],
        )
        b.dup(
            "bill_entered_twice",
            f"invoice {inv} entered twice (as {num!r}), the vendor's name shortened",
            t,
            c,
        )

    pays = s["tvp_pay"]
    for t, later in [(pays[0], 9), (pays[4], 12)]:
        inv = t.narration.split()[-1]
        c = h.pay(
            weekday(t.date + later * DAY),
            t.payee,
            inv,
            -t.amount_on(CUR),
            t.text,
            f"Payment {inv} (payment run)",
        )
        b.dup("paid_twice", "a bill paid again in the next payment run: the money left twice", t, c)
    t = s["kf_pay"][6]
    c = h.pay(
        weekday(t.date + 8 * DAY),
        "Kingfisher Facilities",
        t.narration.split()[-1],
        "380.00",
        t.text,
        t.narration + " - paid",
    )
    b.dup(
        "paid_twice", "a cleaning invoice paid by the treasurer and again by the bookkeeper", t, c
    )
    t = s["wr_pay"][0]
    c = h.card(
        t.date - 3 * DAY,
        "Wessex Refrigeration",
        "Card payment WR/5521",
        "445.00",
        TRADE,
        text="WESSEX REFRIGERATION",
    )
    b.dup(
        "paid_twice",
        "a refrigeration invoice paid by card over the phone and again by bank transfer",
        c,
        t,
    )
    t = s["examiner_pay"][0]
    c = h.feed(
        dt.date(2024, 10, 29),
        "Millbrook & Co",
        "Cheque 000412, MB-24-0912",
        "-1440.00",
        TRADE,
        text="CHQ 000412",
        type_="CHQ",
    )
    b.dup(
        "paid_twice",
        "the examiner's fee paid by transfer and again by a cheque the chair signed",
        t,
        c,
    )

    for n, lag in [(2, 0), (6, 1), (10, 0)]:
        t = s["reserve"][n]
        t.lines_on = {CUR}
        c = h.feed(
            t.date + lag * DAY,
            None,
            "Transfer from current account",
            "1500.00",
            CUR,
            text="TFR FROM 20451177 CURRENT",
            type_="TFR",
            acct=RES,
            lines_on={RES},
        )
        b.dup(
            "transfer_both_sides",
            "the monthly reserve transfer imported from both accounts' feeds",
            t,
            c,
        )

    for key, n, who, later in [
        ("card-Booker Wholesale", 1, "Ruth Patel", 6),
        ("card-Tesco", 8, "Margaret Ellis", 11),
        ("card-Costco", 10, "Grace Ollerenshaw", 4),
    ]:
        t = s[key][n]
        amt = -t.amount_on(CARD)
        c = h.feed(
            weekday(t.date + later * DAY),
            who,
            f"Expense claim: {t.payee} receipt {t.date:%d/%m}, {t.narration.lower()}",
            -amt,
            t.postings[1].account,
            text=f"{who.upper()[:14]} EXPENSES",
            type_="FPO",
        )
        b.dup(
            "reimbursed_and_card",
            "bought on the charity's card and claimed again on an "
            "expense claim that was reimbursed",
            t,
            c,
        )

    t = s["payroll_journal"][7]
    c = b.copy(t, narration=t.narration + " (bureau report)")
    b.dup("journal_posted_twice", "the payroll journal typed twice from the bureau's report", t, c)
    t = s["fund_release"][9]
    c = b.copy(t, date=t.date + DAY)
    b.dup("journal_posted_twice", "a restricted fund release posted twice", t, c)

    lookalikes(h)


def lookalikes(h: Hollybank) -> None:
    b, s = h.b, Stock(h.stock)
    b.look(
        "same_day_identical",
        "two donors named J Smith, £10 each by standing order, two donor refs and two bank lines",
        s["so-HB1043"][3],
        s["so-HB2210"][3],
    )
    for d, amt, a, c in [
        ((2024, 5, 14), "38.60", "G Ollerenshaw", "A Nwosu"),
        ((2024, 10, 9), "52.10", "R Patel", "T Wierzbicki"),
    ]:
        t1 = h.card(
            dt.date(*d),
            "Trainline",
            f"Rail fare Reading-London, {a}",
            amt,
            "Expenditure:Travel",
            text="TRAINLINE.COM",
        )
        t2 = h.card(
            dt.date(*d),
            "Trainline",
            f"Rail fare Reading-London, {c}",
            amt,
            "Expenditure:Travel",
            text="TRAINLINE.COM",
        )
        b.look(
            "same_day_identical", "two staff's rail fares, same price, same day, two FITIDs", t1, t2
        )
    t1 = h.card(
        dt.date(2024, 12, 13),
        "Booker Wholesale",
        "Food stock",
        "214.80",
        "Expenditure:Food",
        text="BOOKER LTD 0231 READING",
    )
    t2 = h.card(
        dt.date(2024, 12, 13),
        "Booker Wholesale",
        "Food stock",
        "214.80",
        "Expenditure:Food",
        text="BOOKER LTD 0231 READING",
    )
    b.look(
        "same_day_identical",
        "two trolley loads at Booker before Christmas, paid "
        "separately (card limit per transaction), two FITIDs",
        t1,
        t2,
    )
    for d, who in [
        ((2024, 6, 19), ("Derek Chu", "Sunita Rao")),
        ((2025, 1, 22), ("Ivy Morgan", "Colin Baptiste")),
    ]:
        pair = [
            h.feed(
                dt.date(*d),
                w,
                "Mileage claim, 64 miles at 45p",
                "-28.80",
                "Expenditure:Volunteers",
                text=f"{w.upper()[:14]} EXPENSES",
                type_="FPO",
            )
            for w in who
        ]
        b.look("same_day_identical", "two volunteers who drove the same round, equal claims", *pair)
    pair = [
        h.feed(
            dt.date(2024, 9, 9),
            None,
            f"Cheques paid in, slip {slip}",
            "50.00",
            "Income:Donations:General",
            text=f"PAYING IN {slip}",
            type_="DEP",
        )
        for slip in ("100281", "100282")
    ]
    b.look("same_day_identical", "two paying-in slips of £50 the same day", *pair)

    bill = h.bill(
        dt.date(2024, 8, 5),
        "Wessex Refrigeration",
        "WR/5603",
        "4800.00",
        "Resources:Equipment",
        "Cold room compressor replacement, invoice WR/5603",
    )
    parts = [
        h.pay(
            weekday(dt.date(2024, 8 + i, 20)),
            "Wessex Refrigeration",
            "WR/5603",
            "1600.00",
            "WESSEX REFRIG WR5603",
            f"WR/5603 instalment {i + 1} of 3",
        )
        for i in range(3)
    ]
    b.look("instalments", "a compressor bill paid in three equal instalments", bill, *parts)
    parts = [
        h.feed(
            d,
            "St Bartholomew's Hall",
            f"Christmas fair hall hire - part {i}",
            "-350.00",
            "Expenditure:Fundraising",
            text="ST BARTHOLOMEWS HALL",
            type_="FPO",
        )
        for i, d in [(1, dt.date(2024, 10, 14)), (2, dt.date(2024, 11, 25))]
    ]
    b.look("instalments", "hall hire paid in two parts, no bill booked", *parts)
    bill = h.bill(
        dt.date(2024, 11, 4),
        "Hamper Co-operative",
        "HC-0871",
        "1940.00",
        "Expenditure:Food",
        "Christmas hampers, invoice HC-0871",
    )
    dep = h.pay(
        dt.date(2024, 11, 6),
        "Hamper Co-operative",
        "HC-0871",
        "600.00",
        "HAMPER COOP HC0871",
        "HC-0871 deposit",
    )
    bal = h.pay(
        dt.date(2024, 12, 9),
        "Hamper Co-operative",
        "HC-0871",
        "1340.00",
        "HAMPER COOP HC0871",
        "HC-0871 balance",
    )
    b.look("split_payment", "hampers: deposit and balance of one invoice", bill, dep, bal)

    b.look("subscription", "Microsoft 365 each month", *s["m365"][4:7])
    b.look("subscription", "Zoom each month", *s["zoom"][1:4])
    b.look("standing_order", "warehouse rent by standing order", *s["rent"][5:8])
    b.look(
        "equal_bills",
        "the cleaner's monthly invoices, equal, each its own number",
        *s["kf_bill"][7:10],
    )
    b.look(
        "equal_payments",
        "the cleaner's monthly invoices paid, each naming its own",
        *s["kf_pay"][8:11],
    )
    for n in (1, 5, 10):
        b.look(
            "payroll_equal",
            "two support workers on the same net pay, two bank lines",
            s["net-Tomasz Wierzbicki"][n],
            s["net-Amara Nwosu"][n],
        )
    b.look(
        "payroll_equal",
        "one employee's equal net pay in consecutive months",
        *s["net-Ruth Patel"][2:4],
    )
    b.look(
        "payroll_journal_monthly",
        "the bureau's payroll journal, identical each month",
        *s["payroll_journal"][2:4],
    )
    b.look("recurring_journal", "the monthly restricted fund release", *s["fund_release"][4:6])
    b.look("recurring_transfer", "the standing transfer to the reserve", *s["reserve"][3:6])
    b.look("standing_order", "insurance by direct debit each month", *s["insurance"][1:3])
    b.look("petty_cash", "petty cash top-ups of £100", *s["petty_topup"][0:3])

    for d, amt, text in [
        ((2024, 7, 8), "46.99", "AMAZON.CO.UK*HX4RT2"),
        ((2025, 2, 3), "23.49", "AMZN MKTP UK*7Y2PQ"),
    ]:
        buy = h.card(dt.date(*d), "Amazon", "Supplies", amt, "Expenditure:Supplies", text=text)
        back = h.card(
            dt.date(*d) + 5 * DAY,
            "Amazon",
            "Refund, item returned",
            f"-{amt}",
            "Expenditure:Supplies",
            text=text,
        )
        b.look("refund_next_to_purchase", "a purchase and its refund", buy, back)
    gift = h.feed(
        dt.date(2024, 8, 12),
        "P Greaves",
        "Donation",
        "250.00",
        "Income:Donations:General",
        text="P GREAVES DONATION",
        type_="FPI",
    )
    back = h.feed(
        dt.date(2024, 8, 19),
        "P Greaves",
        "Donation refunded at donor's request",
        "-250.00",
        "Income:Donations:General",
        text="P GREAVES REFUND",
        type_="FPO",
    )
    b.look("refund_next_to_purchase", "a donation and its refund", gift, back)

    t = s["tvp_pay"][2]
    amt = -t.amount_on(CUR)
    inv = t.narration.split()[-1]
    ret = h.feed(
        t.date + 2 * DAY,
        t.payee,
        f"Returned payment {inv}: account closed",
        amt,
        TRADE,
        text="RETURNED FPO THAMES VALLEY",
        type_="FPI",
    )
    again = h.pay(
        weekday(t.date + 4 * DAY), t.payee, inv, amt, t.text, f"Payment {inv} to new bank details"
    )
    b.look(
        "returned_and_resent",
        "a payment returned by the vendor's bank and sent again",
        t,
        ret,
        again,
    )
    for t, acct, why in [
        (s["tvp"][6], "Expenditure:Fundraising", "fundraising leaflets"),
        (s["kf_bill"][5], "Expenditure:Premises:Cleaning", "wrong month"),
    ]:
        amt = -t.amount_on(TRADE)
        inv = t.postings[1].meta["invoice"]
        later = t.date + 6 * DAY
        rev = h.typed(
            later,
            t.payee,
            f"Reversal of {inv}: {why}",
            [P(t.postings[0].account, -amt), P(TRADE, amt, invoice=inv)],
        )
        again = h.typed(later, t.payee, t.narration, [P(acct, amt), P(TRADE, -amt, invoice=inv)])
        b.look(
            "reversed_and_rebooked",
            "a bill reversed and booked again: the first no longer counts",
            t,
            rev,
            again,
        )
    b.look(
        "grant_tranches",
        "Hallowmere's equal quarterly tranches",
        s["hallowmere"][0],
        s["hallowmere"][2],
    )
    b.look("grant_tranches", "the council grant in two equal parts", *s["council"])
    a = h.bill(
        dt.date(2024, 5, 7),
        "Thames Valley Print Ltd",
        "TVP-3312",
        "240.00",
        "Expenditure:Printing",
        "Volunteer handbooks, TVP-3312",
    )
    c = h.bill(
        dt.date(2024, 5, 17),
        "TV PRINT",
        "TVP-3319",
        "240.00",
        "Expenditure:Printing",
        "Referral cards, TVP-3319",
    )
    b.look("abbreviated_payees", "two different print jobs of £240 under two spellings", a, c)
    a = h.card(
        dt.date(2024, 9, 2),
        "Booker Wholesale",
        "Food stock",
        "128.45",
        "Expenditure:Food",
        text="BOOKER LTD 0231 READING",
    )
    c = h.card(
        dt.date(2024, 9, 6),
        "Booker",
        "Food stock",
        "128.45",
        "Expenditure:Food",
        text="BOOKER WHOLESALE RDG",
    )
    b.look("abbreviated_payees", "two Booker trips of equal value four days apart", a, c)
    b.look("equal_receipts", "two quiz nights with equal takings", s["events"][0], s["events"][2])
    bill = s["kf_bill"][9]
    note = h.typed(
        bill.date + 12 * DAY,
        "Kingfisher Facilities",
        f"Credit note KF-CN-{bill.date:%m} for a missed clean",
        [P("Expenditure:Premises:Cleaning", "-95.00"), P(TRADE, "95.00")],
    )
    b.look("credit_note", "a cleaning bill and its credit note", bill, note)


def plant_late(h: Hollybank) -> None:
    """Card repayments booked from the card's OFX as well."""
    b, s = h.b, h.stock
    for n in (3, 8):
        t = s["repay"][n]
        t.lines_on = {CUR}
        amt = -t.amount_on(CUR)
        c = b.add(
            t.date + 2 * DAY,
            "Lloyds Bank",
            "PAYMENT RECEIVED - THANK YOU",
            [P(CARD, amt, fitid=h.fitid(t.date)), P(CUR, -amt)],
            file=CARDF,
            lines_on={CARD},
            text="PAYMENT RECEIVED - THANK YOU",
        )
        b.dup(
            "transfer_both_sides",
            "the card's monthly repayment booked from the bank feed "
            "and imported from the card's OFX",
            t,
            c,
        )
