"""Item pipelines: normalisation, deduplication and storage of extracted articles."""
