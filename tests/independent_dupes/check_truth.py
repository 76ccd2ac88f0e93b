"""Sanity checks: every truth location is a transaction header; no entry is both planted and a look-alike."""
import json, re, sys
for book in sys.argv[1:]:
    t = json.load(open(f"{book}/truth.json"))
    seen = {}
    bad = 0
    for sec in ("duplicates", "lookalikes"):
        for g in t[sec]:
            if len(g["entries"]) < 2:
                print(book, g["id"], "fewer than 2 entries"); bad += 1
            for e in g["entries"]:
                line = open(f"{book}/{e['file']}").read().split("\n")[e["line"] - 1]
                if not re.match(r"^\d{4}-\d\d-\d\d [*!] ", line):
                    print(book, g["id"], "not a header:", e, line); bad += 1
                r = f"{e['file']}:{e['line']}"
                if r in seen and seen[r][0] != sec:
                    print(book, g["id"], "entry in both", seen[r], r); bad += 1
                seen.setdefault(r, (sec, g["id"]))
    print(book, "ok" if not bad else f"{bad} problems", len(t["duplicates"]), "dups", len(t["lookalikes"]), "look-alike groups")
