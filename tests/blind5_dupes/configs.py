"""Each book's main ledger file, bo.yaml (without and with statements), statement accounts."""

from __future__ import annotations

from datetime import date

KOWHAI_MAIN = """\
option "title" "Kōwhai Freight Ltd"
option "operating_currency" "NZD"

include "akahu/anz-operating.beancount"
include "zcard/fuelcard.beancount"
include "freightsoft/invoices.beancount"
include "freightsoft/settlements.beancount"
include "office.beancount"
include "gst-saver.beancount"
"""

KOWHAI_YAML = """\
# Kōwhai Freight Ltd: the settings its bookkeeper keeps.
entity:
  name: "Kōwhai Freight Ltd"
  currency: NZD
  fiscal_year_start: 4
  country: NZ

ledger: ledgers/main.beancount

accounts:
  Assets:Bank:ANZ:Operating:
    role: bank{s0}
  Assets:Bank:ANZ:GstSaver:
    role: bank{s1}
  Liabilities:FuelCard:ZBusiness:
    role: card{s2}
  Assets:AccountsReceivable:
    role: receivable
  Liabilities:AccountsPayable:
    role: payable
  Liabilities:OwnerDrivers:
    role: payable
  Liabilities:GST:
    role: sales_tax
  Liabilities:IRD:PAYE:
    role: payroll_liabilities
  Liabilities:IRD:Schedular:
    role: payroll_liabilities
  Liabilities:Payroll:NetPay:
    role: payroll_liabilities
  Liabilities:Loan:UDC:
    role: loan
  Liabilities:PremiumFunding:
    role: loan
  Expenses:Uncategorized:
    role: uncategorized
  Equity:Opening:
    role: owner_equity

# The office's scripts write Akahu's id of each bank line and the fuel docket number.
matching:
  line_id_keys: [akahu_id, docket]
{formats}"""

KOWHAI_FORMATS = """
statement_formats:
  anz-nz:
    kind: csv
    date: Date
    date_format: "%d/%m/%Y"
    amount: Amount
    payee: Details
    memo: Particulars
    reference: Reference
  z-fuelcard:
    kind: csv
    date: Transaction Date
    date_format: "%d-%b-%Y"
    amount: Amount
    positive: outflow
    payee: Site
    memo: Vehicle
    id: Docket
"""

# (account, folder, layout) of each book's statements, and the months they cover.
KOWHAI_STATEMENTS = [
    ("Assets:Bank:ANZ:Operating", "statements/anz-operating", "anz-nz"),
    ("Assets:Bank:ANZ:GstSaver", "statements/anz-gst-saver", "anz-nz"),
    ("Liabilities:FuelCard:ZBusiness", "statements/z-fuelcard", "z-fuelcard"),
]
KOWHAI_PERIOD = (date(2025, 4, 1), 12)


FYRTAARN_MAIN = """\
option "title" "Salon Fyrtårn ApS"
option "operating_currency" "DKK"
option "name_assets" "Aktiver"
option "name_liabilities" "Passiver"
option "name_equity" "Egenkapital"
option "name_income" "Indtaegter"
option "name_expenses" "Udgifter"

include "2025-dagskasse.beancount"
include "2025-bank.beancount"
include "2025-kort.beancount"
include "2025-bilag.beancount"
"""

FYRTAARN_YAML = """\
# Salon Fyrtårn ApS: a hair salon typed by hand; no importer, no ids.
entity:
  name: "Salon Fyrtårn ApS"
  currency: DKK
  fiscal_year_start: 1
  country: DK

ledger: ledgers/main.beancount

accounts:
  Aktiver:Bank:Danske:
    role: bank{s0}
  Aktiver:Bank:Opsparing:
    role: bank{s1}
  Passiver:Kort:Mastercard:
    role: card{s2}
  Aktiver:Clearing:Nets:
    role: clearing
  Aktiver:Clearing:MobilePay:
    role: clearing
  Aktiver:Debitorer:
    role: receivable
  Passiver:Kreditorer:
    role: payable
  Passiver:Moms:
    role: sales_tax
  Passiver:Loen:Netto:
    role: payroll_liabilities
  Passiver:Loen:Skat:
    role: payroll_liabilities
  Passiver:Loen:ATP:
    role: payroll_liabilities
  Passiver:Gavekort:
    role: deferred_revenue
  Egenkapital:Primo:
    role: owner_equity
{formats}"""

