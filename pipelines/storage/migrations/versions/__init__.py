"""Schema revisions, oldest first: 0001 the first schema, 0002 incremental crawls, 0003 near-duplicates."""
