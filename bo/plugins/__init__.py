"""Beancount plugins shipped with bo, so bean-check and fava enforce what bo records."""
