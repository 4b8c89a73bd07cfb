"""carebook.documents."""
