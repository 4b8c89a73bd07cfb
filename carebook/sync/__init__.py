"""carebook.sync."""
