"""bo: a back office in plain text over beancount books."""

__version__ = "0.1.0"
