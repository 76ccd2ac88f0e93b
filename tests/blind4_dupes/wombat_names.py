"""Wombat Creek's accounts, files, insurers, farms, staff and card shops."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

OP = "Assets:Bank:CBA:Operating"
TS = "Assets:Bank:CBA:TaxSaver"
TYRO = "Assets:Clearing:Tyro"
TILL = "Assets:Cash:Till"
ARC = "Assets:Receivable:Clients"
ARI = "Assets:Receivable:Insurers"
AP = "Liabilities:Payable"
AMEX = "Liabilities:Card:Amex"
GST = "Liabilities:GST"
PAYG = "Liabilities:Payroll:PAYG"
SUPER = "Liabilities:Payroll:Super"
NET = "Liabilities:Payroll:NetPay"
LOAN = "Liabilities:Loan:XrayFinance"
UNCAT = "Expenses:Uncategorized"

START, END = date(2024, 7, 1), date(2025, 6, 30)
BANKFILE = "ledgers/imported/operating.beancount"
PRACTICE = "ledgers/practice.beancount"
CARDFILE = "ledgers/amex.beancount"
SAVER = "ledgers/taxsaver.beancount"
PAYFILE = "ledgers/payroll.beancount"

INSURERS = [  # name, claim prefix, bank text
    ("PetCover Australia", "PC-", "PETCOVER AUST REMIT"),
    ("Kanga Pet Insurance", "KPI-", "KANGA PET INS PTY"),
    ("Trupanion", "TP-", "TRUPANION AU CLAIMS"),
]
FARMS = [  # name, bank text, fixed herd-health plan or None
    ("Hargreaves Pastoral", "HARGREAVES PASTORAL", None),
    ("Campaspe Dairies", "CAMPASPE DAIRIES P/L", Decimal("880.00")),
    ("Axedale Angus", "AXEDALE ANGUS", Decimal("880.00")),
    ("Mt Alexander Alpacas", "MT ALEXANDER ALPACA", None),
    ("Kellys Creek Farm", "KELLYS CREEK FARM", None),
]
STAFF = [  # name, bank text, gross, net
    ("Dr Emma Liu", "SALARY DR E LIU", "4850.00", "3612.40"),
    ("Dr Tom Park", "SALARY DR T PARK", "4420.00", "3341.85"),
    ("Jess Moreno", "SALARY J MORENO", "2380.00", "1842.60"),
    ("Aisha Khan", "SALARY A KHAN", "2380.00", "1842.60"),
    ("Ben Walsh", "SALARY B WALSH", "2160.00", "1706.25"),
    ("Kirra Thompson", "SALARY K THOMPSON", "1890.00", "1538.10"),
]
CARD_SHOPS = [  # payee, bank text, account, low, high
    ("Bunnings", "BUNNINGS 380000 EPSOM", "Expenses:Kennels", 25, 320),
    ("Officeworks", "OFFICEWORKS 0432 BENDIGO", "Expenses:Office", 18, 260),
    ("Woolworths", "WOOLWORTHS 3344 BENDIGO", "Expenses:StaffAmenities", 20, 140),
    ("Ampol", "AMPOL BENDIGO 74411", "Expenses:Vehicles", 60, 140),
    ("VetShop Australia", "VETSHOP AUSTRALIA ONLINE", "Expenses:Pharmacy:Stock", 80, 600),
    ("Australia Post", "AUSTRALIA POST 300512", "Expenses:Office", 9, 60),
]
