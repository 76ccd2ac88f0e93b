"""The month-end close: checklists, checks, actions, close records and the period lock."""
