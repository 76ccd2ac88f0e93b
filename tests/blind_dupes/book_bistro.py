"""Copper Kettle Bistro LLC, Portland OR, USD, 2025: a restaurant.

Toast POS: a daily sales report (food, beverage, card tips) into a Toast clearing account, and
next-day deposits net of processing fees. Operating account fed by a SimpleFIN bridge
(`simplefin_id`), payroll account typed from the payroll provider's reports (no ids), Amex
fed by ledger-autosync from OFX (`ofxid`). Suppliers on terms in the payables: a broadline
distributor paid by ACH, a produce farm on a standing order paid by check, wine and coffee.
Tips paid through payroll; two dishwashers paid by paper check; catering invoices with 50%
deposits; a combi oven bought in instalments against one bill, an espresso machine in parts.
"""

from datetime import date, timedelta
from decimal import Decimal

from core import Book, Posting, cents, money

from statements import Csv, Ofx, num

OP = "Assets:Bank:Cascade:Operating"
PAY = "Assets:Bank:Cascade:Payroll"
AMEX = "Liabilities:Card:Amex"
TOAST = "Assets:Clearing:Toast"
AP = "Liabilities:AccountsPayable"
AR = "Assets:AccountsReceivable"
TIPS = "Liabilities:TipsPayable"
WH = "Liabilities:Payroll:Withholding"
PETTY = "Assets:Cash:Petty"
GOLD = "Liabilities:Card:Amex-Gold"

F_OP = "ledgers/feeds/operating-2025.beancount"
F_AMEX = "ledgers/feeds/amex-2025.beancount"
F_AMEXCSV = "ledgers/feeds/amex-csv-2025.beancount"
F_POS = "ledgers/pos/toast-2025.beancount"
F_PAYROLL = "ledgers/payroll/2025.beancount"
F_AP = "ledgers/payables/bills-2025.beancount"
F_TYPED = "ledgers/typed-2025.beancount"

TITLE = "Copper Kettle Bistro LLC"


def build(rng):
    b = Book("bistro", rng, "USD", date(2025, 1, 1), date(2025, 12, 31))
    b.open(OP, opening="48200.00", idkey="simplefin_id", idprefix="TRN-")
    b.open(PAY, opening="9500.00")
    b.open(AMEX, opening="0", idkey="ofxid", idprefix="320250")
    b.open(TOAST)
    b.open(GOLD)
    b.open(PETTY, opening="300.00")
    P = _Plan(b, rng)
    P.pos_and_deposits()
    P.payroll()
    P.suppliers()
    P.card()
    P.monthly()
    P.catering()
    P.equipment()
    P.petty()
    return b


