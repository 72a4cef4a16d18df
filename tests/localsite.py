"""Serve static site folders (fixtures/site/<name>/) over HTTP on 127.0.0.1.

Standard library only.  Used by the offline tests and by the demo::

    with LocalSite(Path("fixtures/site/ar")) as site:
        urlopen(site.base_url + "robots.txt")
        site.requests   # [("GET", "/robots.txt", 200)]

    python tests/localsite.py fixtures/site/ar fixtures/site/en [--port 8000]

File routing (path is percent-decoded, then re-encoded the way WordPress
writes slugs: UTF-8, lower-case hex, so upper- and lower-case escapes find
the same folder on disk; http.server itself rejects some raw UTF-8 request
lines, so clients must percent-encode, as browsers and Scrapy do)::

    /a/b/            -> ROOT/a/b/index.html   (or index.xml: /feed/ -> feed/index.xml)
    /a/b             -> the same page, 200 (slash-less twin), or the file ROOT/a/b
    /robots.txt      -> ROOT/robots.txt
    /post/?print=1   -> ROOT/post/print.html if present
    /post/?anything  -> the query is ignored for file lookup
    /post/amp/       -> ROOT/post/amp/index.html
    /_anything       -> 404 (files starting with "_" are never served)
    unknown          -> 404 with ROOT/404.html as the body if present

``{{BASE}}`` in every served text body (html, xml, txt, json, css, js) is
replaced by base_url without its trailing slash.  Every 200 carries a strong
ETag (hash of the body) and a Last-Modified; a matching If-None-Match or
If-Modified-Since answers 304.  HEAD is supported; other methods get 405.

ROOT/_routes.json (optional) declares extra behaviour.  Keys are request
paths; a key with a query string ("/?p=12") matches only that exact
path+query, a key without one matches the path whatever the query, and a
key ending in "*" is a prefix match ("/slow/*").  Lookup order: exact
path+query, path, longest prefix.  Sections::

    {
      "last_modified": "2024-03-10T12:00:00+00:00",   # Last-Modified of every 200 (default: file mtime)
      "redirects": {"/?p=12": "/2024/03/slug/",         # 301 by default
                    "/old/": {"to": "/new/", "status": 302}},
      "status":    {"/gone/": 410,
                    "/busy/": {"status": 503, "retry_after": 120}},
      "headers":   {"*": {"X-Powered-By": "PHP/7.4"}, "/x/": {"Cache-Control": "no-store"}},
      "rules": {                                        # the general form; the sections above are shorthands
        "/flaky/":  {"fail_first": 2, "fail_status": 503, "retry_after": 1},
        "/slow/":   {"delay": 1.5},
        "/cp1256/": {"encoding": "windows-1256"},     # re-encode the text body, charset follows
        "/nocs/":   {"content_type": "text/html"},     # Content-Type verbatim (no charset)
        "/raw/":    {"body_b64": "...", "content_type": "text/html"},
        "/text/":   {"body": "<p>inline</p>"},         # {{BASE}} substituted
        "/alias/":  {"file": "about/index.html"},      # serve another file
        "/gz/":     {"gzip": true}                     # gzip when the client accepts it
      }
    }

Rule keys: status, retry_after, redirect (target path or absolute URL; may
contain {{BASE}}), redirect_status, headers, delay (seconds before
answering; with delay_first N only the first N requests wait), fail_first + fail_status (+ retry_after): the first N requests
to this rule answer fail_status (default 503), then it behaves normally;
hang_first N: the first N requests are never answered (the connection stays open until the client
gives up, so a client timeout fires whatever the load; logged on arrival with status 0), then it
behaves normally;
body / body_b64, file, content_type, encoding, gzip, last_modified;
hold (run time only, from ``site.hold(path)``): requests wait, unanswered, until the test releases them.
A hold, not a delay, is how a test keeps a request in flight while it acts (kills, signals): it does
not race the machine's speed.
Redirect chains and loops are just redirects pointing at each other.
Rules can also be added at run time with ``site.add_rule(path, **rule)``; ``site.on_request`` (None
or a callable of method and path) runs before each answer, in the server's thread;
``site.reset_faults()`` rewinds the fail_first counters.
"""
from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import re
import select
import sys
import threading
import time
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes, urlsplit

__all__ = ["LocalSite", "load_truth", "main"]

TEXT_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".xml": "application/xml", ".txt": "text/plain",
    ".json": "application/json", ".css": "text/css", ".js": "application/javascript",
}
BINARY_TYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml", ".ico": "image/x-icon", ".pdf": "application/pdf",
}
INDEX_FILES = ("index.html", "index.xml")
SAFE = "/-._~!$&'()*+,;=:@"


