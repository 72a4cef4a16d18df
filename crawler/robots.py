"""robots.txt as Scrapy's RobotsTxtMiddleware reads it (``ROBOTSTXT_PARSER``): Protego for the rules, the
body kept so that its ``Sitemap:`` lines are read by ``crawler.discovery.robots_sitemaps`` (a leading BOM
skipped, relative lines joined to the robots.txt URL: Protego keeps them as written)."""

from __future__ import annotations

from scrapy.robotstxt import ProtegoRobotParser

from crawler.discovery import robots_sitemaps


class RobotsParser(ProtegoRobotParser):
    def __init__(self, robotstxt_body: bytes, spider):
        super().__init__(robotstxt_body, spider)
        self.body = robotstxt_body

    def sitemaps(self, robots_url: str) -> list[str]:
        """Absolute URLs of the ``Sitemap:`` lines."""
        return robots_sitemaps(self.body, robots_url)
