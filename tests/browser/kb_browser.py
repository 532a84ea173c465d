"""Constants and helpers shared by the browser tests (fixtures are in conftest.py)."""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
INSTALL_HINT = "install Debian's chromium and CJK fonts: `apt-get install -y chromium fonts-noto-cjk`"
TIMEOUT_MS = 10_000  # every wait and navigation
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

ROOT = Path(__file__).resolve().parents[2]


def collection_pages(registry=None, docs: Path = ROOT / "docs") -> list[tuple[str, str, str]]:
    """Every collection's index page, in menu order, and one of its records (the first in docs/,
    whichever that is): derived from the collections' declarations (scripts/kb/collections/), so a
    new collection is in the browser tests without an edit here."""
    if registry is None:
        from scripts.kb.collections import REGISTRY as registry
    from scripts.kb.content import urls

    index, records = [], []
    for c in registry.menu():
        if not c.folder:
            continue
        address = urls.address(c.index_page)
        index.append((c.folder, address, "/en" + address))
        found = sorted(p for p in (docs / c.folder).glob("*.md") if p.name != "index.md" and _published(p))
        if found and c.is_record:
            address = urls.address(found[0].relative_to(docs).as_posix())
            records.append((f"{c.name}-record", address, "/en" + address))
    return index + records


def _published(path: Path) -> bool:
    """A Chinese page the public site publishes (not a translation, a draft or members-only)."""
    import yaml

    if path.name.count(".") != 1:
        return False
    head = path.read_text("utf-8-sig").split("---", 2)
    meta = yaml.safe_load(head[1]) if len(head) == 3 else None
    return isinstance(meta, dict) and not meta.get("draft") and meta.get("visibility", "public") == "public"


# The pages of each kind, Chinese path -> English path. Used by the i18n, a11y and geometry tests.
PAGES = [
    ("home", "/", "/en/"),
    ("plan", "/plan/2024/", "/en/plan/2024/"),
    ("point", "/plan/2024/03/", "/en/plan/2024/03/"),
    ("notice", "/plan/2024/notice/", "/en/plan/2024/notice/"),
    ("tasks", "/plan/2024/tasks/", "/en/plan/2024/tasks/"),
    ("full-text", "/plan/2024/full-text/", "/en/plan/2024/full-text/"),
    *collection_pages(),
]
# The editors' guide is in the members' edition only (test_first_minute.py opens it there).
GUIDE = ("guide", "/guide/", "/en/guide/")


def goto(page, path: str):
    """Open `path` on the test server and require a 200."""
    response = page.goto(path, wait_until="load")
    assert response is not None, f"no response for {path}"
    assert response.status == 200, f"{path}: HTTP {response.status}"
    return response


def material_config(page) -> dict:
    """Material's #__config (translations of the UI strings, search worker URL)."""
    return json.loads(page.locator("#__config").text_content())


# --- Material's search box -------------------------------------------------------------------

SEARCH_INPUT = "input.md-search__input"

# Observes (never changes) Material's search worker protocol: QUERY (type 2) messages posted and
# RESULT (type 3) messages received, so a test can tell when the answer to the last query has
# arrived. A backend that uses no worker leaves the counts at 0 and the wait relies on the result
# list settling. Installed in every page by conftest.py.
WORKER_PROBE_JS = """
(() => {
  const Native = window.Worker;
  if (!Native || window.__kbSearchProbe) return;
  const probe = window.__kbSearchProbe = { sent: 0, received: 0, last: null };
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ev => { if (ev.data && ev.data.type === 3) probe.received++; });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) { probe.sent++; probe.last = message.data; }
      return super.postMessage(message, ...rest);
    }
  };
})();
"""

_FINAL_STATE_JS = """
([none, placeholder, initializer]) => {
  const probe = window.__kbSearchProbe;
  if (probe && probe.sent) {
    const input = document.querySelector("input.md-search__input");
    if (probe.received < probe.sent || (input && probe.last !== input.value)) return false;
  }
  const meta = document.querySelector(".md-search-result__meta");
  if (!meta) return false;
  const text = meta.textContent.trim();
  if (!text || text === placeholder || text === initializer) return false;
  const items = document.querySelectorAll(".md-search-result__item").length;
  return text === none ? items === 0 : items > 0;
}
"""

