"""The article store and the crawl state, on any SQLAlchemy database (SQLite by default)."""
