"""One invoice number written with a copy's mark: "4527" on the e-invoice, "4527-1" on the
scanned paper copy.

A person entering a paper copy of a bill already booked sometimes numbers it as the system
would not: the invoice's number with a short group after it. Its digits are the invoice's
digits and one group of one digit more; two invoices of one vendor are numbered apart in
their own digits (4527, 4528). Two parts of one invoice ("4527-1", "4527-2") both carry
the mark, and stay two.
"""

from __future__ import annotations

from bo.duplicates.invoiced import digit_groups

# The invoice's own digits: a number of three digits or more, not a day or a count.
_LEAST_DIGITS = 100
_MOST_MARK = 9


def marked_copy(first: str, second: str) -> bool:
    """Whether two invoice numbers as written are one, the second (or first) with a mark."""
    a, b = digit_groups(first), digit_groups(second)
    short, long = sorted((a, b), key=len)
    return (
        len(short) == 1
        and len(long) == 2
        and long[0] == short[0] >= _LEAST_DIGITS
        and long[1] <= _MOST_MARK
    )