_SNAPSHOT_JS = """
() => {
  const meta = document.querySelector(".md-search-result__meta");
  const links = Array.from(document.querySelectorAll(".md-search-result__item"), item => {
    const a = item.querySelector(":scope > a, a.md-search-result__link");
    return a ? a.href : "";
  });
  return [meta ? meta.textContent.trim() : "", links];
}
"""


def open_search(page, how: str = "click") -> None:
    """Open the search box as a reader does: click the magnifier in the header, or press `/`."""
    if how == "key":
        page.keyboard.press("/")
    else:
        # Phones show a magnifier button in the header; desktops show the search field itself.
        button = page.locator('label.md-header__button[for="__search"]')
        if button.is_visible():
            button.click()
        else:
            page.locator(SEARCH_INPUT).click()
    page.locator(SEARCH_INPUT).wait_for(state="visible")
    page.wait_for_function("sel => document.activeElement === document.querySelector(sel)", arg=SEARCH_INPUT)


_CJK_RUN = re.compile(r"([\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+)")


def type_query(page, query: str) -> None:
    """Type into the focused search box as a member does. Latin letters, digits and spaces are
    typed key by key. Chinese arrives from an input method, which commits a run of characters at
    once and ends the commit with a key release; Material reads the box on `keyup`, so each run is
    inserted whole and followed by a key press and release (End: moves the caret, changes nothing),
    as the commit key would be."""
    for run in _CJK_RUN.split(query):
        if not run:
            continue
        if _CJK_RUN.fullmatch(run):
            page.keyboard.insert_text(run)
            page.keyboard.press("End")
        else:
            page.keyboard.type(run, delay=10)


def search_results(page, *, timeout_ms: int = 10_000) -> tuple[str, list[str]]:
    """Wait for the result list to answer the query in the box and stop changing, and return the
    meta text ("找到 3 个…" / "没有找到…") and the result links' URLs, in order.

    Material renders each answer of its worker as it arrives, and typing Latin text key by key
    asks once per key, so an answer for a prefix can show first. The worker probe tells when the
    answer to the box's current text has arrived; the list must then stay the same for a moment
    (longer when the backend uses no worker and only the list itself can be watched)."""
    t = material_config(page).get("translations", {})
    args = [
        t.get("search.result.none", ""),
        t.get("search.result.placeholder", ""),
        t.get("search.result.initializer", ""),
    ]
    page.wait_for_function(_FINAL_STATE_JS, arg=args, timeout=timeout_ms)
    probed = page.evaluate("() => !!(window.__kbSearchProbe && window.__kbSearchProbe.sent)")
    settle_ms = 150 if probed else 400
    last = page.evaluate(_SNAPSHOT_JS)
    stable_for = waited = 0
    step = 50
    while stable_for < settle_ms:
        page.wait_for_timeout(step)
        waited += step
        now = page.evaluate(_SNAPSHOT_JS)
        if now == last:
            stable_for += step
        else:
            last, stable_for = now, 0
        if waited > timeout_ms:
            raise AssertionError(f"search results kept changing for {timeout_ms} ms: {now}")
    page.wait_for_function(_FINAL_STATE_JS, arg=args, timeout=timeout_ms)
    meta, links = page.evaluate(_SNAPSHOT_JS)
    return meta, links


def url_path(url: str) -> str:
    """The path of a result link, without the `?h=` highlight query and the `#anchor`."""
    return urlsplit(url).path


@contextlib.contextmanager
def serve_site(site: Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port, a daemon thread), quietly, with extra response
    headers if given; yields its base URL and stops the server on exit. A missing file is answered
    as deploy/nginx.conf answers it: status 404 with the site's 404 page (under /en/, the English
    one)."""
    extra = dict(headers or {})
    root = Path(site)

    class Handler(SimpleHTTPRequestHandler):
        def end_headers(self):
            for name, value in extra.items():
                self.send_header(name, value)
            super().end_headers()

        def send_error(self, code, message=None, explain=None):
            first = urlsplit(self.path).path.lstrip("/").split("/", 1)[0]  # "en" under /en/
            pages = [root / first / "404.html"] if first else []
            page = next((p for p in [*pages, root / "404.html"] if p.is_file()), None)
            if code != 404 or page is None:
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="kb-site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
