"""carebook: offline-first client data for small Finnish social-care producers."""

__version__ = "0.1.0"
