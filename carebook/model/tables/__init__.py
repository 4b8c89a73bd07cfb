"""ORM tables, one module per aggregate. Importing this package registers them all."""
from carebook.model.tables import (  # noqa: F401
    audit,
    case,
    client,
    document,
    organisation,
    outbox,
    search,
    staff,
)