FYRTAARN_FORMATS = """
statement_formats:
  danske:
    kind: csv
    delimiter: ";"
    decimal: ","
    date: Dato
    date_format: "%d.%m.%Y"
    amount: Beløb
    payee: Tekst
    balance: Saldo
  mastercard-dk:
    kind: csv
    delimiter: ";"
    decimal: ","
    date: Købsdato
    date_format: "%d-%m-%Y"
    amount: Beløb DKK
    positive: outflow
    payee: Beskrivelse
"""

FYRTAARN_STATEMENTS = [
    ("Aktiver:Bank:Danske", "statements/danske-drift", "danske"),
    ("Aktiver:Bank:Opsparing", "statements/danske-opsparing", "danske"),
    ("Passiver:Kort:Mastercard", "statements/mastercard", "mastercard-dk"),
]
FYRTAARN_PERIOD = (date(2025, 1, 1), 12)


KAWASE_MAIN = """\
option "title" "Kawase Tōbō G.K."
option "operating_currency" "JPY"

include "mf/ashigin.beancount"
include "mf/rakuten.beancount"
include "books.beancount"
"""

KAWASE_YAML = """\
# Kawase Tōbō G.K. (川瀬陶房): a pottery studio; bank and card through Money Forward.
entity:
  name: "Kawase Tōbō G.K."
  currency: JPY
  fiscal_year_start: 1
  country: JP

ledger: ledgers/main.beancount

accounts:
  Assets:Bank:Ashigin:
    role: bank{s0}
  Liabilities:Card:Rakuten:
    role: card{s1}
  Assets:Clearing:Square:
    role: clearing
  Assets:Clearing:BASE:
    role: clearing
  Assets:Receivable:
    role: receivable
  Liabilities:Payable:
    role: payable
  Liabilities:ConsumptionTax:
    role: sales_tax
  Liabilities:Withholding:
    role: payroll_liabilities
  Liabilities:Payroll:
    role: payroll_liabilities
  Expenses:Uncategorized:
    role: uncategorized
  Equity:Opening:
    role: owner_equity

# Money Forward's export writes its own id of each line.
matching:
  line_id_keys: [mf_id]
{formats}"""

KAWASE_FORMATS = """
statement_formats:
  ashigin:
    kind: csv
    encoding: cp932
    date: 日付
    date_format: "%Y/%m/%d"
    debit: お支払金額
    credit: お預り金額
    payee: 摘要
    balance: 差引残高
  rakuten:
    kind: csv
    date: 利用日
    date_format: "%Y/%m/%d"
    amount: 利用金額
    positive: outflow
    payee: 利用店名・商品名
"""

KAWASE_STATEMENTS = [
    ("Assets:Bank:Ashigin", "statements/ashigin", "ashigin"),
    ("Liabilities:Card:Rakuten", "statements/rakuten", "rakuten"),
]
KAWASE_PERIOD = (date(2025, 1, 1), 12)


def bo_yaml(book: str, statements: bool) -> str:
    """The book's bo.yaml: roles and id keys, and with statements, where they are."""
    template = globals()[f"{book.upper()}_YAML"]
    sources = globals()[f"{book.upper()}_STATEMENTS"]
    if not statements:
        return template.format(**{f"s{n}": "" for n in range(len(sources))}, formats="")
    where = {
        f"s{n}": f"\n    statement: {{format: {layout}, dir: {folder}}}"
        for n, (_, folder, layout) in enumerate(sources)
    }
    return template.format(**where, formats=globals()[f"{book.upper()}_FORMATS"])
