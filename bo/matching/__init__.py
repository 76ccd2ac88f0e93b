"""The one matcher: pairs lines, postings and duplicates by amount, date, text and references.

Reconciliation (statement lines vs postings), import de-duplication (new lines vs postings
already in the books) and duplicate detection (one set against itself) all call this package.
Callers adapt their records into `Item`s; nothing here reads files or beancount entries.

Why it scales (O(n log n), never a scan of every pair): items are bucketed by (currency,
amount) and sorted by date inside a bucket, so an item's candidates come from a bisect of its
date window, capped at `max_candidates`. Only those pairs are ever scored (`index`, `score`).

`match_items` works in four stages:
1. one-to-one (`assign`): score candidate pairs, then solve an assignment per connected
   component of the candidate graph so that the *total* score is maximal;
2. one-to-many / many-to-one (`groups`, `regroup`, `large`, over `sums`): a bounded
   subset-sum search among what is left (a deposit that pays three invoices, a card payment
   split in two lines);
3. near-misses (`near`): leftover pairs whose amounts differ a little (a fee netted) or by a
   digit transposition (a typo), offered to a person, never matched;
4. reasons for every leftover item (`explain`): what came closest and why it was rejected.

Output is sorted by (date, amount, key), so it never depends on the order of the input.
"""

from bo.matching.assign import _assign
from bo.matching.match import find_similar_pairs, match_items
from bo.matching.model import Item, Match, MatchParams, MatchResult, NearMiss, Unmatched
from bo.matching.text import normalize_ref, normalize_text, text_similarity

__all__ = [
    "Item",
    "Match",
    "MatchParams",
    "MatchResult",
    "NearMiss",
    "Unmatched",
    "_assign",
    "find_similar_pairs",
    "match_items",
    "normalize_ref",
    "normalize_text",
    "text_similarity",
]