def canonical_path(path: str | bytes) -> str:
    """Percent-decode a path and re-encode it WordPress-style (UTF-8, lower-case hex).

    A str is text ("/2019/09/إدلب/" or "/2019/09/%D8%A5.../"); bytes are the
    path as it came over the wire.
    """
    data = unquote_to_bytes(path if isinstance(path, bytes) else path.encode("utf-8"))
    text = data.decode("utf-8", "replace")
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(text, safe=SAFE))


def load_truth(root: Path | str) -> dict:
    """The ground truth of a fixture site folder (its _truth.json)."""
    return json.loads((Path(root) / "_truth.json").read_text(encoding="utf-8"))


def _http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(timezone.utc), usegmt=True)


class Hold:
    """Requests held by ``LocalSite.hold``: ``arrived`` (an Event) once one came, ``release()`` answers them."""

    LIMIT = 120.0  # a test that never releases does not hang its server threads forever

    def __init__(self, site: "LocalSite", path: str):
        self.site, self.path = site, path
        self.arrived = threading.Event()
        self._released = threading.Event()

    def wait(self) -> None:
        self.arrived.set()
        self._released.wait(self.LIMIT)

    def release(self) -> None:
        """Answers the held requests and those to come (the rule's other keys stay)."""
        self._released.set()
        self.site.add_rule(self.path, hold=None)


class _Response:
    def __init__(self, status=200, body=b"", content_type=None, headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})


