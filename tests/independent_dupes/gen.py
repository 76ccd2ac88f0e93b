"""Generate the three books (ledger-only and with statements) and their truth.json."""
import os
import random
import sys
import subprocess

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_common  # noqa: E402
from gen_common import statement_lines, write_csv, by_month, dump_truth, copy_book  # noqa

HERE = os.path.dirname(os.path.abspath(__file__))
BEANCHECK = os.path.join(gen_common.BIN, "bean-check")


def excluded(book, accounts):
    ex = set(book.nostmt)
    for kind, keys, note, excl in book.dups:
        if excl is None:
            for k in keys[1:]:
                for a in accounts:
                    ex.add((k, a))
        else:
            for k, accts in excl.items():
                for a in accts:
                    ex.add((k, a))
    return ex


def finish(book, name, boyaml, fmts, stmt_cfg, writers, extra_locs=None, key_of_loc=None, main="ledgers/main.beancount"):
    root = book.root
    with open(os.path.join(root, "bo.yaml"), "w") as fh:
        fh.write(boyaml.format(**{k: "" for k in stmt_cfg}, fmts=""))
    subprocess.run([BEANCHECK, os.path.join(root, main)], check=True)
    t = book.truth(extra_locs)
    dump_truth(root, t)
    accounts = list(writers)
    kol = {v: k for k, v in book.loc.items()}
    kol.update(key_of_loc or {})
    rows = statement_lines(os.path.join(root, main), root, accounts, kol, book.btext, excluded(book, accounts),
                           random.Random(7), book.home)
    sroot = root + "-stmts"
    copy_book(root, sroot)
    with open(os.path.join(sroot, "bo.yaml"), "w") as fh:
        fh.write(boyaml.format(**stmt_cfg, fmts=fmts))
    n = 0
    for acct, (folder, header, rowf) in writers.items():
        for ym, rs in by_month(rows.get(acct, [])).items():
            write_csv(os.path.join(sroot, "statements", folder, ym + ".csv"), header, [rowf(r) for r in rs])
            n += len(rs)
    for r in (root, sroot):  # beancount's loader leaves pickle caches beside the ledger
        for dp, _, fs in os.walk(r):
            for f in fs:
                if f.endswith(".picklecache"):
                    os.remove(os.path.join(dp, f))
    print(f"{name}: {len(book.dups)} duplicate sets, {len(book.looks)} look-alike groups, {n} statement lines")


def book1():
    import gen_book1 as g
    root = os.path.join(gen_common.OUT, "book1-uk")
    if os.path.exists(root):
        import shutil; shutil.rmtree(root)
    b = g.gen(root)
    b.write()
    cfg = {"s1": "\n    statement: {format: barclays-csv, dir: statements/current}",
           "s2": "\n    statement: {format: barclays-csv, dir: statements/savings}",
           "s3": "\n    statement: {format: amex-uk, dir: statements/amex}"}
    bank = lambda r: [r[0].strftime("%d/%m/%Y"), r[3], f"{r[1]:.2f}", "DEBIT" if r[1] < 0 else "CREDIT", r[4]]
    cardf = lambda r: [r[0].strftime("%d/%m/%Y"), r[3], f"{-r[1]:.2f}", r[4]]
    finish(b, "book1-uk", g.BOYAML, g.FMTS, cfg, {
        g.BANK: ("current", ["Date", "Memo", "Amount", "Subcategory", "Transaction ID"], bank),
        g.SAV: ("savings", ["Date", "Memo", "Amount", "Subcategory", "Transaction ID"], bank),
        g.CARD: ("amex", ["Date", "Description", "Amount", "Reference"], cardf)})


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--out"]:
        gen_common.OUT = os.path.abspath(args[1])
        args = args[2:]
    for which in args or ["1", "2", "3"]:
        {"1": book1, "2": lambda: __import__("gen_book2").main(finish), "3": lambda: __import__("gen_book3").main(finish)}[which]()
