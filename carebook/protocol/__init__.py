"""carebook.protocol."""
