"""Alembic migrations of the store's schema, shipped with the package and run from code
(``pipelines.storage.schema``): no ``alembic.ini`` is needed."""
