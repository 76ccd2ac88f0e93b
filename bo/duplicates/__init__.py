"""Duplicate entries and duplicate payments: found by the shared matcher, explained, remembered.

Five kinds, and receipts by the invoice they pay, each from buckets (by amount through
`bo.matching`, or by reference through a hash), never from a scan of every pair:

- **same bank line imported twice**: two entries carrying one `import-id`;
- **duplicate payment**: a vendor paid twice for one bill. Either the same vendor (payee
  spelled any way) and the same invoice number (`INV-0042`, `inv 42`, `0042`), paid more than
  the bill or, with no bill booked, the same amount twice; or the same vendor and amount within
  days with no invoice number telling the payments apart;
- **same reference paid to two vendors**: one invoice number and amount, two different payees;
- **same transaction entered twice**: one movement of a bank or card account booked twice
  (typed twice, or imported and typed), on close dates with a similar payee; or one bill
  entered twice in the payables (same vendor and invoice number, or amount within days);
- **transfer booked from both sides**: one transfer between two cash accounts booked once from
  each account's statement (or once as a transfer and once to the uncategorized account);
- **a customer's receipt booked twice** (`received`): receipts of one invoice beyond what was
  invoiced, named entered twice, or a duplicate payment when the bank shows both.

The statements decide what the books alone cannot: when the bank printed as many lines as
the books hold entries (matched one-to-one), those are honest repeats (two coffees, two
transfers); when it printed one line for two entries, one entry is a duplicate. A statement
never excuses a duplicate *payment*: it shows the money really left twice.

Honest repeats are not findings: two statement lines, payments on a weekly or monthly cadence,
refunds (opposite signs never pair), bills paid in parts that add up to the bill.

Callers import the module they use (`bo.duplicates.find` for the scan, `.model` for the
findings, `.dismissals`): this package imports nothing, so an answer from the cache does not
pay for the scan's modules.
"""
