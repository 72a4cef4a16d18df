"""blogcrawl: crawl blogs and news sites into a store of clean, deduplicated articles."""
