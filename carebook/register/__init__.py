"""carebook.register."""