class LocalSite:
    """One static site folder served on its own port (port 0 = a free port)."""

    def __init__(self, root: Path | str, host: str = "127.0.0.1", port: int = 0):
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise FileNotFoundError(self.root)
        self.host = host
        self.port = port
        self.base_url = ""
        self.requests: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self._hits: dict[str, int] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.config: dict = {}
        self.on_request = None  # called as on_request(method, path) before each answer (a test's hook)
        self.rules: dict[str, dict] = {}
        self._load_routes()

    # ------------------------------------------------------------ routes
    def _load_routes(self) -> None:
        f = self.root / "_routes.json"
        self.config = json.loads(f.read_text(encoding="utf-8")) if f.is_file() else {}
        self.rules = {}
        for path, target in self.config.get("redirects", {}).items():
            if isinstance(target, dict):
                self._merge(path, {"redirect": target["to"], "redirect_status": target.get("status", 301)})
            else:
                self._merge(path, {"redirect": target, "redirect_status": 301})
        for path, spec in self.config.get("status", {}).items():
            self._merge(path, spec if isinstance(spec, dict) else {"status": int(spec)})
        for path, headers in self.config.get("headers", {}).items():
            self._merge(path, {"headers": dict(headers)})
        for path, rule in self.config.get("rules", {}).items():
            self._merge(path, dict(rule))

    def _merge(self, path: str, rule: dict) -> None:
        cur = self.rules.setdefault(self._rule_key(path), {})
        if "headers" in rule and "headers" in cur:
            cur["headers"] = {**cur["headers"], **rule.pop("headers")}
        cur.update(rule)

    @staticmethod
    def _rule_key(path: str) -> str:
        if path == "*" or path.endswith("*"):
            return path
        p, _, q = path.partition("?")
        return canonical_path(p) + ("?" + q if q else "")

    def add_rule(self, path: str, **rule) -> None:
        """Add or extend a rule at run time (same keys as _routes.json "rules")."""
        with self._lock:
            self._merge(path, rule)
            self._hits.pop(self._rule_key(path), None)

    def hold(self, path: str) -> "Hold":
        """Requests to ``path`` (a rule key, "/api/*" too) are held unanswered until ``release()`` of the
        returned :class:`Hold`, whose ``arrived`` is set by the first of them; ``release()`` also ends the hold."""
        held = Hold(self, path)
        self.add_rule(path, hold=held)
        return held

    def remove_rule(self, path: str) -> None:
        with self._lock:
            self.rules.pop(self._rule_key(path), None)
            self._hits.pop(self._rule_key(path), None)

    def reset_faults(self) -> None:
        with self._lock:
            self._hits.clear()

    def _find_rule(self, path: str, query: str) -> tuple[str | None, dict]:
        if query and path + "?" + query in self.rules:
            key = path + "?" + query
            return key, self.rules[key]
        if path in self.rules:
            return path, self.rules[path]
        best = None
        for key in self.rules:
            if key.endswith("*") and key != "*" and path.startswith(key[:-1]):
                if best is None or len(key) > len(best):
                    best = key
        if best is not None:
            return best, self.rules[best]
        return None, {}

    # ----------------------------------------------------------- serving
    def url(self, path: str = "/") -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def _log(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.requests.append((method, path, status))

    def start(self) -> "LocalSite":
        if self._server is not None:
            return self
        site = self

        class Handler(_Handler):
            pass
        Handler.site = site
        self._server = _Server((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        self.base_url = "http://%s:%d/" % (self.host, self.port)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="LocalSite:%d" % self.port,
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> "LocalSite":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        return "LocalSite(%s, %s)" % (self.root, self.base_url or "not started")

    # ---------------------------------------------------------- building
    def _base(self) -> str:
        return self.base_url.rstrip("/")

    def _last_modified(self, rule: dict, file: Path | None) -> datetime:
        fixed = rule.get("last_modified") or self.config.get("last_modified")
        if fixed:
            dt = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
            return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
        if file is not None:
            return datetime.fromtimestamp(int(file.stat().st_mtime), timezone.utc)
        return datetime(2024, 1, 1, tzinfo=timezone.utc)

    def _resolve(self, path: str, query: str) -> Path | None:
        """The file a (canonical) path maps to, or None."""
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") or p.startswith("_") for p in parts):
            return None
        target = self.root.joinpath(*parts) if parts else self.root
        try:
            target.resolve().relative_to(self.root)
        except ValueError:
            return None
        if target.is_dir():
            if re.search(r"(^|&)print=1(&|$)", query or "") and (target / "print.html").is_file():
                return target / "print.html"
            for name in INDEX_FILES:
                if (target / name).is_file():
                    return target / name
            return None
        if target.is_file() and not path.endswith("/"):
            return target
        return None

    def _content_type(self, file: Path) -> tuple[str, bool]:
        """(mime type, is_text)."""
        if file.name == "index.xml" and file.parent.name == "feed":
            return "application/rss+xml", True
        suffix = file.suffix.lower()
        if suffix in TEXT_TYPES:
            return TEXT_TYPES[suffix], True
        return BINARY_TYPES.get(suffix, "application/octet-stream"), False

    def _text_body(self, text: str, rule: dict, mime: str) -> tuple[bytes, str]:
        text = text.replace("{{BASE}}", self._base())
        enc = rule.get("encoding", "utf-8")
        return text.encode(enc, "xmlcharrefreplace"), "%s; charset=%s" % (mime, enc)

    def _error_page(self, status: int) -> _Response:
        page = self.root / "404.html"
        if status == 404 and page.is_file():
            text = page.read_text(encoding="utf-8")
        else:
            text = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%d</title></head>"
                    "<body><h1>%d</h1></body></html>\n" % (status, status))
        body, ctype = self._text_body(text, {}, "text/html")
        return _Response(status, body, ctype)

    def hangs(self, raw: str) -> bool:
        """Whether this request is one of the first ``hang_first`` of its rule (counts it)."""
        split = urlsplit(raw)
        key, rule = self._find_rule(canonical_path((split.path or "/").encode("latin-1", "replace")), split.query)
        if not rule.get("hang_first"):
            return False
        with self._lock:
            n = self._hits.get("hang:%s" % key, 0)
            self._hits["hang:%s" % key] = n + 1
        return n < int(rule["hang_first"])

    def respond(self, method: str, raw: str, req_headers) -> _Response:
        split = urlsplit(raw)
        path, query = canonical_path((split.path or "/").encode("latin-1", "replace")), split.query
        key, rule = self._find_rule(path, query)
        extra_headers = dict(self.rules.get("*", {}).get("headers", {}))
        extra_headers.update(rule.get("headers", {}))

        if rule.get("hold") is not None:
            rule["hold"].wait()
        if rule.get("delay"):
            with self._lock:
                n = self._hits.get("delay:%s" % key, 0)
                self._hits["delay:%s" % key] = n + 1
            if not rule.get("delay_first") or n < int(rule["delay_first"]):
                time.sleep(float(rule["delay"]))
        if rule.get("fail_first"):
            with self._lock:
                n = self._hits.get(key, 0)
                self._hits[key] = n + 1
            if n < int(rule["fail_first"]):
                resp = self._error_page(int(rule.get("fail_status", 503)))
                if rule.get("retry_after") is not None:
                    resp.headers["Retry-After"] = str(rule["retry_after"])
                resp.headers.update(extra_headers)
                return resp
        if rule.get("redirect"):
            target = str(rule["redirect"]).replace("{{BASE}}", self._base())
            if target.startswith("/"):
                target = self._base() + target
            resp = _Response(int(rule.get("redirect_status", 301)), b"", "text/html; charset=utf-8",
                             {"Location": target})
            resp.headers.update(extra_headers)
            return resp
        status = int(rule.get("status", 200))

        file = None
        if "body" in rule or "body_b64" in rule:
            mime = rule.get("content_type", "text/html")
            if "body_b64" in rule:
                body, ctype = base64.b64decode(rule["body_b64"]), mime
            else:
                body, ctype = self._text_body(rule["body"], rule, mime.split(";")[0])
        else:
            if "file" in rule:
                file = self.root / rule["file"]
                file = file if file.is_file() else None
            else:
                file = self._resolve(path, query)
            if file is None:
                if status == 200:
                    resp = self._error_page(404)
                    resp.headers.update(extra_headers)
                    return resp
                body, ctype = self._error_page(status).body, "text/html; charset=utf-8"
            else:
                mime, is_text = self._content_type(file)
                if is_text:
                    body, ctype = self._text_body(file.read_text(encoding="utf-8"), rule, mime)
                else:
                    body, ctype = file.read_bytes(), mime
        if "content_type" in rule:
            ctype = rule["content_type"]

        resp = _Response(status, body, ctype, extra_headers)
        if status != 200:
            if rule.get("retry_after") is not None:
                resp.headers["Retry-After"] = str(rule["retry_after"])
            return resp

        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        lm = self._last_modified(rule, file)
        resp.headers.setdefault("ETag", etag)
        resp.headers.setdefault("Last-Modified", _http_date(lm))
        if _not_modified(req_headers, etag, lm):
            resp.status, resp.body = 304, b""
            return resp
        if rule.get("gzip") and "gzip" in (req_headers.get("Accept-Encoding") or ""):
            resp.body = gzip.compress(body, mtime=0)
            resp.headers["ETag"] = etag[:-1] + '-gzip"'
            resp.headers["Content-Encoding"] = "gzip"
            resp.headers["Vary"] = "Accept-Encoding"
        return resp


def _not_modified(headers, etag: str, last_modified: datetime) -> bool:
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = [t.strip() for t in inm.split(",")]
        return "*" in tags or any(t.removeprefix("W/").replace('-gzip"', '"') == etag for t in tags)
    ims = headers.get("If-Modified-Since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        return last_modified.replace(microsecond=0) <= since
    return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops SYNs under a crawler's concurrency (1 s retries)


class _Handler(BaseHTTPRequestHandler):
    site: LocalSite
    protocol_version = "HTTP/1.1"
    server_version = "Apache/2.4.41"
    sys_version = ""

    def _hang(self) -> None:
        """Hold the connection, answering nothing, until the client closes it or the server stops."""
        self.close_connection = True
        conn = self.connection
        while self.site._server is not None:
            readable, _, _ = select.select([conn], [], [], 0.1)
            if readable:
                try:
                    if not conn.recv(1024):
                        return
                except OSError:
                    return

    def _handle(self, send_body: bool) -> None:
        if self.site.on_request is not None:
            self.site.on_request(self.command, self.path)
        if self.site.hangs(self.path):
            self.site._log(self.command, self.path, 0)
            self._hang()
            return
        try:
            resp = self.site.respond(self.command, self.path, self.headers)
        except Exception as exc:  # never kill the server thread; report a 500
            resp = _Response(500, ("internal error: %r\n" % exc).encode(), "text/plain; charset=utf-8")
        self.site._log(self.command, self.path, resp.status)
        try:
            self.send_response(resp.status)
            if resp.content_type and resp.status != 304:
                self.send_header("Content-Type", resp.content_type)
            for k, v in resp.headers.items():
                self.send_header(k, v)
            if resp.status != 304:
                self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            if send_body and resp.status != 304 and resp.body:
                self.wfile.write(resp.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self) -> None:
        self._handle(True)

    def do_HEAD(self) -> None:
        self._handle(False)

    def _not_allowed(self) -> None:
        self.site._log(self.command, self.path, 405)
        body = b"method not allowed\n"
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def log_message(self, format, *args) -> None:  # keep test output quiet
        pass


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python tests/localsite.py",
                                 description="Serve fixture site folders on 127.0.0.1 until Ctrl-C.")
    ap.add_argument("dirs", nargs="+", type=Path, help="site folders (e.g. fixtures/site/ar)")
    ap.add_argument("--port", type=int, default=0,
                    help="port of the first site, the next ones use port+1, port+2... (default: free ports)")
    ap.add_argument("--host", default="127.0.0.1")
    args = ap.parse_args(argv)
    sites = []
    try:
        for i, d in enumerate(args.dirs):
            site = LocalSite(d, host=args.host, port=args.port + i if args.port else 0).start()
            sites.append(site)
            print("%s %s" % (site.base_url, d), flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        for site in sites:
            site.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
