"""An editor's script is refused by the browser behind the real deploy/nginx.conf (issue 32).

`kb check` refuses scripts, HTML and SVG in docs/ (tests/test_active_content.py); this test is the
layer behind it, for a file that reaches the site folder anyway (uploaded by hand, left by an old
build): the site is built from docs/ plus a lecture whose body loads scripts the ways an editor
could, the files are then put into the built site, and a real nginx serves it with deploy/nginx.conf
and the policies the build wrote (.csp.conf). Chromium must run none of them: a script beside the
page, one among the theme's assets but not one of its files, one reached by an encoded path that
the policy's path check and nginx read differently, and an SVG opened on its own whose inline
script and <script href> would run under a policy that trusted 'self'.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_nginx import (
    HOST,
    TIMEOUT,
    Server,
    _free_port,
    _nginx_binary,
    _stop,
    _wait_until_listening,
    main_config,
    site_config,
)

from kb_browser import DESKTOP, TIMEOUT_MS
from scripts.kb.adapter import runner

ROOT = Path(__file__).resolve().parents[2]
PAGE = "/lectures/2024-06-12-scripts/"
VIOLATIONS_JS = """
window.__kbViolations = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__kbViolations.push(e.violatedDirective + " " + (e.blockedURI || "")));
"""
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<script href="/lectures/drawing.js"/>'
    "<script>document.documentElement.setAttribute('data-ran', 'inline')</script>"
    '<rect width="40" height="40" fill="red" onload="document.documentElement.setAttribute(\'data-ran\', \'onload\')"/>'
    "</svg>"
)
EDITOR_JS = (
    "window.__kbEditor = (window.__kbEditor || []).concat([document.currentScript && document.currentScript.src]);"
)
EDITOR_JS_IN_SVG = "document.documentElement.setAttribute('data-ran', 'href');"


@pytest.fixture(scope="module")
def nginx_site(tmp_path_factory, request) -> str:
    tmp = tmp_path_factory.mktemp("csp-nginx")
    docs = tmp / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "lectures" / "2024-06-12-scripts.md").write_text(
        "---\ntitle: 脚本测试\ndate: 2024-06-12\n---\n\n正文。\n\n<p>SCRIPTS</p>\n", "utf-8"
    )
    site = tmp / "site"
    result = runner.build(docs, site)
    assert result.returncode == 0, result.stderr[-3000:]
    # What kb check would have refused, put straight into the site folder: the script files, and
    # the body's tags loading them (kb check refuses a body's reference to a file that is not in
    # docs/; MkDocs passes the tags through as written, which is what this puts in the page).
    built = site / PAGE.strip("/") / "index.html"
    html = built.read_text("utf-8")
    assert html.count("<p>SCRIPTS</p>") == 1
    built.write_text(
        html.replace(
            "<p>SCRIPTS</p>",
            '<script src="../editor.js"></script>'
            '<script src="/assets/javascripts/editor.js"></script>'
            '<script src="/assets/javascripts/lunr/..%2F..%2F..%2Flectures%2Feditor.js"></script>'
            '<script type="module" src="/lectures/editor.mjs"></script>',
        ),
        "utf-8",
    )
    (site / "lectures" / "editor.js").write_text(EDITOR_JS, "utf-8")
    (site / "lectures" / "editor.mjs").write_text(EDITOR_JS, "utf-8")
    (site / "assets" / "javascripts" / "editor.js").write_text(EDITOR_JS, "utf-8")
    (site / "lectures" / "drawing.svg").write_text(SVG, "utf-8")
    (site / "lectures" / "drawing.js").write_text(EDITOR_JS_IN_SVG, "utf-8")

    nginx = _nginx_binary()
    prefix = tmp / "nginx"
    prefix.mkdir()
    site_conf, conf = prefix / "kb.conf", prefix / "nginx.conf"
    conf.write_text(main_config(prefix, site_conf), "utf-8")
    for _attempt in range(3):
        port = _free_port()
        site_conf.write_text(site_config(site, port), "utf-8")
        check = subprocess.run([nginx, "-t", "-q", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        with open(prefix / "stderr.log", "wb") as stderr:
            proc = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(conf)], stdout=stderr, stderr=stderr)
        request.addfinalizer(lambda proc=proc: _stop(proc))
        if _wait_until_listening(proc, port):
            return f"http://{HOST}:{port}"
        _stop(proc)
        if "Address already in use" not in Server(site, port, prefix).log():
            break
    pytest.fail(f"nginx did not start.\n{Server(site, port, prefix).log()}", pytrace=False)


@pytest.fixture
def page(browser, nginx_site):
    context = browser.new_context(base_url=nginx_site, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(VIOLATIONS_JS)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


def test_an_editors_scripts_are_refused_by_the_browser(page):
    response = page.goto(PAGE, wait_until="load")
    assert response.status == 200
    assert len(response.header_values("content-security-policy")) == 2  # the site's, and scripts by path
    page.wait_for_timeout(500)
    assert page.evaluate("window.__kbEditor") is None
    blocked = " ".join(page.evaluate("window.__kbViolations"))
    assert "/lectures/editor.js" in blocked, blocked  # beside the page: not a path the policy names
    assert "/assets/javascripts/editor.js" in blocked, blocked  # among the theme's, but not one of its files
    assert "/lectures/editor.mjs" in blocked, blocked
    # the page's own scripts still run (Material's bundle draws the search box)
    assert page.locator(".md-search__input").count() == 1


def test_an_encoded_path_past_the_policy_reaches_no_script(page, nginx_site):
    """The policy's path check reads ..%2F as one segment under lunr/ (allowed); nginx decodes it
    and would serve /lectures/editor.js: deploy/nginx.conf serves no script outside /assets/."""
    import http.client

    from test_nginx import HOST as host

    port = int(nginx_site.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    conn.request("GET", "/assets/javascripts/lunr/..%2F..%2F..%2Flectures%2Feditor.js")
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    assert resp.status == 404 and b"__kbEditor" not in body


def test_an_svg_opened_on_its_own_runs_nothing(page):
    response = page.goto("/lectures/drawing.svg", wait_until="load")
    assert response.status == 200
    page.wait_for_timeout(500)
    assert page.locator("svg").get_attribute("data-ran") is None
    policies = response.header_values("content-security-policy")
    assert len(policies) == 3 and "sandbox" in policies[2] and "default-src 'none'" in policies[2]
