"""RobotsTxtMiddleware: Scrapy's, with every request that waits for a site's robots.txt checked against it.

Scrapy 2.19's middleware (``scrapy.downloadermiddlewares.robotstxt``) fetches a site's robots.txt when the
site's first request comes and keeps a Deferred in its place meanwhile; each request that comes before
the answer awaits that Deferred through ``maybe_deferred_to_future``. With the asyncio reactor that is
``Deferred.asFuture``, which consumes the result ("implicitly converts self into a Deferred firing with
None"): the first waiter gets the parser, every later one gets None, and None means "no robots.txt", so
they are sent unchecked. Whatever a site's first claimed batch holds comes at once: a run resumed after
a kill gets the killed process's claims, disallowed pages among them (blogsim_resume fetched
/private/draft-318/ that way), and so can an incremental run (pages queued again).

Here a waiter awaits a Deferred of its own, fired with the shared one's result, which it leaves in place
for the next waiter. Everything else (when robots.txt is fetched, what an error means) is Scrapy's.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.scrapy_adapter import pending_robots


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    async def robot_parser(self, request):
        pending = pending_robots(self, urlparse_cached(request).netloc)
        if pending is not None:  # the site's robots.txt is on its way
            return await maybe_deferred_to_future(branch(pending))
        return await super().robot_parser(request)


def branch(shared: Deferred) -> Deferred:
    """A Deferred that fires with ``shared``'s result and leaves that result to ``shared``'s next callbacks."""
    own: Deferred = Deferred()

    def relay(result):
        (own.errback if isinstance(result, Failure) else own.callback)(result)
        return result

    shared.addBoth(relay)
    return own
