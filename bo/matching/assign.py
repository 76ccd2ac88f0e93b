"""Stage 1, one-to-one: the candidate pairs assigned so that the total score is maximal."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence

from bo.matching.index import _Side
from bo.matching.model import MatchParams
from bo.matching.score import _scored_candidates


def _candidate_edges(left: _Side, right: _Side, params: MatchParams):
    """Scored candidate pairs as three lists (i, j, score), score >= min_score."""
    edges_left: list[int] = []
    edges_right: list[int] = []
    scores: list[float] = []
    min_score = params.min_score
    for i in range(len(left.items)):
        for j, ev in _scored_candidates(left, i, right, params):
            if ev.score >= min_score:
                edges_left.append(i)
                edges_right.append(j)
                scores.append(ev.score)
    return edges_left, edges_right, scores


# Above this many cells a component's dense score matrix costs more than the sparse solver.
_DENSE_LIMIT = 250_000
# A component this small (rows² x columns) is solved in plain Python, without scipy, whose
# import alone costs most of a second: 100 x 100 items take 0.05 s, 0.2 s when all are alike.
_PY_SOLVE_LIMIT = 1_000_000
_UNITS = 1_000_000  # scores in millionths: exact sums in the plain-Python solver
_FAR = float("inf")
# Edges; beyond it numpy and scipy's connected_components are faster than plain Python. Below
# it numpy is not even imported: that import alone costs more than matching a small month.
_PY_COMPONENTS_LIMIT = 50_000


def _assign(
    edges_left: Sequence[int],
    edges_right: Sequence[int],
    scores: Sequence[float],
    n_left: int,
    n_right: int,
    dense_limit: int = _DENSE_LIMIT,
    py_limit: int = _PY_SOLVE_LIMIT,
) -> list[tuple[int, int]]:
    """Pairs (i, j), each i and each j used at most once: as many pairs as possible, and of
    those the largest total score.

    Greedy (best pair first) goes wrong when the best pair's items are each the only option of
    some other item: two coffees of one day, one bank line dated between them. An assignment
    takes the whole picture; splitting the graph into connected components first keeps each
    solved problem small (usually one pair, which needs no solver at all). Every candidate
    pair is a plausible match, so one more pair explains two more items: that comes first,
    and a slightly better date fit for some pair never leaves a line unexplained.
    """
    if not len(scores):
        return []
    if len(scores) > _PY_COMPONENTS_LIMIT:
        return _assign_large(
            edges_left, edges_right, scores, n_left, n_right, dense_limit, py_limit
        )
    lefts = [int(i) for i in edges_left]
    rights = [int(j) for j in edges_right]
    weights = [float(w) for w in scores]
    parent = list(range(n_left + n_right))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j in zip(lefts, rights, strict=True):
        parent[root(i)] = root(n_left + j)
    groups: dict[int, list[int]] = defaultdict(list)
    for edge, i in enumerate(lefts):
        groups[root(i)].append(edge)
    # Lone edges first, in edge order, then components by label: the order the numpy path
    # yields, so both give the same answer in the same order.
    lone = sorted(e[0] for e in groups.values() if len(e) == 1)
    pairs = [(lefts[e], rights[e]) for e in lone]
    for label in sorted(label for label, e in groups.items() if len(e) > 1):
        edges = groups[label]
        pairs += _solve_component(
            [lefts[e] for e in edges],
            [rights[e] for e in edges],
            [weights[e] for e in edges],
            dense_limit,
            py_limit,
        )
    return pairs


def _assign_large(edges_left, edges_right, scores, n_left, n_right, dense_limit, py_limit):
    """`_assign` for a large graph: components by scipy, bookkeeping in numpy."""
    # numpy and scipy are imported here, not at the top: a command on a small ledger never
    # needs them, and they cost more to import than the whole match.
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges_left = np.asarray(edges_left, dtype=np.int64)
    edges_right = np.asarray(edges_right, dtype=np.int64)
    scores = np.asarray(scores, dtype=float)
    size = n_left + n_right
    graph = coo_matrix(
        (np.ones(len(edges_left)), (edges_left, n_left + edges_right)), shape=(size, size)
    )
    component = connected_components(graph, directed=False)[1][edges_left]
    counts = np.bincount(component)
    alone = counts[component] == 1
    pairs = list(zip(edges_left[alone].tolist(), edges_right[alone].tolist(), strict=True))
    shared = np.flatnonzero(~alone)
    if len(shared):
        shared = shared[np.argsort(component[shared], kind="stable")]
        cuts = np.flatnonzero(np.diff(component[shared])) + 1
        for group in np.split(shared, cuts):
            pairs += _solve_component(
                edges_left[group].tolist(),
                edges_right[group].tolist(),
                scores[group].tolist(),
                dense_limit,
                py_limit,
            )
    return pairs


def _solve_component(
    rows: list[int], cols: list[int], scores: list[float], dense_limit: int, py_limit: int
) -> list[tuple[int, int]]:
    row_ids, col_ids = sorted(set(rows)), sorted(set(cols))
    row_index = {r: k for k, r in enumerate(row_ids)}
    col_index = {c: k for k, c in enumerate(col_ids)}
    row_at = [row_index[r] for r in rows]
    col_at = [col_index[c] for c in cols]
    n_rows, n_cols = len(row_ids), len(col_ids)
    if min(n_rows, n_cols) <= 3 and max(n_rows, n_cols) <= 6:
        chosen = _brute_force(row_at, col_at, scores, n_rows, n_cols)
        return [(row_ids[r], col_ids[c]) for r, c in chosen]
    if min(n_rows, n_cols) ** 2 * max(n_rows, n_cols) <= py_limit:
        chosen = _hungarian(row_at, col_at, scores, n_rows, n_cols)
        return [(row_ids[r], col_ids[c]) for r, c in chosen]
    import numpy as np

    # A bonus per pair above any total of scores: the most pairs first, then the best total.
    bonus = float(min(n_rows, n_cols) + 1)
    row_at_, col_at_ = np.asarray(row_at), np.asarray(col_at)
    scores_ = np.asarray(scores, dtype=float) + bonus
    if n_rows * n_cols <= dense_limit:
        weights = np.zeros((n_rows, n_cols))
        is_edge = np.zeros((n_rows, n_cols), dtype=bool)
        weights[row_at_, col_at_] = scores_
        is_edge[row_at_, col_at_] = True
        # A forced pair without an edge adds 0 to the total, so dropping it afterwards leaves a
        # maximum-score partial matching.
        from scipy.optimize import linear_sum_assignment

        chosen_rows, chosen_cols = linear_sum_assignment(weights, maximize=True)
        keep = is_edge[chosen_rows, chosen_cols]
        chosen_rows, chosen_cols = chosen_rows[keep], chosen_cols[keep]
    else:
        chosen_rows, chosen_cols = _sparse_assignment(row_at_, col_at_, scores_, n_rows, n_cols)
    return [
        (row_ids[r], col_ids[c])
        for r, c in zip(chosen_rows.tolist(), chosen_cols.tolist(), strict=True)
    ]


def _hungarian(row_at, col_at, scores, n_rows: int, n_cols: int) -> list[tuple[int, int]]:
    """The best matching of a component of a few dozen items (a busy day's equal amounts),
    exactly, in plain Python: importing scipy costs more than solving it.

    Shortest augmenting paths (Kuhn-Munkres with potentials), one row at a time, O(n² m) for
    n rows into m >= n columns. Weights are whole numbers (millionths, plus a bonus per pair
    above any total of scores: the most pairs first, then the best total), so no rounding
    can make two runs choose differently. A row forced onto a column without an edge adds 0
    and is dropped afterwards, which leaves a maximum-score partial matching.
    """
    flip = n_rows > n_cols
    n, m = (n_cols, n_rows) if flip else (n_rows, n_cols)
    bonus = (n + 1) * _UNITS
    cost = [[0] * (m + 1) for _ in range(n + 1)]  # 1-based; minimized, so weights negated
    for r, c, score in zip(row_at, col_at, scores, strict=True):
        i, j = (c, r) if flip else (r, c)
        cost[i + 1][j + 1] = -(bonus + round(score * _UNITS))
    u, v = [0] * (n + 1), [0] * (m + 1)
    owner, way = [0] * (m + 1), [0] * (m + 1)  # owner[j]: the row column j holds (0: none)
    for i in range(1, n + 1):
        owner[0], j0 = i, 0
        least, used = [_FAR] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], _FAR, 0
            row, u0 = cost[i0], u[i0]
            for j in range(1, m + 1):
                if used[j]:
                    continue
                reduced = row[j] - u0 - v[j]
                if reduced < least[j]:
                    least[j], way[j] = reduced, j0
                if least[j] < delta:
                    delta, j1 = least[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:  # the augmenting path, back to the start
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs = []
    for j in range(1, m + 1):
        i = owner[j]
        if i and cost[i][j]:
            pairs.append((j - 1, i - 1) if flip else (i - 1, j - 1))
    pairs.sort()
    return pairs


def _brute_force(row_at, col_at, scores, n_rows: int, n_cols: int) -> list[tuple[int, int]]:
    """The best matching of a tiny component (two coffees, one bank line) by trying all."""
    weight = {(r, c): w for r, c, w in zip(row_at, col_at, scores, strict=True)}
    flip = n_rows > n_cols
    small, large = (n_cols, n_rows) if flip else (n_rows, n_cols)
    best, best_pairs = -1.0, []
    for chosen in itertools.permutations(range(large), small):
        pairs = [((c, r) if flip else (r, c)) for r, c in enumerate(chosen)]
        pairs = [p for p in pairs if p in weight]
        total = len(pairs) * 10.0 + sum(weight[p] for p in pairs)  # the most pairs first
        # Ties go to the first found, in index order: the same input, the same answer.
        if total > best + 1e-12:
            best, best_pairs = total, pairs
    return best_pairs


def _sparse_assignment(row_at, col_at, scores, n_rows: int, n_cols: int):
    """Maximum-score partial matching of a large sparse component (a year of daily coffees).

    The sparse solver only finds *full* matchings, so every row gets a private "unmatched"
    column and every column a private "unmatched" row, and the two dummy sets may pair along
    the mirrored edges. With cost D - weight on real edges and D elsewhere (D above every
    weight), every full matching costs D * (rows + cols) - total weight of its real pairs;
    all costs stay non-zero, which the solver requires.
    """
    import numpy as np

    rows_range, cols_range = np.arange(n_rows), np.arange(n_cols)
    size = n_rows + n_cols
    dummy = float(scores.max()) + 1.0
    sources = np.concatenate([row_at, rows_range, n_rows + cols_range, n_rows + col_at])
    targets = np.concatenate([col_at, n_cols + rows_range, cols_range, n_cols + row_at])
    costs = np.concatenate([dummy - scores, np.full(n_rows + n_cols + len(scores), dummy)])
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    matrix = csr_matrix((costs, (sources, targets)), shape=(size, size))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(matrix)
    real = (matched_rows < n_rows) & (matched_cols < n_cols)
    return matched_rows[real], matched_cols[real]
