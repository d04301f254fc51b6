"""One simulated user's browser: every request timed and recorded as a ``Sample``.

A fresh TCP connection per request: gunicorn's sync workers close each one anyway, and a request is never
re-sent on a connection that went stale (a re-sent POST could store an update twice, the very thing the
load test counts). The client says what the TLS proxy in front of gunicorn says (``X-Forwarded-Proto:
https``) and sends ``Origin`` on a POST as a browser does, so Django's production checks (HTTPS redirect,
CSRF origin check) run as they do behind nginx.
"""

import gzip
import http.client
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit


@dataclass(frozen=True)
class Sample:
    """One request as the client saw it."""

    page: str
    method: str
    status: int  # 0: no answer (the error says why)
    ms: float
    size: int  # body bytes as transferred (compressed when the server compressed)
    started: float  # seconds since the run started
    error: str = ""
    compressed: bool = False
    html: bool = False  # a 200 page of at least 200 bytes (that gzip should have compressed)
    unpacked: int = 0  # body bytes after decompression

    @property
    def failed(self) -> bool:
        return bool(self.error) or not 200 <= self.status < 400


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes  # decompressed
    size: int  # as transferred

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class PageFailed(Exception):
    """The request was recorded as an error; the user's journey starts its next round."""


class Recorder:
    """Every user's samples, and the run's hard cap on requests (shared by all threads)."""

    def __init__(self, max_requests: int, started: float | None = None) -> None:
        self.samples: list[Sample] = []
        self.max_requests = max_requests
        self.started = time.monotonic() if started is None else started
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._issued = 0

    def claim(self, *, capped: bool = True) -> bool:
        """May one more request be sent? Past the cap, every user stops (``capped=False``: the redirect after
        a form, which a browser always follows, is sent anyway)."""
        with self._lock:
            if capped and self._issued >= self.max_requests:
                self.stop.set()
                return False
            self._issued += 1
            return True

    def add(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)


class CapReached(Exception):
    """The run's request cap is used up."""


class Browser:
    def __init__(self, host: str, port: int, recorder: Recorder, *, timeout: float = 30) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.origin = f"https://{host}:{port}"
        self.recorder = recorder
        self.cookies: dict[str, str] = {}
        # Once signed in: a redirect to the sign-in page is an error (the session was lost).
        self.login_path = ""
        self.sent_last = False  # whether the last request went out (not refused by the cap)

    def request(
        self,
        page: str,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        content_type: str = "",
        referer: str = "",
        expect: tuple[int, ...] = (),
        capped: bool = True,
    ) -> Response:
        """Send one request and record it; a non-2xx/3xx answer (or not one of ``expect``), a redirect to
        the sign-in page once signed in, or an exception raises ``PageFailed``."""
        self.sent_last = False
        if not self.recorder.claim(capped=capped):
            raise CapReached
        self.sent_last = True
        headers = {
            "Host": f"{self.host}:{self.port}",
            "Accept-Encoding": "gzip",
            "Accept": "text/html,*/*",
            "User-Agent": "ssk-load-test",
            "X-Forwarded-Proto": "https",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Content-Type"] = content_type
        if referer:
            headers["Referer"] = self.origin + referer
        started = time.monotonic()
        offset = started - self.recorder.started
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            raw = answer.read()
        except (OSError, http.client.HTTPException) as failure:
            ms = (time.monotonic() - started) * 1000
            self.recorder.add(Sample(page, method, 0, ms, 0, offset, error=f"{type(failure).__name__}: {failure}"))
            raise PageFailed(str(failure)) from failure
        finally:
            connection.close()
        ms = (time.monotonic() - started) * 1000
        compressed = answer.headers.get("Content-Encoding", "") == "gzip"
        content = gzip.decompress(raw) if compressed else raw
        self._keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        response = Response(answer.status, answer.headers, content, len(raw))
        error = ""
        if not 200 <= answer.status < 400:
            error = f"HTTP {answer.status}"
        elif expect and answer.status not in expect:
            error = f"HTTP {answer.status}, expected {'/'.join(map(str, expect))} (the form was refused?)"
        elif self.login_path and response.location and urlsplit(response.location).path == self.login_path:
            error = "sent to the sign-in page"
        # A page worth compressing (Django's gzip leaves bodies under 200 bytes alone).
        html = (
            answer.status == 200
            and len(content) >= 200
            and answer.headers.get("Content-Type", "").startswith("text/html")
        )
        sample = Sample(page, method, answer.status, ms, len(raw), offset, error, compressed, html, len(content))
        self.recorder.add(sample)
        if error:
            raise PageFailed(f"{method} {path}: {error}")
        return response

    def _keep_cookies(self, headers: Iterable[str]) -> None:
        for header in headers:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, page: str, path: str, *, follow: bool = True, capped: bool = True) -> Response:
        """GET a page, following redirects (each hop recorded under ``page``) as a browser would."""
        response = self.request(page, "GET", path, capped=capped)
        hops = 0
        while follow and response.status in (301, 302, 303) and hops < 5:
            path = self.local(response.location)
            response = self.request(page, "GET", path, capped=capped)
            hops += 1
        return response

    def post_form(
        self,
        page: str,
        path: str,
        fields: dict[str, list[str]],
        *,
        files: Iterable[tuple[str, str, bytes, str]] = (),
        referer: str = "",
        expect: tuple[int, ...] = (),
    ) -> Response:
        """POST a form (multipart when there are files); the redirect is not followed (the caller does)."""
        files = list(files)
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urlencode([(name, value) for name, values in fields.items() for value in values]).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request(
            page, "POST", path, body=body, content_type=content_type, referer=referer or path, expect=expect
        )

    def local(self, location: str) -> str:
        """A redirect's path; one to another host is refused (the tracker never sends one)."""
        parts = urlsplit(urljoin(self.origin + "/", location))
        if parts.hostname != self.host:
            raise PageFailed(f"redirected to another host: {location}")
        return parts.path + (f"?{parts.query}" if parts.query else "")


