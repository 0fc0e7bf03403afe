"""yusuan — read, audit, write and search Chinese department budget disclosures."""

__version__ = "0.1.0"
