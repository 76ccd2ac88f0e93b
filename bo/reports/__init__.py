"""Reports: numbers computed from the ledger (compute), formatted by templates (render)."""
