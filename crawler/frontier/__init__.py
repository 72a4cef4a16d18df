"""The crawl frontier as Scrapy schedulers: the store's (``store``) and, for fleets, Redis's (``crawler.fleet``)."""

NOT_BEFORE = "not_before"  # request meta: time.monotonic() before which the scheduler does not send it
