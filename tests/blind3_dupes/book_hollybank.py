"""Hollybank Community Food Trust: a registered charity (a food bank) in Reading, GBP, with
the financial year April 2024 to March 2025 and its own names for the root accounts
(Resources, Creditors, Funds, Income, Expenditure).

Unity Trust current and reserve accounts come in through a TrueLayer sync script
(`truelayer_id` on each entry); the Lloyds commercial card from monthly OFX downloads
(`fitid` on the card posting); the bookkeeper types JustGiving payouts from the payout
report, bills, payroll journals from the bureau's report and fund transfers; the warehouse
manager types card receipts and petty cash."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal

from core import Book, P, Txn, cents, money

CUR = "Resources:Bank:Unity:Current"
RES = "Resources:Bank:Unity:Reserve"
CARD = "Creditors:Card:Lloyds"
TRADE = "Creditors:Trade"
GRANTS = "Resources:Debtors:Grants"
PETTY = "Resources:PettyCash"
NET = "Creditors:Payroll:NetPay"
HMRC = "Creditors:Payroll:HMRC"
PENSION = "Creditors:Payroll:Pension"
UNCAT = "Expenditure:Uncategorized"

FEED = "ledgers/feeds/unity-current.beancount"
FEED_RES = "ledgers/feeds/unity-reserve.beancount"
CARDF = "ledgers/feeds/lloyds-card.beancount"
OFFICE = "ledgers/office/2024-25.beancount"
PAYROLL = "ledgers/office/payroll.beancount"
WAREHOUSE = "ledgers/warehouse/receipts.beancount"

HEADER = [
    'option "operating_currency" "GBP"',
    'option "name_assets" "Resources"',
    'option "name_liabilities" "Creditors"',
    'option "name_equity" "Funds"',
    'option "name_expenses" "Expenditure"',
]

ACCOUNTS = [
    CUR,
    RES,
    CARD,
    TRADE,
    GRANTS,
    PETTY,
    NET,
    HMRC,
    PENSION,
    UNCAT,
    "Resources:Equipment",
    "Funds:Unrestricted:General",
    "Funds:Restricted:Hallowmere",
    "Income:Donations:Regular",
    "Income:Donations:General",
    "Income:Donations:Online",
    "Income:GiftAid",
    "Income:Grants:Hallowmere",
    "Income:Grants:Council",
    "Income:Events",
    "Income:Interest",
    "Expenditure:Food",
    "Expenditure:Vehicle:Fuel",
    "Expenditure:Vehicle:Insurance",
    "Expenditure:Premises:Rent",
    "Expenditure:Premises:Utilities",
    "Expenditure:Premises:Cleaning",
    "Expenditure:Premises:Repairs",
    "Expenditure:Staff:Salaries",
    "Expenditure:Staff:EmployerNI",
    "Expenditure:Staff:Pension",
    "Expenditure:Volunteers",
    "Expenditure:Printing",
    "Expenditure:IT",
    "Expenditure:Travel",
    "Expenditure:Governance",
    "Expenditure:Fees:Platform",
    "Expenditure:Fees:Bank",
    "Expenditure:Fundraising",
    "Expenditure:Supplies",
]

DONORS = [
    ("J Smith", "HB1043", 10),
    ("A Okonkwo", "HB1051", 25),
    ("M & P Hartley", "HB1060", 20),
    ("R Desai", "HB1077", 10),
    ("C Whitfield", "HB1102", 5),
    ("J Smith", "HB2210", 10),
    ("T O'Brien", "HB1118", 15),
    ("S Kowalski", "HB1130", 10),
    ("L Fairbrother", "HB1142", 50),
    ("D Mensah", "HB1155", 10),
    ("H Lindgren", "HB1163", 12),
    ("P Nakamura", "HB1171", 20),
    ("E Castellanos", "HB1188", 10),
    ("G Abernethy", "HB1190", 30),
    ("K Varga", "HB1204", 10),
    ("N Ferreira", "HB1212", 8),
    ("B Holloway", "HB1229", 25),
    ("Y Haddad", "HB1233", 10),
]
STAFF = [  # name, net pay, bank text
    ("Grace Ollerenshaw", "2318.40", "G OLLERENSHAW"),
    ("Tomasz Wierzbicki", "1842.16", "T WIERZBICKI"),
    ("Amara Nwosu", "1842.16", "A NWOSU"),
    ("Ruth Patel", "1596.77", "R PATEL"),
    ("Owen Pryce", "1104.90", "O PRYCE"),
]
VOLUNTEERS = ["Margaret Ellis", "Derek Chu", "Sunita Rao", "Colin Baptiste", "Ivy Morgan"]
CARD_SHOPS = [  # payee, bank text, account, low, high
    ("Booker Wholesale", "BOOKER LTD 0231 READING", "Expenditure:Food", 60, 420),
    ("Costco", "COSTCO WHOLESALE RDG", "Expenditure:Food", 80, 380),
    ("Shell", "SHELL CALCOT", "Expenditure:Vehicle:Fuel", 45, 95),
    ("BP", "BP READING GATE", "Expenditure:Vehicle:Fuel", 40, 90),
    ("Screwfix", "SCREWFIX DIRECT", "Expenditure:Premises:Repairs", 12, 140),
    ("Amazon", "AMAZON.CO.UK*HX4RT2", "Expenditure:Supplies", 9, 120),
    ("Tesco", "TESCO STORES 2041", "Expenditure:Food", 18, 95),
    ("Trainline", "TRAINLINE.COM", "Expenditure:Travel", 18, 64),
]


def months():
    for i in range(12):
        y, m = divmod(3 + i, 12)
        yield 2024 + y, m + 1


def weekday(d: dt.date) -> dt.date:
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


class Hollybank:
    def __init__(self) -> None:
        self.rng = random.Random(20240401)
        self.b = Book("hollybank", HEADER, "GBP")
        self.fit = 240000

    # -- id makers ------------------------------------------------------------------------

    def tl(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def fitid(self, d: dt.date) -> str:
        self.fit += self.rng.randint(1, 9)
        return f"{d:%y%m%d}{self.fit:07d}"

    # -- entry makers ---------------------------------------------------------------------

    def feed(self, d, payee, narration, amount, counter, *, text, type_, acct=CUR, **kw) -> Txn:
        """A bank line from the TrueLayer sync: money into `acct` is positive."""
        amount = money(amount)
        file = FEED if acct == CUR else FEED_RES
        postings = counter if isinstance(counter, list) else [P(counter, -amount)]
        return self.b.add(
            d,
            payee,
            narration,
            [P(acct, amount), *postings],
            file=file,
            meta={"truelayer_id": self.tl()},
            text=text,
            bank_type=type_,
            **kw,
        )

    def card(self, d, payee, narration, spent, account, *, text, **kw) -> Txn:
        spent = money(spent)
        postings = account if isinstance(account, list) else [P(account, spent)]
        return self.b.add(
            d,
            payee,
            narration,
            [P(CARD, -spent, fitid=self.fitid(d)), *postings],
            file=CARDF,
            text=text,
            **kw,
        )

    def typed(self, d, payee, narration, postings, file=OFFICE, **kw) -> Txn:
        return self.b.add(d, payee, narration, postings, file=file, **kw)

    def bill(self, d, vendor, number, amount, account, narration, meta=True, file=OFFICE) -> Txn:
        amount = money(amount)
        return self.typed(
            d,
            vendor,
            narration,
            [P(account, amount), P(TRADE, -amount, **({"invoice": number} if meta else {}))],
            file=file,
        )

    def pay(self, d, vendor, number, amount, text, narration=None) -> Txn:
        return self.feed(
            d,
            vendor,
            narration or f"Payment {number}",
            -money(amount),
            TRADE,
            text=text,
            type_="FPO",
        )

    # -- the year -------------------------------------------------------------------------

    def build(self) -> Book:
        b = self.b
        for a in ACCOUNTS:
            b.open(dt.date(2024, 3, 1), a, "GBP")
        b.add(
            dt.date(2024, 4, 1),
            None,
            "Opening balances",
            [
                P(CUR, "48250.00"),
                P(RES, "60000.00"),
                P(CARD, "-1120.40"),
                P(PETTY, "150.00"),
                P(TRADE, "-2436.00"),
                P("Funds:Unrestricted:General"),
            ],
            file=OFFICE,
            lines_on=set(),
        )
        self.stock: dict[str, list[Txn]] = {}
        self.year()
        return b

    def keep(self, key: str, t: Txn) -> Txn:
        self.stock.setdefault(key, []).append(t)
        return t

    def year(self) -> None:
        r = self.rng
        self.keep(
            "opening_bills",
            self.pay(
                dt.date(2024, 4, 4),
                "Thames Valley Print Ltd",
                "TVP-3290",
                "2436.00",
                "THAMES VALLEY PRINT TVP3290",
            ),
        )
        for y, m in months():
            first = weekday(dt.date(y, m, 1))
            # Regular donors' standing orders, most on the first working day.
            for name, ref, amount in DONORS:
                d = first if ref not in ("HB1142", "HB1190") else weekday(dt.date(y, m, 15))
                t = self.feed(
                    d,
                    name,
                    f"Standing order donation ref {ref}",
                    amount,
                    "Income:Donations:Regular",
                    text=f"{name.upper()} {ref} HOLLYBANK",
                    type_="FPI",
                )
                self.keep(f"so-{ref}", t)
            # Cheques paid in, bank transfers from supporters.
            for _ in range(r.randint(2, 4)):
                d = weekday(dt.date(y, m, r.randint(2, 27)))
                slip = f"1002{r.randint(10, 99)}"
                amt = r.choice(["25.00", "50.00", "100.00", "40.00", "150.00", "75.00", "250.00"])
                self.keep(
                    "cheque",
                    self.feed(
                        d,
                        None,
                        f"Cheques paid in, slip {slip}",
                        amt,
                        "Income:Donations:General",
                        text=f"PAYING IN {slip}",
                        type_="DEP",
                    ),
                )
            for _ in range(r.randint(1, 3)):
                d = weekday(dt.date(y, m, r.randint(2, 27)))
                who = r.choice(
                    [
                        "Caversham Rotary",
                        "St Luke's Church",
                        "Tilehurst WI",
                        "Reading Buses staff fund",
                        "Greenway Primary PTA",
                        "A Donor",
                    ]
                )
                amt = money(r.choice([120, 200, 85, 310, 500, 60, 1000]))
                self.keep(
                    "transfer_in",
                    self.feed(
                        d,
                        who,
                        "Donation",
                        amt,
                        "Income:Donations:General",
                        text=f"{who.upper()[:18]} DONATION",
                        type_="FPI",
                    ),
                )
            # JustGiving payouts, typed from the payout report (gross, fee, net).
            for day in (8, 22):
                d = weekday(dt.date(y, m, day))
                gross = cents(r.randint(30000, 160000))
                fee = (gross * Decimal("0.019") + Decimal("0.20")).quantize(Decimal("0.01"))
                pid = f"JG-PO-{r.randint(100000, 999999)}"
                t = self.typed(
                    d,
                    "JustGiving",
                    f"Payout {pid} from the payout report",
                    [
                        P(CUR, gross - fee),
                        P("Expenditure:Fees:Platform", fee),
                        P("Income:Donations:Online", -gross),
                    ],
                    meta={"payout": pid},
                    text=f"JUSTGIVING {pid[6:]}",
                    bank_type="BGC",
                )
                self.keep("jg", t)
            # Rent, utilities, insurance, phone.
            self.keep(
                "rent",
                self.feed(
                    weekday(dt.date(y, m, 1)),
                    "Kennet Estates",
                    "Warehouse unit 4 rent",
                    "-1250.00",
                    "Expenditure:Premises:Rent",
                    text="KENNET ESTATES UNIT 4",
                    type_="SO",
                ),
            )
            self.feed(
                weekday(dt.date(y, m, 12)),
                "British Gas",
                "Electricity warehouse",
                -cents(r.randint(21000, 48000)),
                "Expenditure:Premises:Utilities",
                text="BRITISH GAS BUSINESS",
                type_="DD",
            )
            self.keep(
                "insurance",
                self.feed(
                    weekday(dt.date(y, m, 18)),
                    "Ecclesiastical",
                    "Buildings and contents cover",
                    "-96.40",
                    "Expenditure:Premises:Repairs",
                    text="ECCLESIASTICAL INS",
                    type_="DD",
                ),
            )
            self.feed(
                weekday(dt.date(y, m, 20)),
                "BT",
                "Broadband and phone",
                "-54.00",
                "Expenditure:IT",
                text="BT GROUP PLC",
                type_="DD",
            )
            if m in (4, 7, 10, 1):
                self.feed(
                    weekday(dt.date(y, m, 9)),
                    "Thames Water",
                    "Water, quarter",
                    -cents(r.randint(8000, 16000)),
                    "Expenditure:Premises:Utilities",
                    text="THAMES WATER",
                    type_="DD",
                )
            self.feed(
                weekday(dt.date(y, m, 28)),
                "Unity Trust Bank",
                "Service charge",
                "-6.50",
                "Expenditure:Fees:Bank",
                text="SERVICE CHARGE",
                type_="CHG",
            )
            # Reserve: a monthly standing transfer, and interest.
            self.keep(
                "reserve",
                self.feed(
                    weekday(dt.date(y, m, 3)),
                    None,
                    "Monthly transfer to reserve",
                    "-1500.00",
                    RES,
                    text="TFR TO 20451180 RESERVE",
                    type_="TFR",
                    text_on={RES: "TFR FROM 20451177 CURRENT"},
                ),
            )
            interest = cents(r.randint(14000, 19000))
            self.feed(
                dt.date(y, m, 28),
                "Unity Trust Bank",
                "Interest",
                interest,
                "Income:Interest",
                text="INTEREST",
                type_="INT",
                acct=RES,
            )
            self.cleaning(y, m)
            self.payroll(y, m)
            self.volunteers(y, m)
            self.card_month(y, m)
            self.petty(y, m)
            self.keep(
                "fund_release",
                self.typed(
                    dt.date(y, m, 28) + dt.timedelta(days=0),
                    None,
                    "Hallowmere restricted fund: coordinator salary released",
                    [
                        P("Funds:Restricted:Hallowmere", "2318.40"),
                        P("Funds:Unrestricted:General", "-2318.40"),
                    ],
                ),
            )
        self.grants_and_gift_aid()
        self.bills()

    def cleaning(self, y, m) -> None:
        num = f"KF-{y}-{m:02d}"
        bill = self.bill(
            dt.date(y, m, 2),
            "Kingfisher Facilities",
            num,
            "380.00",
            "Expenditure:Premises:Cleaning",
            f"Cleaning {y}-{m:02d}, invoice {num}",
        )
        self.keep("kf_bill", bill)
        pay = self.pay(
            weekday(dt.date(y, m, 16)),
            "Kingfisher Facilities",
            num,
            "380.00",
            f"KINGFISHER FAC {num.replace('-', '')}",
            f"Invoice {num}",
        )
        self.keep("kf_pay", pay)

    def payroll(self, y, m) -> None:
        d = weekday(dt.date(y, m, 27))
        nets = sum(money(n) for _, n, _ in STAFF)
        gross = money("11874.60")
        paye = gross - nets
        eni, pens = money("1010.32"), money("593.73")
        j = self.typed(
            d - dt.timedelta(days=2),
            "Ashdown Payroll Bureau",
            f"Payroll {y}-{m:02d}",
            [
                P("Expenditure:Staff:Salaries", gross),
                P("Expenditure:Staff:EmployerNI", eni),
                P("Expenditure:Staff:Pension", pens),
                P(NET, -nets),
                P(HMRC, -(paye + eni)),
                P(PENSION, -pens),
            ],
            file=PAYROLL,
        )
        self.keep("payroll_journal", j)
        for name, net, text in STAFF:
            self.keep(
                f"net-{name}",
                self.feed(
                    d,
                    name,
                    f"Salary {y}-{m:02d}",
                    -money(net),
                    NET,
                    text=f"{text} SALARY",
                    type_="FPO",
                ),
            )
        self.keep(
            "hmrc",
            self.feed(
                weekday(dt.date(y, m, 19)),
                "HMRC",
                "PAYE and NI",
                -(paye + eni),
                HMRC,
                text="HMRC CUMBERNAULD PAYE",
                type_="FPO",
            ),
        )
        self.feed(
            weekday(dt.date(y, m, 24)),
            "NEST",
            "Pension contributions",
            -pens,
            PENSION,
            text="NEST PENSIONS",
            type_="DD",
        )

    def volunteers(self, y, m) -> None:
        r = self.rng
        for _ in range(r.randint(2, 4)):
            who = r.choice(VOLUNTEERS)
            d = weekday(dt.date(y, m, r.randint(3, 26)))
            miles = r.randint(20, 140)
            amt = money(miles * Decimal("0.45"))
            self.keep(
                "volunteer",
                self.feed(
                    d,
                    who,
                    f"Mileage claim, {miles} miles at 45p",
                    -amt,
                    "Expenditure:Volunteers",
                    text=f"{who.upper()[:14]} EXPENSES",
                    type_="FPO",
                ),
            )

    def card_month(self, y, m) -> None:
        r = self.rng
        for _ in range(14):
            payee, text, account, lo, hi = r.choice(CARD_SHOPS)
            d = dt.date(y, m, r.randint(1, 28))
            amt = cents(r.randint(lo * 100, hi * 100))
            narration = {
                "Expenditure:Food": "Food stock",
                "Expenditure:Vehicle:Fuel": "Van fuel",
                "Expenditure:Travel": "Rail fare",
            }.get(account, "Supplies")
            self.keep(f"card-{payee}", self.card(d, payee, narration, amt, account, text=text))
        self.keep(
            "m365",
            self.card(
                dt.date(y, m, 6),
                "Microsoft",
                "Microsoft 365 Business Basic, 9 seats",
                "50.40",
                "Expenditure:IT",
                text="MSFT*E0400RTY7N",
            ),
        )
        self.keep(
            "zoom",
            self.card(
                dt.date(y, m, 14),
                "Zoom",
                "Zoom Pro",
                "13.99",
                "Expenditure:IT",
                text="ZOOM.US 888-799-9666",
            ),
        )

    def petty(self, y, m) -> None:
        r = self.rng
        if m % 2 == 0:
            self.keep(
                "petty_topup",
                self.feed(
                    weekday(dt.date(y, m, 5)),
                    None,
                    "Petty cash top-up",
                    "-100.00",
                    PETTY,
                    text="CASH WDL READING BROAD ST",
                    type_="ATM",
                ),
            )
        for _ in range(2):
            d = dt.date(y, m, r.randint(1, 28))
            item = r.choice(
                [
                    ("Milk for volunteers", "Expenditure:Volunteers"),
                    ("Parcel tape and bags", "Expenditure:Supplies"),
                    ("Bread top-up", "Expenditure:Food"),
                    ("Parking at the depot", "Expenditure:Travel"),
                ]
            )
            amt = cents(r.randint(250, 2400))
            self.typed(d, None, item[0], [P(item[1], amt), P(PETTY, -amt)], file=WAREHOUSE)

    def grants_and_gift_aid(self) -> None:
        r = self.rng
        self.typed(
            dt.date(2024, 4, 10),
            "Hallowmere Trust",
            "Grant award HT/24/117, four tranches",
            [P(GRANTS, "30000.00"), P("Income:Grants:Hallowmere", "-30000.00")],
        )
        self.typed(
            dt.date(2024, 4, 15),
            "Reading Borough Council",
            "Community grant RBC-CG-2291",
            [P(GRANTS, "10000.00"), P("Income:Grants:Council", "-10000.00")],
        )
        for i, d in enumerate([(2024, 4, 26), (2024, 7, 26), (2024, 10, 25), (2025, 1, 24)], 1):
            self.keep(
                "hallowmere",
                self.feed(
                    dt.date(*d),
                    "Hallowmere Trust",
                    f"Grant HT/24/117 tranche {i} of 4",
                    "7500.00",
                    GRANTS,
                    text="HALLOWMERE TRUST HT24117",
                    type_="BGC",
                ),
            )
        for i, d in enumerate([(2024, 5, 3), (2024, 11, 1)], 1):
            self.keep(
                "council",
                self.feed(
                    dt.date(*d),
                    "Reading Borough Council",
                    f"Community grant RBC-CG-2291 part {i}",
                    "5000.00",
                    GRANTS,
                    text="READING BC GRANTS",
                    type_="BGC",
                ),
            )
        for d in [
            (2024, 5, 21),
            (2024, 7, 2),
            (2024, 8, 13),
            (2024, 9, 24),
            (2024, 11, 12),
            (2024, 12, 31),
            (2025, 2, 11),
            (2025, 3, 25),
        ]:
            amt = cents(r.randint(40000, 140000))
            self.keep(
                "gift_aid",
                self.feed(
                    dt.date(*d),
                    "HMRC",
                    "Gift Aid repayment",
                    amt,
                    "Income:GiftAid",
                    text="HMRC GIFT AID",
                    type_="BGC",
                ),
            )
        for d, amt, event in [
            ((2024, 6, 17), "842.50", "Summer quiz night"),
            ((2024, 9, 23), "1265.00", "Sponsored walk"),
            ((2024, 11, 25), "842.50", "Autumn quiz night"),
            ((2025, 3, 17), "615.00", "Spring fair stalls"),
        ]:
            self.keep(
                "events",
                self.feed(
                    dt.date(*d),
                    "Eventbrite",
                    f"Ticket payout: {event}",
                    amt,
                    "Income:Events",
                    text="EVENTBRITE PAYOUT",
                    type_="BGC",
                ),
            )

    def bills(self) -> None:
        r = self.rng
        num = 3321
        for y, m in months():
            if (y, m) == (2025, 3):
                continue
            if m % 2 == 1 or m == 12:
                num += r.randint(3, 11)
                amt = money(r.choice([186, 240, 312, 455, 618, 240, 96]))
                d = dt.date(y, m, r.randint(3, 12))
                bill = self.bill(
                    d,
                    "Thames Valley Print Ltd",
                    f"TVP-{num}",
                    amt,
                    "Expenditure:Printing",
                    f"Leaflets and posters, TVP-{num}",
                )
                pay = self.pay(
                    d + dt.timedelta(days=r.randint(14, 24)),
                    "Thames Valley Print Ltd",
                    f"TVP-{num}",
                    amt,
                    f"THAMES VALLEY PRINT TVP{num}",
                )
                pay.date = weekday(pay.date)
                self.keep("tvp", bill)
                self.keep("tvp_pay", pay)
        for d, num, amt, what in [
            ((2024, 6, 11), "WR/5521", "445.00", "Cold room service"),
            ((2024, 12, 3), "WR/5790", "445.00", "Cold room service"),
        ]:
            bill = self.bill(
                dt.date(*d),
                "Wessex Refrigeration",
                num,
                amt,
                "Expenditure:Premises:Repairs",
                f"{what}, invoice {num}",
            )
            pay = self.pay(
                dt.date(*d) + dt.timedelta(days=21),
                "Wessex Refrigeration",
                num,
                amt,
                f"WESSEX REFRIG {num.replace('/', '')}",
            )
            pay.date = weekday(pay.date)
            self.keep("wr", bill)
            self.keep("wr_pay", pay)
        self.keep(
            "examiner",
            self.bill(
                dt.date(2024, 9, 30),
                "Millbrook & Co",
                "MB-24-0912",
                "1440.00",
                "Expenditure:Governance",
                "Independent examination 2023-24, MB-24-0912",
            ),
        )
        self.keep(
            "examiner_pay",
            self.pay(
                dt.date(2024, 10, 21),
                "Millbrook & Co",
                "MB-24-0912",
                "1440.00",
                "MILLBROOK AND CO MB240912",
            ),
        )

    def card_repayments(self) -> None:
        """The card is cleared by direct debit on the 5th: last month's spending."""
        b = self.b
        owed = {"2024-03": money("1120.40")}
        for t in b.txns:
            for p in t.postings:
                if (
                    p.account == CARD
                    and p.amount < 0
                    and (t.lines_on is None or CARD in t.lines_on)
                ):
                    key = f"{t.date:%Y-%m}"
                    owed[key] = owed.get(key, Decimal(0)) - p.amount
        for y, m in months():
            prev = f"{y if m > 1 else y - 1}-{(m - 2) % 12 + 1:02d}"
            amount = owed.get(prev, Decimal(0))
            self.repay(y, m, prev, amount)

    def repay(self, y, m, prev, amount) -> Txn:
        d = weekday(dt.date(y, m, 5))
        t = self.feed(
            d,
            "Lloyds Bank",
            f"Commercial card repayment, statement {prev}",
            -amount,
            CARD,
            text="LLOYDS BANK CARD DD",
            type_="DD",
        )
        t.text_on[CARD] = "PAYMENT RECEIVED - THANK YOU"
        self.keep("repay", t)
        return t
