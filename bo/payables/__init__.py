"""Payables and receivables day to day: parties, bills and invoices in, approvals, payment
runs and reminders. Everything stays plain text in the books and is committed."""

# Metadata on each payment entry `bo pay --commit` writes: the run's date. The statement
# import reads it to say a bank line is a payment bo made, not an entry typed by hand.
RUN_KEY = "payment-run"
