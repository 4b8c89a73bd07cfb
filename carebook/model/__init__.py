"""carebook.model."""
