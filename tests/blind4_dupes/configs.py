"""Each book's bo.yaml (as its bookkeeper would write it), options and statement layouts."""

from __future__ import annotations

WOMBAT_ACCOUNTS = """\
accounts:
  Assets:Bank:CBA:Operating:
    role: bank{op}
  Assets:Bank:CBA:TaxSaver:
    role: bank{ts}
  Assets:Clearing:Tyro:
    role: clearing
  Assets:Cash:Till:
    role: clearing
  Assets:Receivable:Clients:
    role: receivable
  Assets:Receivable:Insurers:
    role: receivable
  Liabilities:Payable:
    role: payable
  Liabilities:Card:Amex:
    role: card{amex}
  Liabilities:GST:
    role: sales_tax
  Liabilities:Payroll:PAYG:
    role: payroll_liabilities
  Liabilities:Payroll:Super:
    role: payroll_liabilities
  Liabilities:Payroll:NetPay:
    role: payroll_liabilities
  Liabilities:Loan:XrayFinance:
    role: loan
  Assets:Equipment:
    role: fixed_asset
  Expenses:Uncategorized:
    role: uncategorized
  Equity:RetainedEarnings:
    role: retained_earnings
"""

WOMBAT_HEAD = """\
# Wombat Creek Veterinary Hospital: the practice manager's settings.
entity:
  name: Wombat Creek Veterinary Hospital Pty Ltd
  currency: AUD
  fiscal_year_start: 7
  country: AU
  subdivision: VIC
ledger: ledgers/main.beancount
people:
  - name: Rachel Halloran
    email: rachel@wombatcreekvet.example
    roles: [owner, bookkeeper]
review: {policy: self, note: "one owner; the accountant reviews the year"}
matching:
  line_id_keys: [cba_ref]   # our NetBank import script's hash of each line
"""

WOMBAT_FORMATS = """\
statement_formats:
  netbank:                   # CommBank NetBank CSV: no header row
    kind: csv
    date: 0
    date_format: "%d/%m/%Y"
    amount: 1
    payee: 2
    balance: 3
  amex-au:
    kind: csv
    date: Date
    date_format: "%d/%m/%Y"
    amount: Amount
    positive: outflow
    payee: Description
    id: Reference
"""


def wombat_yaml(statements: bool) -> str:
    def st(fmt, folder):
        return f"\n    statement: {{format: {fmt}, dir: statements/{folder}}}" if statements else ""

    accounts = WOMBAT_ACCOUNTS.format(
        op=st("netbank", "operating"), ts=st("netbank", "taxsaver"), amex=st("amex-au", "amex")
    )
    return WOMBAT_HEAD + accounts + (WOMBAT_FORMATS if statements else "")


NORDHEM = """\
# Nordhem Fastighetsförvaltning AB: bokföringens inställningar.
entity:
  name: Nordhem Fastighetsförvaltning AB
  currency: SEK
  country: SE
ledger: ledgers/main.beancount
people:
  - name: Maria Nordhem
    email: maria@nordhem.example
    roles: [owner]
  - name: Lena Sjögren
    email: lena@redovisningsbyran.example
    roles: [bookkeeper]
accounts:
  Assets:Bank:SEB:Foretagskonto:
    role: bank{op}
  Assets:Bank:SEB:Klientmedel:
    role: bank{kl}
  Liabilities:Leverantorsskulder:
    role: payable
  Liabilities:Moms:
    role: sales_tax
  Liabilities:Personal:Skatt:
    role: payroll_liabilities
  Liabilities:Personal:Arbetsgivaravgift:
    role: payroll_liabilities
  Expenses:Okategoriserat:
    role: uncategorized
  Equity:Balanserat:
    role: retained_earnings
matching:
  line_id_keys: [verifikationsnummer]   # seb2bean writes SEB's voucher number
"""

SEB_FORMAT = """\
statement_formats:
  seb:                       # SEB företag, Exportera till Excel (CSV)
    kind: csv
    delimiter: ";"
    decimal: ","
    thousands: ""
    date: Bokföringsdatum
    date_format: "%Y-%m-%d"
    amount: Belopp
    payee: Text/mottagare
    id: Verifikationsnummer
    balance: Saldo
"""


def nordhem_yaml(statements: bool) -> str:
    def st(folder):
        return f"\n    statement: {{format: seb, dir: statements/{folder}}}" if statements else ""

    text = NORDHEM.format(op=st("foretagskonto"), kl=st("klientmedel"))
    return text + (SEB_FORMAT if statements else "")


ALPWIESE = """\
# Käserei Alpwiese GmbH: Einstellungen der Buchhaltung (Kontenrahmen KMU: Aktiven, Passiven...).
entity:
  name: Käserei Alpwiese GmbH
  currency: CHF
  country: CH
  subdivision: SG
ledger: ledgers/main.beancount
people:
  - name: Ruedi Alder
    email: ruedi@kaeserei-alpwiese.example
    roles: [owner]
  - name: Monika Alder
    email: monika@kaeserei-alpwiese.example
    roles: [bookkeeper]
accounts:
  Aktiven:Bank:ZKB:CHF:
    role: bank{chf}
  Aktiven:Bank:ZKB:EUR:
    role: bank{eur}
  Aktiven:Debitoren:
    role: receivable
  Passiven:Kreditoren:
    role: payable
  Passiven:Milchgeld:
    role: payable
  Passiven:MWST:
    role: sales_tax
  Passiven:Sozialversicherungen:
    role: payroll_liabilities
  Aufwand:Unkategorisiert:
    role: uncategorized
  Eigenkapital:Gewinnvortrag:
    role: retained_earnings
matching:
  line_id_keys: [ofxid]   # ledger-autosync: bank id, account and FITID
"""


def alpwiese_yaml(statements: bool) -> str:
    def st(folder):
        return (
            f"\n    statement: {{format: zkb-ofx, dir: statements/{folder}}}" if statements else ""
        )

    text = ALPWIESE.format(chf=st("zkb-chf"), eur=st("zkb-eur"))
    return text + ("statement_formats:\n  zkb-ofx:\n    kind: ofx\n" if statements else "")


CONFIGS = {
    "wombat": {
        "options": ['option "operating_currency" "AUD"'],
        "yaml": wombat_yaml,
        "statements": [
            {
                "account": "Assets:Bank:CBA:Operating",
                "dir": "statements/operating",
                "writer": "cba",
            },
            {"account": "Assets:Bank:CBA:TaxSaver", "dir": "statements/taxsaver", "writer": "cba"},
            {"account": "Liabilities:Card:Amex", "dir": "statements/amex", "writer": "amex_au"},
        ],
    },
    "nordhem": {
        "options": ['option "operating_currency" "SEK"'],
        "yaml": nordhem_yaml,
        "statements": [
            {
                "account": "Assets:Bank:SEB:Foretagskonto",
                "dir": "statements/foretagskonto",
                "writer": "seb",
            },
            {
                "account": "Assets:Bank:SEB:Klientmedel",
                "dir": "statements/klientmedel",
                "writer": "seb",
            },
        ],
    },
    "alpwiese": {
        "options": ['option "operating_currency" "CHF"'],
        "yaml": alpwiese_yaml,
        "statements": [
            {"account": "Aktiven:Bank:ZKB:CHF", "dir": "statements/zkb-chf", "writer": "ofx"},
            {"account": "Aktiven:Bank:ZKB:EUR", "dir": "statements/zkb-eur", "writer": "ofx"},
        ],
    },
}
