"""carebook.model.services."""
