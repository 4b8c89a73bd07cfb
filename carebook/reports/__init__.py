"""carebook.reports."""
