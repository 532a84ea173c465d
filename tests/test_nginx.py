"""deploy/nginx.conf, served by a real nginx: pages, gzip, cache headers, 404 pages per language.

The site is built from docs/ into a temporary folder; deploy/nginx.conf is copied with its `root`
pointed there and its `listen` lines replaced by 127.0.0.1 and a free port, wrapped in a minimal
main configuration whose pid, logs and temporary files live in a temporary prefix, and nginx runs
in the foreground as a child of the test (no system service). Debian's `nginx` package is
required: the test fails, not skips, without it (.ci/run installs it).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from kb_testlib import TEST_SITE_URL
from scripts.kb.adapter import runner

ROOT = Path(__file__).resolve().parents[1]

CONFIG = ROOT / "deploy" / "nginx.conf"
ROOT_LINE = "root /srv/kb/site;"
LISTEN_LINES = ("listen 80;", "listen [::]:80;")
MIME_TYPES = Path("/etc/nginx/mime.types")
HOST = "127.0.0.1"
TIMEOUT = 10  # seconds, for every request and every wait
INSTALL_HINT = "install Debian's nginx: `apt-get install -y nginx` (CI's .ci/run installs it)"

HASHED_ASSET = re.compile(r"\.[0-9a-f]{8,}\.min\.(?:css|js)$")
YEAR = 365 * 24 * 3600


# --- fixtures ---------------------------------------------------------------------------------


def _nginx_binary() -> str:
    found = shutil.which("nginx")
    if found is None:
        for candidate in ("/usr/sbin/nginx", "/usr/local/sbin/nginx"):
            if os.access(candidate, os.X_OK):
                found = candidate
                break
    if found is None:
        pytest.fail(f"nginx is not installed: {INSTALL_HINT}.", pytrace=False)
    if not MIME_TYPES.is_file():
        pytest.fail(f"{MIME_TYPES} is missing (it comes with nginx-common): {INSTALL_HINT}.", pytrace=False)
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def site_config(
    site: Path, port: int, config: Path = CONFIG, root_line: str = ROOT_LINE, listen_lines=LISTEN_LINES, **more
) -> str:
    """An nginx file of deploy/ with only the site folder (its root and the build's CSP include),
    the listen address and any `more` {line: replacement} changed."""
    text = config.read_text("utf-8")
    for needle in (root_line, *listen_lines, *more):
        count = len(re.findall(rf"^\s*{re.escape(needle)}", text, flags=re.M))
        assert count == 1, f"{config.name} must have the line `{needle}` exactly once (found {count})"
    folder = root_line.split()[1].rstrip(";")
    # The files each build writes into the site folder (.csp.conf, .redirects.map).
    text = text.replace(f"include {folder}/.", f"include {site}/.")
    text = text.replace(root_line, f"root {site};")
    text = text.replace(listen_lines[0], f"listen {HOST}:{port};")
    text = text.replace(listen_lines[1], "")
    for needle, replacement in more.items():
        text = text.replace(needle, replacement)
    return text


def main_config(prefix: Path, site_conf: Path) -> str:
    # A worker dropped to `nobody` could not read pytest's 0700 temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""\
daemon off;
{user}worker_processes 1;
pid {prefix}/nginx.pid;
lock_file {prefix}/nginx.lock;
error_log {prefix}/error.log notice;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {site_conf};
}}
"""


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def text(self) -> str:
        body = gzip.decompress(self.body) if self.header("Content-Encoding") == "gzip" else self.body
        return body.decode("utf-8")


@dataclass
class Server:
    site: Path
    port: int
    prefix: Path

    def get(self, path: str, headers: dict | None = None) -> Response:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        try:
            conn.request("GET", path, headers=headers or {})
            resp = conn.getresponse()
            return Response(resp.status, resp.headers, resp.read())
        finally:
            conn.close()

    def log(self) -> str:
        parts = []
        for name in ("error.log", "stderr.log"):
            path = self.prefix / name
            if path.is_file():
                parts.append(f"--- {name} ---\n" + path.read_text("utf-8", "replace")[-4000:])
        return "\n".join(parts)


def _wait_until_listening(proc: subprocess.Popen, port: int) -> bool:
    """True once the port accepts connections; False if nginx exited first."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGQUIT)  # graceful shutdown of the master and its worker
        try:
            proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("nginx-site") / "site"
    result = runner.build(ROOT / "docs", site, env={"KB_SITE_URL": TEST_SITE_URL})  # published with an address
    assert result.returncode == 0, (
        f"mkdocs build --strict failed (exit {result.returncode}).\n"
        f"--- stderr ---\n{result.stderr}\n--- stdout ---\n{result.stdout}"
    )
    assert (site / "index.html").is_file() and (site / "404.html").is_file()
    return site


@pytest.fixture(scope="module")
def server(built_site, tmp_path_factory, request) -> Server:
    nginx = _nginx_binary()
    prefix = tmp_path_factory.mktemp("nginx-prefix")
    site_conf = prefix / "kb.conf"
    conf = prefix / "nginx.conf"
    conf.write_text(main_config(prefix, site_conf), "utf-8")

    for _attempt in range(3):  # another process may take the free port before nginx binds it
        port = _free_port()
        site_conf.write_text(site_config(built_site, port), "utf-8")
        check = subprocess.run(
            [nginx, "-t", "-q", "-p", str(prefix), "-c", str(conf)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert check.returncode == 0, f"nginx -t rejects deploy/nginx.conf:\n{check.stdout}{check.stderr}"
        with open(prefix / "stderr.log", "wb") as stderr:
            proc = subprocess.Popen(
                [nginx, "-p", str(prefix), "-c", str(conf)],
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
            )
        request.addfinalizer(lambda proc=proc: _stop(proc))
        srv = Server(built_site, port, prefix)
        if _wait_until_listening(proc, port):
            return srv
        _stop(proc)
        if "Address already in use" not in srv.log():
            break
    pytest.fail(f"nginx did not start serving on {HOST}:{port}.\n{srv.log()}", pytrace=False)


def _hashed_assets(site: Path) -> list[str]:
    return sorted(
        "/" + path.relative_to(site).as_posix()
        for path in (site / "assets").rglob("*")
        if path.is_file() and HASHED_ASSET.search(path.name)
    )


def _max_age(cache_control: str) -> int | None:
    match = re.search(r"max-age=(\d+)", cache_control)
    return int(match.group(1)) if match else None


def _file(site: Path, url: str) -> bytes:
    path = url.lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return (site / path).read_bytes()


def _lang(html: str) -> str | None:
    match = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", html)
    return match.group(1) if match else None


# --- the configuration file -------------------------------------------------------------------


def test_config_names_the_site_root_in_one_place():
    text = CONFIG.read_text("utf-8")
    roots = re.findall(r"^\s*root\s+([^;]+);", text, flags=re.M)
    assert roots == ["/srv/kb/site"], roots
    assert "site-members" not in re.sub(r"#.*", "", text), "the members' edition must never be served"


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "lang"),
    [("/", "zh"), ("/plan/2024/", "zh"), ("/en/", "en"), ("/en/plan/2024/", "en"), ("/plan/2024/notice/", "zh")],
)
def test_pages_are_served(server, url, lang):
    resp = server.get(url)
    assert resp.status == 200, f"{url}: {resp.status}\n{server.log()}"
    assert resp.header("Content-Type").startswith("text/html")
    assert "charset=utf-8" in resp.header("Content-Type").lower()
    assert resp.body == _file(server.site, url)
    assert _lang(resp.text()) == lang


@pytest.mark.parametrize("url", ["/plan/2024", "/en", "/en/plan/2024"])
def test_directory_without_slash_redirects_to_it(server, url):
    resp = server.get(url)
    assert resp.status == 301
    # A relative Location stays right behind a CDN, a TLS terminator or another port.
    assert resp.header("Location") == url + "/"


def test_security_headers(server):
    for url in ("/", "/en/plan/2024/", "/no-such-page/", _hashed_assets(server.site)[0]):
        resp = server.get(url)
        assert resp.header("X-Content-Type-Options") == "nosniff", url
        assert resp.header("Referrer-Policy"), url
        assert "nginx/" not in resp.header("Server"), "server_tokens should be off"


# --- compression ------------------------------------------------------------------------------


def _largest_search_shard(site) -> str:
    """The sharded search index (search/kb/<lang>/*.json) is what browsers download for a query;
    search_index.json is only a stub below gzip_min_length."""
    shard = max((site / "search" / "kb" / "zh").glob("t*.json"), key=lambda p: p.stat().st_size)
    return "/" + shard.relative_to(site).as_posix()


def test_text_types_are_gzipped(server):
    urls = ["/", "/en/plan/2024/", _largest_search_shard(server.site), "/sitemap.xml", "/assets/kb.css"]
    urls += _hashed_assets(server.site)
    for url in urls:
        resp = server.get(url, {"Accept-Encoding": "gzip"})
        assert resp.status == 200, url
        assert resp.header("Content-Encoding") == "gzip", f"{url} is not compressed"
        assert "Accept-Encoding" in resp.header("Vary"), url
        assert gzip.decompress(resp.body) == _file(server.site, url), url


def test_search_index_is_json(server):
    for url in ("/search/search_index.json", _largest_search_shard(server.site)):
        resp = server.get(url)
        assert resp.header("Content-Type").startswith("application/json"), url
        json.loads(resp.text())


def test_no_compression_unless_asked(server):
    resp = server.get("/")
    assert resp.header("Content-Encoding") == ""
    assert resp.body == _file(server.site, "/")


# --- caching ----------------------------------------------------------------------------------


def test_hashed_assets_are_immutable(server):
    assets = _hashed_assets(server.site)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets), assets
    for url in assets:
        resp = server.get(url)
        assert resp.status == 200, url
        cache = resp.header("Cache-Control")
        assert "immutable" in cache, f"{url}: {cache!r}"
        assert (_max_age(cache) or 0) >= YEAR, f"{url}: {cache!r}"


def test_unhashed_assets_are_not_immutable(server):
    for url in ("/assets/kb.css", "/assets/images/favicon.png"):
        resp = server.get(url)
        assert resp.status == 200, url
        cache = resp.header("Cache-Control")
        assert "immutable" not in cache, f"{url}: {cache!r}"
        assert (_max_age(cache) or 0) <= 24 * 3600, f"{url}: {cache!r}"


@pytest.mark.parametrize("url", ["/", "/plan/2024/", "/en/plan/2024/", "/search/search_index.json", "/sitemap.xml"])
def test_html_search_and_sitemap_are_not_cached_long(server, url):
    resp = server.get(url)
    assert resp.status == 200
    cache = resp.header("Cache-Control")
    assert cache, f"{url} has no Cache-Control"
    assert "immutable" not in cache
    assert "no-cache" in cache or (_max_age(cache) is not None and _max_age(cache) <= 600), f"{url}: {cache!r}"
    assert resp.header("ETag") or resp.header("Last-Modified"), "revalidation needs a validator"


# --- 404 pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",
        "/no-such-page",
        "/plan/2099/",
        "/assets/missing.css",
        "/assets/stylesheets/main.0123abcd.min.css",
        "/404.html",
    ],
)
def test_missing_pages_get_the_site_404_page(server, url):
    resp = server.get(url)
    assert resp.status == 404, f"{url}: {resp.status}"
    assert resp.body == (server.site / "404.html").read_bytes(), f"{url} did not get /404.html"
    assert resp.header("Content-Type").startswith("text/html")
    assert "immutable" not in resp.header("Cache-Control"), "a 404 must not be cached as immutable"
    assert resp.header("X-Content-Type-Options") == "nosniff"


def test_site_404_page_is_chinese(server):
    """mkdocs-static-i18n writes 404.html once per language into the same folder
    (ultrabug/mkdocs-static-i18n#284); the build keeps the Chinese one at the root."""
    resp = server.get("/no-such-page/")
    assert resp.status == 404
    assert _lang(resp.text()) == "zh"


def test_missing_english_pages_get_the_english_404_page(server):
    """/en/404.html when the build wrote one, else the site's /404.html; always status 404."""
    english = server.site / "en" / "404.html"
    expected = english if english.is_file() else server.site / "404.html"
    for url in ("/en/no-such-page/", "/en/plan/2099/", "/en/404.html"):
        resp = server.get(url)
        assert resp.status == 404, f"{url}: {resp.status}"
        assert resp.body == expected.read_bytes(), f"{url} did not get /{expected.relative_to(server.site)}"
    if english.is_file():
        assert _lang(resp.text()) == "en"


def test_english_404_page_is_used_when_present_and_falls_back_when_not(server):
    """Both branches of the /en/ rule, whatever this build writes: add or hide en/404.html for a moment."""
    english = server.site / "en" / "404.html"
    hidden = english.with_name("404.html.hidden")
    site_404 = (server.site / "404.html").read_bytes()
    existed = english.is_file()
    marker = b'<!doctype html><html lang="en"><title>en 404 marker</title></html>\n'
    try:
        if not existed:
            english.write_bytes(marker)
        present = server.get("/en/no-such-page/")
        assert present.status == 404
        assert present.body == english.read_bytes()
        english.rename(hidden)
        absent = server.get("/en/no-such-page/")
        assert absent.status == 404
        assert absent.body == site_404
    finally:
        if hidden.exists():
            hidden.rename(english)
        if not existed and english.exists():
            english.unlink()
    assert english.is_file() == existed


def test_404_page_assets_load_from_any_depth(server):
    """The 404 page is shown at any URL, so its own assets must use root-absolute links."""
    for url in ("/no-such-page/", "/en/plan/2099/deep/"):
        html = server.get(url).text()
        links = re.findall(r"<(?:link|script)\b[^>]*?\b(?:href|src)=\"([^\"]+)\"", html)
        local = [link for link in links if not re.match(r"[a-z]+:|//", link)]
        assets = [link for link in local if "/assets/" in link]
        assert assets, f"no assets linked from the 404 page at {url}"
        for link in assets:
            assert link.startswith("/"), f"404 page links {link!r} relative to the URL"
            assert server.get(link).status == 200, link


# --- dotfiles, the calendar, the Content-Security-Policy ----------------------------------------


@pytest.mark.parametrize("name", [".csp.conf", ".git/config", ".env", "en/.secret", "assets/.DS_Store"])
def test_dotfiles_are_not_served(server, name):
    path = server.site / name
    created = not path.exists()
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("SECRET", "utf-8")
    try:
        resp = server.get("/" + name)
        assert resp.status == 404, f"/{name}: {resp.status}"
        assert b"SECRET" not in resp.body and b"Content-Security-Policy" not in resp.body
    finally:
        if created:
            path.unlink()


def test_well_known_stays_reachable(server):
    path = server.site / ".well-known" / "acme-challenge" / "token"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("challenge", "utf-8")
    try:
        assert server.get("/.well-known/acme-challenge/token").status == 200
    finally:
        shutil.rmtree(server.site / ".well-known")


def test_calendar_is_text_calendar_and_gzipped(server):
    for url in ("/events/calendar.ics", "/en/events/calendar.ics"):
        plain = server.get(url)
        assert plain.status == 200, url
        assert plain.header("Content-Type").startswith("text/calendar"), plain.header("Content-Type")
        assert plain.body == _file(server.site, url)
        assert plain.header("Cache-Control") == "no-cache"
        # gzip applies from gzip_min_length (256 bytes) on; the calendar of the real docs is larger
        assert len(plain.body) > 256
        packed = server.get(url, {"Accept-Encoding": "gzip"})
        assert packed.header("Content-Encoding") == "gzip", url
        assert gzip.decompress(packed.body) == plain.body


def test_task_breakdown_downloads_have_their_types(server):
    """tasks.csv is UTF-8 text/csv, compressed; tasks.xlsx keeps its spreadsheet type."""
    csv_url = "/plan/2024/tasks.csv"
    plain = server.get(csv_url)
    assert plain.status == 200
    assert plain.header("Content-Type") == "text/csv; charset=utf-8", plain.header("Content-Type")
    assert plain.body == _file(server.site, csv_url)
    if len(plain.body) > 256:  # gzip_min_length
        packed = server.get(csv_url, {"Accept-Encoding": "gzip"})
        assert packed.header("Content-Encoding") == "gzip"
        assert gzip.decompress(packed.body) == plain.body
    sheet = server.get("/plan/2024/tasks.xlsx")
    assert sheet.status == 200
    assert sheet.header("Content-Type") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _script_src(policy: str) -> str:
    return next(d for d in policy.split(";") if d.strip().startswith("script-src"))


def test_content_security_policy_is_the_one_the_build_wrote(server):
    from scripts.kb.outputs import csp

    include = (server.site / csp.INCLUDE_FILE).read_text("utf-8")
    policies = csp.written_policies(include)
    written = policies[0]
    for policy in policies:
        assert "'unsafe-inline'" not in _script_src(policy) and "'unsafe-eval'" not in _script_src(policy)
    for url in ("/", "/en/plan/2024/", "/plan/2024/tasks/", "/no-such-page/", "/assets/kb.css", "/no-such.svg"):
        resp = server.get(url)
        assert resp.headers.get_all("Content-Security-Policy") == policies, url
        assert resp.header("X-Content-Type-Options") == "nosniff", "the include must not drop the other headers"
    # SVG and XML documents carry a third policy: no script, no request, sandboxed
    for url in ("/feed.xml", "/sitemap.xml"):
        resp = server.get(url)
        assert resp.headers.get_all("Content-Security-Policy") == [*policies, csp.DOCUMENT_POLICY], url
    # every inline script the pages carry is allowed by hash, and nothing else is
    for url in ("/", "/en/", "/plan/2024/01/", "/en/lectures/"):
        for script in csp.inline_scripts(server.get(url).text()):
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in _script_src(written), (url, script[:80])
