"""Alembic revisions of the local store's schema (frozen once released)."""
