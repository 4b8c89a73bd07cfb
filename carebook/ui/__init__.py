"""carebook.ui."""
