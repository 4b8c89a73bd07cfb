"""ORM tables, one module per aggregate. Importing this package registers them all."""
from carebook.model.tables import audit  # noqa: F401
