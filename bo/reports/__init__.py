"""Reports: numbers computed from the ledger (compute), formatted by templates (render)."""

# Here, not in bo.reports.build with the builders: a checklist's `reports` step names kinds,
# and validating it must not import every report module (the close reads its checklist
# before it starts its statement checks' child, which needs none of them).
KINDS = ("trial", "pnl", "balance", "cashflow", "aging-ar", "aging-ap", "budget", "flux")
BUDGETS_DIR = "budgets"  # a books repo's budget files, one or more per fiscal year
