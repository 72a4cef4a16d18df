"""Fleet mode: one crawl spread over several processes and machines.

The frontier (a priority queue of serialized requests), the seen-URL set and the in-flight leases live
in Redis (``crawler.fleet.frontier``), scheduled through a scrapy-redis scheduler and dupefilter
(``crawler.fleet.scheduler``); the articles, runs and near-duplicate index live in the shared store
(PostgreSQL in production). ``crawler.spiders.fleet.FleetSpider`` is BlogSpider on that frontier;
``blogcrawl crawl ROOT... --frontier redis://...`` seeds and works, ``blogcrawl worker`` joins.
"""