class _Plan:
    def __init__(self, b, rng):
        self.b, self.r = b, rng
        self.check_no = 1180

    def check(self):
        self.check_no += 1
        return str(self.check_no)

    # --- Toast ---------------------------------------------------------------------------
    def pos_and_deposits(self):
        b, r = self.b, self.r
        equal_days = {date(2025, 3, 12): date(2025, 3, 19), date(2025, 8, 6): date(2025, 8, 27)}
        forced = {}
        twice = {
            date(2025, 2, 14),
            date(2025, 5, 9),
            date(2025, 7, 4),
            date(2025, 9, 26),
            date(2025, 11, 28),
        }
        self.tips_by_day = {}
        for d in b.days():
            if d.weekday() == 0 or (d.month == 12 and d.day == 25):
                continue  # closed Mondays and Christmas
            weekend = d.weekday() >= 4
            food = cents(r, 2600, 5200) if weekend else cents(r, 1700, 3300)
            bev = cents(r, 800, 1900) if weekend else cents(r, 450, 1100)
            if d in forced:
                food, bev = forced[d]
            if d in equal_days:
                forced[equal_days[d]] = (food, bev)
            tips = money((food + bev) * Decimal("0.185"))
            gross = food + bev + tips
            fee = money(gross * Decimal("0.0249") + Decimal("0.15") * (gross // 45))
            net = gross - fee
            batch = f"{d:%Y%m%d}-{r.randint(100, 999)}"
            b.txn(
                F_POS,
                d,
                "Toast",
                f"Sales {d:%a %b} {d.day}",
                [
                    Posting(TOAST, gross, "USD"),
                    b.other("Income:Sales:Food", -food),
                    b.other("Income:Sales:Beverage", -bev),
                    b.other(TIPS, -tips),
                ],
                {"toast_batch": batch},
            )
            self.tips_by_day[d] = tips
            dep_day = d + timedelta(days=1)
            while dep_day.weekday() >= 5:
                dep_day += timedelta(days=1)
            ln = b.line(OP, dep_day, net, f"TOAST INC DEP {d:%m%d} CCD", kind="ACH")
            t = b.fed(
                F_OP,
                ln,
                "Toast",
                f"Deposit for {d:%b} {d.day}",
                [b.other(TOAST, -gross), b.other("Expenses:Processing-Fees", fee)],
            )
            if d in twice:
                c = b.txn(
                    F_TYPED,
                    d,
                    "Toast Payments",
                    f"Toast payout batch {batch}",
                    [Posting(OP, net, "USD"), b.other(TOAST, -net)],
                )
                b.dup(
                    "pos_deposit_twice",
                    "Toast deposit from the bank feed and typed again "
                    "from Toast's payout email (initiation day, net amount, batch id only)",
                    t,
                    c,
                )
            if d in equal_days:
                self.first_equal = t
            if d in equal_days.values():
                b.look(
                    "equal_deposits",
                    "two Toast deposits of the same net amount from different days' sales",
                    self.first_equal,
                    t,
                )

    # --- payroll -------------------------------------------------------------------------
    def payroll(self):
        b, r = self.b, self.r
        payday = date(2025, 1, 10)
        paid_through = date(2024, 12, 31)
        staff = 9
        dish_equal = {1, 3, 6, 8, 12, 15, 19, 23}
        luis_same = {10, 11}
        both_sides = {4, 13, 21}
        n = 0
        prev_luis = None
        while payday <= b.end:
            n += 1
            tips = sum(
                (v for d, v in self.tips_by_day.items() if paid_through < d <= payday), Decimal(0)
            )
            paid_through = payday
            gross = cents(r, 14500, 19500)
            wh = money(gross * Decimal("0.17"))
            net_dd = gross + tips - wh - money(tips * Decimal("0.12"))
            wh_dd = wh + money(tips * Decimal("0.12"))
            dish = []
            hours_a = Decimal(r.randint(58, 80))
            hours_b = hours_a if n in dish_equal else Decimal(r.randint(58, 80))
            if n not in dish_equal and hours_b == hours_a:
                hours_b += 1
            if n in luis_same:
                hours_a = Decimal(72)
            for who, hrs in (("Luis Ortega", hours_a), ("Dmitri Volkov", hours_b)):
                g = money(hrs * Decimal("17.50"))
                w = money(g * Decimal("0.14"))
                dish.append((who, g, w))
            total_net = net_dd + sum((g - w for _, g, w in dish), Decimal(0))
            fund_day = payday - timedelta(days=2)
            fund = money(
                total_net
                + (gross + sum((g for _, g, _ in dish), Decimal(0))) * Decimal("0.0765")
                + wh_dd
                + sum((w for _, _, w in dish), Decimal(0))
            )
            fund = money((fund / 100).to_integral_value() * 100 + 100)
            lo = b.line(OP, fund_day, -fund, "ONLINE TRANSFER TO CHK ...4471", kind="XFER")
            li = b.line(PAY, fund_day, fund, "ONLINE TRANSFER FROM CHK ...1180", kind="XFER")
            t = b.fed(
                F_OP, lo, "Cascade Community Bank", "Fund payroll account", [b.other(PAY, fund)]
            )
            if n in both_sides:
                c = b.txn(
                    F_PAYROLL,
                    li.date,
                    "Transfer",
                    "Payroll funding from operating",
                    [Posting(PAY, fund, "USD"), b.other(OP, -fund)],
                )
                b.dup(
                    "transfer_both_sides",
                    "payroll funding entered from the operating feed "
                    "and again on the payroll account's side",
                    t,
                    c,
                )
            b.line(PAY, payday, -net_dd, f"PAYWELL NET PAY {payday:%y%m%d}", kind="ACH")
            b.txn(
                F_PAYROLL,
                payday,
                "Paywell",
                f"Payroll {payday} direct deposit ({staff})",
                [
                    b.other("Expenses:Payroll:Wages", gross),
                    b.other(TIPS, tips),
                    b.other(WH, -wh_dd),
                    Posting(PAY, -net_dd, "USD"),
                ],
            )
            pair = []
            for who, g, w in dish:
                no = self.check()
                clear = payday + timedelta(days=r.randint(1, 6))
                b.line(PAY, clear, -(g - w), f"CHECK {no}", ref=no, kind="CHECK")
                pair.append(
                    b.txn(
                        F_PAYROLL,
                        payday,
                        who,
                        f"Paycheck {payday} check {no}",
                        [
                            b.other("Expenses:Payroll:Wages", g),
                            b.other(WH, -w),
                            Posting(PAY, -(g - w), "USD"),
                        ],
                        {"check": no},
                    )
                )
                if who == "Luis Ortega" and n in luis_same:
                    if prev_luis is not None:
                        b.look(
                            "payroll_equal",
                            "one dishwasher's equal net pay in consecutive pay periods",
                            prev_luis,
                            pair[-1],
                        )
                    prev_luis = pair[-1]
            if n in dish_equal:
                b.look(
                    "payroll_equal",
                    "two dishwashers with the same hours: equal net pay "
                    "the same day, two check numbers",
                    *pair,
                )
            tax = money(
                wh_dd
                + sum((w for _, _, w in dish), Decimal(0))
                + (gross + sum((g for _, g, _ in dish), Decimal(0))) * Decimal("0.0765")
            )
            b.line(
                PAY, payday + timedelta(days=1), -tax, f"PAYWELL TAX {payday:%y%m%d}", kind="ACH"
            )
            b.txn(
                F_PAYROLL,
                payday + timedelta(days=1),
                "Paywell",
                f"Payroll taxes {payday}",
                [
                    b.other(WH, wh_dd + sum((w for _, _, w in dish), Decimal(0))),
                    b.other(
                        "Expenses:Payroll:Taxes",
                        tax - wh_dd - sum((w for _, _, w in dish), Decimal(0)),
                    ),
                    Posting(PAY, -tax, "USD"),
                ],
            )
            payday += timedelta(days=14)

    # --- suppliers -----------------------------------------------------------------------
    def bill(self, day, vendor, inv, amount, account, narration=None, meta=True):
        m = {"invoice": inv} if meta else {}
        return self.b.txn(
            F_AP,
            day,
            vendor,
            narration or f"Invoice {inv}",
            [self.b.other(account, amount), self.b.other(AP, -amount)],
            m,
        )

    def suppliers(self):
        b, r = self.b, self.r
        # Bayside Provisions: weekly Tuesday delivery, Net 14, paid by ACH.
        entered_twice = {
            3: lambda n: n.replace("-", " "),
            11: lambda n: n.replace("-", ""),
            19: lambda n: "INV " + n,
            30: lambda n: n,
        }
        paid_twice_ach = {7: 6, 27: 12}
        d = date(2025, 1, 7)
        k = 0
        bayside = []
        while d <= b.end - timedelta(days=14):
            k += 1
            inv = f"88-{41300 + k * 11 + r.randint(0, 9)}"
            amt = cents(r, 1900, 4600)
            bill = self.bill(d, "Bayside Provisions Co.", inv, amt, "Expenses:COGS:Food")
            bayside.append((inv, amt))
            if k in entered_twice:
                other = entered_twice[k](inv)
                c = self.bill(
                    d + timedelta(days=r.randint(1, 6)),
                    "Bayside Provisions",
                    other,
                    amt,
                    "Expenses:COGS:Food",
                    f"Delivery invoice {other}",
                    meta=k % 2 == 1,
                )
                b.dup(
                    "bill_entered_twice",
                    "distributor invoice entered from the emailed PDF "
                    "and again from the paper delivery slip",
                    bill,
                    c,
                )
            pay_day = d + timedelta(days=14)
            ln = b.line(OP, pay_day, -amt, f"BAYSIDE PROVISIONS ACH PMT {inv}", kind="ACH")
            t = b.fed(
                F_OP,
                ln,
                "Bayside Provisions Co.",
                f"Payment {inv}",
                [b.other(AP, amt)],
                {"invoice": inv},
            )
            if k in paid_twice_ach:
                ln2 = b.line(
                    OP,
                    pay_day + timedelta(days=paid_twice_ach[k]),
                    -amt,
                    f"BAYSIDE PROVISIONS ACH PMT {inv}",
                    kind="ACH",
                )
                t2 = b.fed(
                    F_OP,
                    ln2,
                    "Bayside Provisions Co.",
                    f"Payment {inv}",
                    [b.other(AP, amt)],
                    {"invoice": inv},
                )
                b.dup(
                    "paid_twice",
                    "recurring bill-pay template sent the same invoice again; both left the bank",
                    t,
                    t2,
                )
            if k == 9:
                cm = f"CM-{r.randint(5000, 5999)}"
                cr = money(amt / 4)
                c1 = b.txn(
                    F_AP,
                    d + timedelta(days=3),
                    "Bayside Provisions Co.",
                    f"Credit memo {cm} on {inv}: short delivery",
                    [b.other(AP, cr), b.other("Expenses:COGS:Food", -cr)],
                    {"invoice": cm},
                )
                b.look("credit_note", "a bill and its credit memo for a short delivery", bill, c1)
                rl = b.line(OP, d + timedelta(days=30), cr, "MOBILE DEPOSIT REF 4471", kind="DEP")
                r1 = b.fed(
                    F_OP,
                    rl,
                    "Bayside Provisions Co.",
                    f"Refund of credit memo {cm}",
                    [b.other(AP, -cr)],
                )
                r2 = b.txn(
                    F_TYPED,
                    d + timedelta(days=29),
                    "Bayside Provisions",
                    f"Refund check for {cm} deposited",
                    [Posting(OP, cr, "USD"), b.other(AP, -cr)],
                )
                b.dup(
                    "refund_twice",
                    "a supplier refund check: mobile deposit from the feed, "
                    "and typed when it arrived in the mail",
                    r1,
                    r2,
                )
            d += timedelta(days=7)
        # Hillcrest Farms: standing produce order Monday and Thursday, paid by check weekly.
        d = date(2025, 1, 6)
        k = 0
        prev = None
        standing = {5, 14, 22, 37, 51, 66}
        equal_pay = {8, 28, 44}
        twice_paid = {17, 59}
        while d <= b.end - timedelta(days=10):
            for off in (0, 3):
                k += 1
                day = d + timedelta(days=off)
                inv = f"HF-{10200 + k}"
                same = prev and (k - 1 in standing or k - 1 in equal_pay)
                amt = prev[1] if same else cents(r, 310, 690)
                if prev and not same and amt == prev[1]:
                    amt += money("1.10")
                bill = self.bill(day, "Hillcrest Farms", inv, amt, "Expenses:COGS:Produce")
                if same:
                    b.look(
                        "standing_order",
                        "standing produce order: equal bills Monday and "
                        "Thursday, two invoice numbers",
                        prev[0],
                        bill,
                    )
                prevpay = prev[2] if prev else None
                no = self.check()
                wd = day + timedelta(days=7)
                pay = b.txn(
                    F_TYPED,
                    wd,
                    "Hillcrest Farms",
                    f"Check {no} - {inv}",
                    [b.other(AP, amt), Posting(OP, -amt, "USD")],
                    {"invoice": inv, "check": no},
                )
                b.line(
                    OP,
                    wd + timedelta(days=r.randint(2, 8)),
                    -amt,
                    f"CHECK {no}",
                    ref=no,
                    kind="CHECK",
                )
                if k - 1 in equal_pay and prev:
                    b.look(
                        "equal_payments",
                        "two checks of equal amount to the farm, each for its own invoice",
                        prevpay,
                        pay,
                    )
                if k in twice_paid:
                    no2 = self.check()
                    wd2 = wd + timedelta(days=r.randint(12, 24))
                    pay2 = b.txn(
                        F_TYPED,
                        wd2,
                        "Hillcrest Farms",
                        f"Check {no2} - {inv}",
                        [b.other(AP, amt), Posting(OP, -amt, "USD")],
                        {"invoice": inv, "check": no2},
                    )
                    b.line(OP, wd2 + timedelta(days=3), -amt, f"CHECK {no2}", ref=no2, kind="CHECK")
                    b.dup(
                        "paid_twice",
                        "invoice paid again in a later check run; both checks cashed",
                        pay,
                        pay2,
                    )
                    if k == 59:
                        again = b.txn(
                            F_TYPED,
                            wd + timedelta(days=1),
                            "Hillcrest Farms",
                            f"Check {no} {inv}",
                            [b.other(AP, amt), Posting(OP, -amt, "USD")],
                        )
                        b.dup(
                            "typed_twice",
                            "the same check typed again the next day (this "
                            "entry is also in a paid_twice set)",
                            pay,
                            again,
                        )
                if k == 33:
                    # check voided (lost in the mail) and reissued
                    void = b.txn(
                        F_TYPED,
                        wd + timedelta(days=16),
                        "Hillcrest Farms",
                        f"VOID check {no} - lost in mail",
                        [b.other(AP, -amt), Posting(OP, amt, "USD")],
                        {"invoice": inv, "check": no},
                    )
                    b.lines.pop()  # the lost check never cleared
                    no2 = self.check()
                    re = b.txn(
                        F_TYPED,
                        wd + timedelta(days=16),
                        "Hillcrest Farms",
                        f"Check {no2} - {inv} (reissue of {no})",
                        [b.other(AP, amt), Posting(OP, -amt, "USD")],
                        {"invoice": inv, "check": no2},
                    )
                    b.line(OP, wd + timedelta(days=20), -amt, f"CHECK {no2}", ref=no2, kind="CHECK")
                    b.look(
                        "void_reissue",
                        "a lost check voided and reissued under a new number",
                        pay,
                        void,
                        re,
                    )
                prev = (bill, amt, pay)
            d += timedelta(days=7)
        # Rose City Wine & Spirits: twice a month, ACH; one invoice paid on the card too.
        for m in range(1, 13):
            for day_no in (3, 17):
                day = date(2025, m, day_no)
                inv = f"RCW{m:02d}{day_no:02d}{r.randint(10, 99)}"
                amt = cents(r, 900, 2600)
                if (m, day_no) == (6, 17):
                    amt = self.rose_prev
                bill = self.bill(
                    day,
                    "Rose City Wine & Spirits" if (m, day_no) != (6, 17) else "ROSE CITY W&S",
                    inv,
                    amt,
                    "Expenses:COGS:Beverage",
                )
                if (m, day_no) == (6, 17):
                    b.look(
                        "abbreviated_payees",
                        "two wine bills of equal amount, the second "
                        "entered under the distributor's short name",
                        self.rose_bill,
                        bill,
                    )
                pd_ = day + timedelta(days=10)
                ln = b.line(OP, pd_, -amt, "ROSE CITY WINE SPI ACH", kind="ACH")
                t = b.fed(
                    F_OP,
                    ln,
                    "Rose City Wine & Spirits",
                    f"Payment {inv}",
                    [b.other(AP, amt)],
                    {"invoice": inv},
                )
                if (m, day_no) == (6, 17):
                    b.look(
                        "equal_payments",
                        "the two equal wine bills paid two weeks apart, each naming its invoice",
                        self.rose_pay,
                        t,
                    )
                self.rose_prev, self.rose_bill, self.rose_pay = amt, bill, t
                if (m, day_no) in ((4, 3), (10, 17)):
                    cl = b.line(
                        AMEX, pd_ + timedelta(days=2), -amt, "ROSE CITY WINE & SPIRITS PORTLAND OR"
                    )
                    c = b.fed(
                        F_AMEX,
                        cl,
                        "Rose City Wine & Spirits",
                        f"Invoice {inv} by card",
                        [b.other(AP, amt)],
                    )
                    b.dup(
                        "paid_twice",
                        "wine invoice paid by ACH and again on the Amex by the chef",
                        t,
                        c,
                    )
        # Willamette Coffee Roasters: every other Wednesday, equal standing order, by ACH.
        d = date(2025, 1, 8)
        k = 0
        prev = None
        while d <= b.end - timedelta(days=10):
            k += 1
            inv = f"WCR-{2025}{k:03d}"
            amt = money("412.80") if k % 5 else money("516.00")
            bill = self.bill(d, "Willamette Coffee Roasters", inv, amt, "Expenses:COGS:Beverage")
            ln = b.line(OP, d + timedelta(days=7), -amt, "WILLAMETTE COFFEE R", kind="ACH")
            pay = b.fed(
                F_OP,
                ln,
                "Willamette Coffee Roasters",
                f"Payment {inv}",
                [b.other(AP, amt)],
                {"invoice": inv},
            )
            if prev and k in (3, 4, 12, 13):
                b.look(
                    "equal_bills",
                    "the roaster's fortnightly standing order: equal bills, "
                    "equal payments, each with its own number",
                    prev[0],
                    bill,
                )
                b.look("equal_payments", "equal fortnightly payments to the roaster", prev[1], pay)
            prev = (bill, pay)
            d += timedelta(days=14)

    # --- Amex ----------------------------------------------------------------------------
    def card(self):
        b, r = self.b, self.r
        shops = [
            ("Restaurant Depot", "RESTAURANT DEPOT 0412", "Expenses:Smallwares", 60, 480),
            ("WebstaurantStore", "WEBSTAURANTSTORE.COM", "Expenses:Smallwares", 35, 390),
            ("Costco", "COSTCO WHSE #0009", "Expenses:COGS:Food", 90, 420),
            ("Home Depot", "THE HOME DEPOT #4002", "Expenses:Repairs", 20, 260),
            ("Amazon", "AMAZON MKTPL*2B7QK", "Expenses:Supplies", 15, 180),
            ("Google Ads", "GOOGLE *ADS7731", "Expenses:Marketing", 150, 450),
            ("Uline", "ULINE *SHIP SUPPLIES", "Expenses:Supplies", 40, 310),
        ]
        reimport = {(2, 1), (5, 3), (8, 0)}
        unc = "Expenses:Uncategorized"
        other_id = {(3, 2): unc, (6, 0): "", (9, 4): unc, (11, 1): ""}
        typed = {(1, 0): 2, (4, 3): 0, (7, 1): 1, (10, 2): 3}
        identical = {(2, 6), (5, 1), (8, 2), (11, 0)}
        self.subs = {}
        for m in range(1, 13):
            for i in range(14):
                payee, desc, acct, lo, hi = shops[r.randrange(len(shops))]
                if (m, i) == (9, 7):
                    payee, desc, acct, lo, hi = shops[1]
                day = date(2025, m, min(28, 1 + i * 2 + r.randint(0, 1)))
                amt = cents(r, lo, hi)
                ln = b.line(AMEX, day, -amt, desc)
                t = b.fed(F_AMEX, ln, payee, desc.title(), [b.other(acct, amt)])
                key = (m, i)
                if key in reimport:
                    c = b.fed(F_AMEX, ln, payee, desc.title(), [b.other(acct, amt)])
                    b.dup(
                        "imported_twice_same_id",
                        "OFX file downloaded again and imported over the last one: same FITID",
                        t,
                        c,
                    )
                if key in other_id:
                    ref = f"{r.randint(10**14, 10**15 - 1)}"
                    c = b.txn(
                        F_AMEXCSV,
                        day - timedelta(days=1),
                        payee.upper(),
                        f"{desc} {r.choice(['PORTLAND', 'TIGARD', 'BEAVERTON'])} OR",
                        [Posting(AMEX, -amt, "USD"), b.other(other_id[key] or acct, amt)],
                        {"amex_reference": ref},
                        flag="!" if other_id[key] else "*",
                    )
                    b.dup(
                        "imported_twice_other_id",
                        "Amex line imported from OFX and again "
                        "from the Amex CSV download (transaction date, reference number of "
                        "its own, sometimes uncategorized)",
                        t,
                        c,
                    )
                if key in typed:
                    lag = typed[key]
                    if key == (4, 3):
                        half = money(amt * Decimal("0.6"))
                        posts = [
                            Posting(AMEX, -amt, "USD"),
                            b.other(acct, half),
                            b.other("Expenses:Supplies", amt - half),
                        ]
                    else:
                        posts = [Posting(AMEX, -amt, "USD"), b.other(acct, amt)]
                    c = b.txn(
                        F_TYPED, day - timedelta(days=lag), payee, f"{payee} receipt - chef", posts
                    )
                    b.dup(
                        "typed_and_imported",
                        "card purchase typed from the receipt and imported from the Amex OFX",
                        t,
                        c,
                    )
                if key in identical:
                    ln2 = b.line(AMEX, day, -amt, desc)
                    t2 = b.fed(F_AMEX, ln2, payee, desc.title(), [b.other(acct, amt)])
                    b.look(
                        "same_day_identical",
                        "two identical purchases the same day, two FITIDs",
                        t,
                        t2,
                    )
                if key == (9, 7):
                    ln2 = b.line(
                        AMEX, day + timedelta(days=5), -amt, "WSS*WEBSTAURANT 717-392-7472"
                    )
                    t2 = b.fed(
                        F_AMEX,
                        ln2,
                        "WebstaurantStore",
                        "Wss*Webstaurant",
                        [b.other("Expenses:Smallwares", amt)],
                    )
                    b.look(
                        "abbreviated_payees",
                        "two orders of the same price from one "
                        "supplier under two card descriptors, five days apart",
                        t,
                        t2,
                    )
                if key in ((3, 9), (10, 9)):
                    rl = b.line(AMEX, day + timedelta(days=4), amt, f"CREDIT {desc}")
                    t2 = b.fed(F_AMEX, rl, payee, "Return", [b.other(acct, -amt)])
                    b.look(
                        "refund_next_to_purchase",
                        "a return credited four days after the purchase",
                        t,
                        t2,
                    )
                    if key == (10, 9):
                        c = b.txn(
                            F_TYPED,
                            day + timedelta(days=2),
                            payee,
                            "Returned item - refund to Amex",
                            [Posting(AMEX, amt, "USD"), b.other(acct, -amt)],
                        )
                        b.dup(
                            "refund_twice",
                            "card refund imported and typed when the item went back",
                            t2,
                            c,
                        )
            # the owner's Amex Gold, imported from its CSV download by the old script
            for k in range(4):
                payee, desc, acct, lo, hi = shops[(m * 3 + k) % len(shops)]
                amt = cents(r, lo, hi)
                b.txn(
                    F_AMEXCSV,
                    date(2025, m, 3 + 7 * k),
                    payee.upper(),
                    f"{desc} PORTLAND OR",
                    [Posting(GOLD, -amt, "USD"), b.other(acct, amt)],
                    {"amex_reference": f"{r.randint(10**14, 10**15 - 1)}"},
                )
            # subscriptions on the card
            for payee, desc, amt, day_no, acct in (
                ("7shifts", "7SHIFTS.COM", "76.99", 4, "Expenses:Software"),
                ("Spotify", "SPOTIFY USA", "34.99", 11, "Expenses:Software"),
            ):
                ln = b.line(AMEX, date(2025, m, day_no), -money(amt), desc)
                t = b.fed(F_AMEX, ln, payee, "Monthly subscription", [b.other(acct, money(amt))])
                self.subs.setdefault(payee, []).append(t)
        for payee, ts in self.subs.items():
            b.look("subscription", f"{payee}: the same amount every month", *ts[:4])
        # Amex paid from operating on the 20th of the next month, whole balance
        for m in range(1, 13):
            day = date(2025, m, 20)
            owed = -sum(
                (ln.amount for ln in b.lines if ln.account == AMEX and ln.date < date(2025, m, 1)),
                Decimal(0),
            )
            if owed <= 0:
                continue
            lo = b.line(OP, day, -owed, "AMEX EPAYMENT ACH PMT", kind="ACH")
            lc = b.line(AMEX, day + timedelta(days=1), owed, "PAYMENT RECEIVED - THANK YOU")
            t = b.fed(F_OP, lo, "American Express", "Card payment", [b.other(AMEX, owed)])
            if m in (3, 7, 11):
                c = b.fed(F_AMEX, lc, "American Express", "Payment received", [b.other(OP, -owed)])
                b.dup(
                    "transfer_both_sides",
                    "Amex payment imported from the bank feed and from the card's OFX, a day apart",
                    t,
                    c,
                )

    # --- monthly -------------------------------------------------------------------------
    def monthly(self):
        b, r = self.b, self.r
        rent, toast = [], []
        for m in range(1, 13):
            ln = b.line(
                OP, date(2025, m, 1), money("-9850.00"), "PEARL DIST PROPERTIES RENT", kind="ACH"
            )
            rent.append(
                b.fed(
                    F_OP,
                    ln,
                    "Pearl District Properties",
                    f"Rent {m:02d}/2025",
                    [b.other("Expenses:Rent", money("9850.00"))],
                )
            )
            ln = b.line(
                OP, date(2025, m, 6), money("-165.00"), "TOAST INC SUBSCRIPTION", kind="ACH"
            )
            toast.append(
                b.fed(
                    F_OP,
                    ln,
                    "Toast",
                    "POS software",
                    [b.other("Expenses:Software", money("165.00"))],
                )
            )
            for payee, short, desc, acct, lo, hi, dd in (
                (
                    "Portland General Electric",
                    "PGE",
                    "PGE WEB PAYMENT",
                    "Expenses:Utilities:Power",
                    1400,
                    2600,
                    14,
                ),
                (
                    "NW Natural",
                    "NW Natural",
                    "NW NATURAL GAS",
                    "Expenses:Utilities:Gas",
                    380,
                    1100,
                    16,
                ),
                (
                    "Portland Water Bureau",
                    "Water Bureau",
                    "CITY OF PORTLAND WATER",
                    "Expenses:Utilities:Water",
                    290,
                    520,
                    22,
                ),
            ):
                amt = cents(r, lo, hi)
                ln = b.line(OP, date(2025, m, dd), -amt, desc, kind="ACH")
                t = b.fed(F_OP, ln, payee, f"{desc.title()} {m:02d}/2025", [b.other(acct, amt)])
                if (m, dd) in ((2, 14), (8, 16)):
                    c = b.txn(
                        F_TYPED,
                        date(2025, m, dd - 3),
                        short,
                        f"{payee} bill due {m}/{dd}",
                        [b.other(acct, amt), Posting(OP, -amt, "USD")],
                    )
                    b.dup(
                        "typed_and_imported",
                        "utility autopay typed from the emailed bill "
                        "(3 days before it was drawn) and imported",
                        t,
                        c,
                    )
            ln = b.line(OP, date(2025, m, 28), money("-25.00"), "MONTHLY SERVICE FEE", kind="FEE")
            b.fed(
                F_OP,
                ln,
                "Cascade Community Bank",
                "Service fee",
                [b.other("Expenses:BankFees", money("25.00"))],
            )
        b.look("rent", "rent, the same amount on the 1st of each month", *rent[:3])
        b.look("subscription", "Toast software, the same amount every month", *toast[:3])
        # the overlapping export: the last days of April imported again with May
        last_april = [
            t for t in b.txns if t.file == F_OP and t.date in (date(2025, 4, 29), date(2025, 4, 30))
        ][:4]
        for t in last_april:
            c = b.txn(
                F_OP,
                t.date,
                t.payee,
                t.narration,
                [Posting(p.account, p.units, p.currency) for p in t.postings],
                dict(t.meta),
            )
            b.dup(
                "imported_twice_same_id",
                "operating lines of 29-30 April imported again "
                "from the overlapping May export (same simplefin_id)",
                t,
                c,
            )

    # --- catering ------------------------------------------------------------------------
    def catering(self):
        b, r = self.b, self.r
        clients = [
            ("Lumen Architecture", "LUMEN ARCHITECTURE LL"),
            ("Oregon Health Partners", "OR HEALTH PARTNERS AP"),
            ("Bridgetown Film Festival", "BRIDGETOWN FILM FEST"),
        ]
        for k in range(9):
            name, desc = clients[k % 3]
            day = date(2025, 1 + k + (k > 5), 8 + k)
            inv = f"CAT-{25001 + k}"
            amt = money(Decimal(r.randint(24, 90)) * 100)
            b.txn(
                F_TYPED,
                day,
                name,
                f"Catering invoice {inv}",
                [b.other(AR, amt), b.other("Income:Sales:Catering", -amt)],
                {"invoice": inv},
            )
            half = money(amt / 2)
            l1 = b.line(OP, day + timedelta(days=3), half, f"ACH CREDIT {desc}", kind="ACH")
            t1 = b.fed(F_OP, l1, name, f"Deposit 50% {inv}", [b.other(AR, -half)], {"invoice": inv})
            l2 = b.line(OP, day + timedelta(days=24), amt - half, f"ACH CREDIT {desc}", kind="ACH")
            t2 = b.fed(
                F_OP, l2, name, f"Balance {inv}", [b.other(AR, -(amt - half))], {"invoice": inv}
            )
            if k % 3 == 0:
                b.look(
                    "split_payment", "catering: 50% deposit and 50% balance of one invoice", t1, t2
                )
            if k in (2, 7):
                c = b.txn(
                    F_TYPED,
                    l2.date - timedelta(days=2),
                    name,
                    f"Payment received {inv} (remittance email)",
                    [Posting(OP, amt - half, "USD"), b.other(AR, -(amt - half))],
                )
                b.dup(
                    "typed_and_imported",
                    "customer payment typed from the remittance email and imported from the feed",
                    t2,
                    c,
                )

    # --- equipment -----------------------------------------------------------------------
    def equipment(self):
        b = self.b
        total = money("18600.00")
        bill = self.bill(
            date(2025, 2, 3),
            "Pacific Kitchen Equipment",
            "PKE-7730",
            total,
            "Assets:Equipment:Kitchen",
            "Rational combi oven - invoice PKE-7730",
        )
        parts = [bill]
        for i in range(4):
            day = date(2025, 3 + i, 3)
            ln = b.line(OP, day, -money("4650.00"), "PACIFIC KITCHEN EQ", kind="ACH")
            parts.append(
                b.fed(
                    F_OP,
                    ln,
                    "Pacific Kitchen Equipment",
                    f"PKE-7730 installment {i + 1} of 4",
                    [b.other(AP, money("4650.00"))],
                    {"invoice": "PKE-7730"},
                )
            )
        b.look("instalments", "combi oven bill paid in four equal monthly instalments", *parts)
        parts = []
        words = [
            "Espresso machine part 1",
            "Espresso machine - part 2",
            "Espresso machine final part (3)",
        ]
        for i in range(3):
            ln = b.line(
                OP,
                date(2025, 5, 5) + timedelta(days=14 * i),
                -money("2890.00"),
                "CAFE SUPPLY NORTHWEST",
                kind="ACH",
            )
            parts.append(
                b.fed(
                    F_OP,
                    ln,
                    "Cafe Supply Northwest",
                    words[i],
                    [b.other("Assets:Equipment:Kitchen", money("2890.00"))],
                )
            )
        b.look(
            "instalments",
            "espresso machine paid in three equal parts two weeks apart, no bill booked",
            *parts,
        )

    # --- petty cash ----------------------------------------------------------------------
    def petty(self):
        b, r = self.b, self.r
        for m in range(1, 13):
            for i in range(3):
                day = date(2025, m, 5 + i * 9)
                amt = cents(r, 6, 45)
                t = b.txn(
                    F_TYPED,
                    day,
                    "Portland Farmers Market",
                    "Herbs and flowers",
                    [b.other("Expenses:COGS:Produce", amt), Posting(PETTY, -amt, "USD")],
                )
                if (m, i) in ((4, 1), (9, 2)):
                    c = b.txn(
                        F_TYPED,
                        day,
                        "Farmers Market",
                        "herbs",
                        [b.other("Expenses:COGS:Produce", amt), Posting(PETTY, -amt, "USD")],
                    )
                    b.dup(
                        "typed_twice",
                        "petty-cash receipt entered twice from the cash envelope, no ids",
                        t,
                        c,
                    )
            b.txn(
                F_TYPED,
                date(2025, m, 27),
                "Petty cash",
                "Top up petty cash",
                [Posting(PETTY, money("120.00"), "USD"), b.other(OP, money("-120.00"))],
            )
            b.line(OP, date(2025, m, 27), money("-120.00"), f"WITHDRAWAL {m:02d}27", kind="ATM")


# --- statements and settings -----------------------------------------------------------------
def _op_csv():
    def debit(ln, _):
        return num(-ln.amount) if ln.amount < 0 else ""

    def credit(ln, _):
        return num(ln.amount) if ln.amount > 0 else ""

    return Csv(
        [
            ("Post Date", lambda ln, _: f"{ln.date:%m/%d/%Y}"),
            ("Check Number", lambda ln, _: ln.ref),
            ("Description", lambda ln, _: ln.desc),
            ("Debit", debit),
            ("Credit", credit),
            ("Status", lambda ln, _: "Posted"),
            ("Balance", lambda ln, bal: num(bal)),
        ]
    )


def statements():
    return {
        OP: ("statements/operating", _op_csv(), "csv"),
        PAY: ("statements/payroll", _op_csv(), "csv"),
        AMEX: ("statements/amex", Ofx(True, "379700000041007", "USD"), "ofx"),
    }


def bo_yaml(with_statements):
    st = {
        OP: "    statement: {format: cascade, dir: statements/operating}\n",
        PAY: "    statement: {format: cascade, dir: statements/payroll}\n",
        AMEX: "    statement: {format: amex-ofx, dir: statements/amex}\n",
    }
    if not with_statements:
        st = {}
    fmts = (
        """
statement_formats:
  cascade:                      # Cascade Community Bank CSV download
    date: Post Date
    date_format: "%m/%d/%Y"
    debit: Debit
    credit: Credit
    payee: Description
    reference: Check Number
    balance: Balance
  amex-ofx:
    kind: ofx
"""
        if with_statements
        else ""
    )
    return f"""entity:
  name: "{TITLE}"
  currency: USD
  country: US
  subdivision: OR

accounts:
  {OP}:
    role: bank
{st.get(OP, "")}  {PAY}:
    role: bank
{st.get(PAY, "")}  {AMEX}:
    role: card
{st.get(AMEX, "")}  {GOLD}:
    role: card
  {TOAST}:
    role: processor
  {AP}:
    role: payable
  {AR}:
    role: receivable
  {WH}:
    role: payroll_liabilities
  Expenses:Uncategorized:
    role: uncategorized

# the SimpleFIN bridge writes simplefin_id, ledger-autosync writes ofxid
matching:
  line_id_keys: [simplefin_id, ofxid]
{fmts}"""
