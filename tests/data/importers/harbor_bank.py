"""The CSV export of a bank, read the way a beancount user writes a beangulp importer.

Copied into test books as `importers/harbor_bank.py` and named in their bo.yaml; nothing of
bo's is imported here.
"""

from beangulp.importers import csvbase


class Importer(csvbase.Importer):
    date = csvbase.Date("Posted", "%d/%m/%Y")
    narration = csvbase.Column("Details")
    amount = csvbase.Amount("Amount", subs={",": ""})
    balance = csvbase.Amount("Balance", subs={",": ""})
    ref = csvbase.Column("Ref")

    def identify(self, filepath):
        if not filepath.endswith(".csv"):
            return False
        with open(filepath, encoding=self.encoding) as fd:
            return fd.readline().strip() == "Posted,Details,Amount,Balance,Ref"

    def metadata(self, filepath, lineno, row):
        meta = super().metadata(filepath, lineno, row)
        meta["bank_id"] = row.ref
        return meta
