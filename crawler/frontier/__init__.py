"""The crawl frontier as Scrapy schedulers: the store's (``store``) and, for fleets, Redis's (``crawler.fleet``)."""
