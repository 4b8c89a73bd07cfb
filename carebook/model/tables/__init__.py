"""ORM tables, one module per aggregate. Importing this package registers them all."""
