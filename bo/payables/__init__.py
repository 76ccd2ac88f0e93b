"""Payables and receivables day to day: parties, bills and invoices in, approvals, payment
runs and reminders. Everything stays plain text in the books and is committed."""
