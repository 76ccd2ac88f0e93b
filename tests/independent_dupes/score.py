#!/usr/bin/env python3
"""Score `bo dupes --json` against a book's truth.json.

usage: score.py BOOK [--dupes FILE] [--detail]
  BOOK/truth.json  planted duplicate sets and honest look-alike groups (file + header line)
  BOOK/dupes.json  saved output of `bo --books BOOK dupes --json` (default)

A finding is true when every entry it names lies in one planted duplicate set and it names
at least 2 of that set's entries. Anything else (a look-alike, a pair straddling two sets,
unrelated entries) is false. A planted set is found when at least one true finding hits it.
"""
import argparse
import json
import os
import sys
from collections import defaultdict


def norm(ref, book):
    path, _, line = ref.rpartition(":")
    path = os.path.normpath(path)
    for pre in (os.path.abspath(book), os.path.normpath(book)):
        if path.startswith(pre + os.sep):
            path = path[len(pre) + 1:]
    return f"{path}:{int(line)}"


def header(book, ref):
    path, _, line = ref.rpartition(":")
    try:
        with open(os.path.join(book, path)) as fh:
            return fh.read().split("\n")[int(line) - 1].strip()
    except (OSError, IndexError):
        return "?"


def score(book, findings):
    """Score findings (the list from `bo dupes --json`) against BOOK/truth.json."""
    truth = json.load(open(os.path.join(book, "truth.json")))
    if isinstance(findings, dict):
        findings = findings.get("findings") or findings.get("duplicates") or []
    dset, lset = defaultdict(set), defaultdict(set)
    sets = {}
    for d in truth["duplicates"]:
        sets[d["id"]] = d
        for e in d["entries"]:
            dset[f"{e['file']}:{e['line']}"].add(d["id"])
    looks = {}
    for g in truth["lookalikes"]:
        looks[g["id"]] = g
        for e in g["entries"]:
            lset[f"{e['file']}:{e['line']}"].add(g["id"])
    found = defaultdict(list)
    false = []
    ntrue = ntrue_hi = nhi = 0
    for f in findings:
        ents = sorted({norm(r, book) for r in f["entries"]})
        hi = f.get("score", 1) > 0.55
        nhi += hi
        common = set.intersection(*(dset.get(e, set()) for e in ents)) if ents else set()
        ok = [s for s in common if len(ents) >= 2]
        if ok:
            ntrue += 1
            ntrue_hi += hi
            for s in ok:
                found[s].append(f)
        else:
            lk = set.intersection(*(lset.get(e, set()) for e in ents)) if ents else set()
            if lk:
                why = "names a look-alike group " + ",".join(sorted(lk))
            elif any(dset.get(e) for e in ents):
                why = "straddles planted set(s) " + ",".join(
                    sorted(set().union(*(dset.get(e, set()) for e in ents))))
            elif any(lset.get(e) for e in ents):
                why = "touches look-alike group(s) " + ",".join(
                    sorted(set().union(*(lset.get(e, set()) for e in ents))))
            else:
                why = "unrelated entries"
            touched = sorted(set().union(*(lset.get(e, set()) for e in ents)))
            false.append((f, ents, why, touched))
    bykind = defaultdict(lambda: [0, 0])
    for sid, d in sets.items():
        bykind[d["kind"]][0] += 1
        bykind[d["kind"]][1] += bool(found.get(sid))
    return {"kinds": dict(bykind), "findings": len(findings), "true": ntrue,
            "scored_high": nhi, "true_high": ntrue_hi, "false": false,
            "misses": [sets[s] for s in sets if not found.get(s)], "looks": looks}


def summed(results):
    """(found, planted, true findings, findings) over several books' scores."""
    found = planted = true = findings = 0
    for result in results:
        planted += sum(p for p, _ in result["kinds"].values())
        found += sum(f for _, f in result["kinds"].values())
        true += result["true"]
        findings += result["findings"]
    return found, planted, true, findings


def report(book, result, detail=False):
    """The scores as text: recall per kind, then precision."""
    out = [f"book: {book}", f"{'kind':28} {'planted':>7} {'found':>6} {'recall':>7}"]
    tp = tf = 0
    for k in sorted(result["kinds"]):
        p, fo = result["kinds"][k]
        tp += p
        tf += fo
        out.append(f"{k:28} {p:7d} {fo:6d} {fo / p:7.0%}")
    out.append(f"{'ALL':28} {tp:7d} {tf:6d} {tf / tp:7.0%}")
    n, ntrue, nhi = result["findings"], result["true"], result["scored_high"]
    out.append(f"findings: {n}, true: {ntrue}, false: {n - ntrue}, "
               f"precision: {ntrue / n if n else 1:.0%}")
    out.append(f"findings scored > 0.55: {nhi}, true: {result['true_high']}, "
               f"precision: {result['true_high'] / nhi if nhi else 1:.0%}")
    if detail:
        out.append("\nMISSES")
        for d in result["misses"]:
            out.append(f"  {d['id']} {d['kind']}: {d['note']}")
            for e in d["entries"]:
                r = f"{e['file']}:{e['line']}"
                out.append(f"      {r}  {header(book, r)}")
        out.append("\nFALSE FINDINGS")
        for f, ents, why, touched in result["false"]:
            out.append(f"  {f['id']} {f['kind']} score {f['score']}: {why}")
            for r in ents:
                out.append(f"      {r}  {header(book, r)}")
            for g in touched:
                look = result["looks"][g]
                out.append(f"      look-alike {g} {look['kind']}: {look['note']}")
            out.append("      reasons: " + "; ".join(f.get("reasons", [])[:4]))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("book")
    ap.add_argument("--dupes")
    ap.add_argument("--detail", action="store_true")
    a = ap.parse_args()
    findings = json.load(open(a.dupes or os.path.join(a.book, "dupes.json")))
    print(report(a.book, score(a.book, findings), a.detail))
    return 0


if __name__ == "__main__":
    sys.exit(main())
