"""``blogcrawl serve``: a small read-only web view of a store (Starlette, Jinja2 templates, uvicorn).

Modules: ``store`` opens the store read-only; ``health`` turns the runs' counters into per-site health
series; ``diff`` is the word diff between revisions; ``rawpages`` finds an article's raw page (a WARC
archive or fixture cases) for the "what was removed" view; ``records`` shapes rows as JSON; ``app``
holds the routes (HTML pages and the JSON API).
"""