def multipart(fields: dict[str, list[str]], files: Iterable[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    """``multipart/form-data`` as a browser encodes it: (body, content type). ``files``: (field, file name,
    content, content type)."""
    boundary = f"----ssk-load-{uuid.uuid4().hex}"
    chunks: list[bytes] = []
    for name, values in fields.items():
        for value in values:
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
            chunks.append(value.encode() + b"\r\n")
    for name, filename, content, kind in files:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n".encode()
        )
        chunks.append(content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


class _Forms(HTMLParser):
    """What a browser would send for each POST form of a page: its fields without files and buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self.actions: list[str] = []
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.forms[-1].setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        present = {key for key, _value in attrs}
        if tag == "form" and found.get("method", "").lower() == "post":
            self.forms.append({})
            self.actions.append(found.get("action", ""))
            self.inside = True
            return
        if not self.inside:
            return
        if tag == "option" and self.select and "selected" in present:
            self._add(self.select, found.get("value", ""))
        name = found.get("name")
        if not name:
            return
        kind = found.get("type", "text").lower()
        if tag == "input" and kind not in ("file", "submit", "button", "checkbox", "radio", "image", "reset"):
            self._add(name, found.get("value", ""))
        elif tag == "input" and kind in ("checkbox", "radio") and "checked" in present:
            self._add(name, found.get("value") or "on")
        elif tag == "select":
            self.select = name
        elif tag == "textarea":
            self.textarea = name
            self._add(name, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea and self.inside:
            values = self.forms[-1][self.textarea]
            # A browser drops the newline right after <textarea>.
            values[-1] += data if values[-1] else data.removeprefix("\n")


def post_forms(html: str) -> list[dict[str, list[str]]]:
    """Each POST form of the page as a browser would send it (no files, no buttons): the load test's
    client and the tests' ``FormClient`` read forms through this one parser."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_fields(html: str, having: str) -> dict[str, list[str]]:
    """The fields of the page's first POST form that has a field named ``having``."""
    for form in post_forms(html):
        if having in form:
            return form
    raise PageFailed(f"no form with a {having!r} field on the page")


_LINKED = re.compile(
    r"""<(?:link\b[^>]*\brel=["'](?:stylesheet|icon|preload|modulepreload|manifest)["'][^>]*\bhref|"""
    r"""(?:script|img|source)\b[^>]*\bsrc)=["']([^"']+)["']""",
    re.IGNORECASE,
)
_LINKED_REVERSED = re.compile(
    r"""<link\b[^>]*\bhref=["']([^"']+)["'][^>]*\brel=["'](?:stylesheet|icon|preload|modulepreload|manifest)["']""",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def page_assets(html: str) -> list[str]:
    """The files a page makes the browser fetch: style sheets, scripts, icons, images (in page order)."""
    found = [match.group(1) for match in _LINKED.finditer(html)]
    found += [match.group(1) for match in _LINKED_REVERSED.finditer(html)]
    return list(dict.fromkeys(url for url in found if not url.startswith("data:")))


def css_assets(css: str, css_url: str) -> list[str]:
    """The files a style sheet fetches (fonts, images), as URLs resolved against the sheet's own."""
    urls = [match.group(1).strip() for match in _CSS_URL.finditer(css)]
    return list(dict.fromkeys(urljoin(css_url, url) for url in urls if not url.startswith(("data:", "#"))))


def fetch_assets(fetch: Callable[[str], tuple[str, bytes]], html: str) -> list[str]:
    """Fetch what the page links to and what its style sheets link to, once each; ``fetch(url)`` returns
    (content type, body). The URLs fetched, in order."""
    queue = page_assets(html)
    done: list[str] = []
    while queue:
        url = queue.pop(0)
        if url in done:
            continue
        done.append(url)
        kind, body = fetch(url)
        if kind.startswith("text/css"):
            queue += css_assets(body.decode("utf-8", "replace"), url)
    return done
