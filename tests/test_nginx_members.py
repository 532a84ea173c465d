"""deploy/nginx-members.conf: the members' edition only for members (Basic authentication with a
password file made by the documented `openssl passwd -apr1` command), and nothing of it on the
public server. Both configurations run in one real nginx, on two ports, as in test_nginx.py."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest
from test_nginx import (
    CONFIG,
    TIMEOUT,
    Server,
    _free_port,
    _nginx_binary,
    _stop,
    _wait_until_listening,
    main_config,
    site_config,
)

from scripts.kb.adapter import runner

ROOT = Path(__file__).resolve().parents[1]
MEMBERS_CONFIG = ROOT / "deploy" / "nginx-members.conf"
FIXTURE = ROOT / "tests" / "fixtures" / "lectures-site"
SECRET_URL = "/lectures/2024-06-02-members-only/"
USER, PASSWORD = "member", "门头沟-2024"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("editions")
    docs = tmp / "docs"
    shutil.copytree(FIXTURE, docs)
    (docs / "lectures" / "2024-06-02-members-only.md").write_text(
        "---\ntitle: 内部讲座\ndate: 2024-06-02\nvisibility: members\n---\n\n内部正文\n", "utf-8"
    )
    public, members = tmp / "public", tmp / "site-members"
    for site, env in ((public, {}), (members, {"KB_EDITION": "members"})):
        result = runner.build(docs, site, env=env)
        assert result.returncode == 0, result.stderr[-3000:]
    assert (members / SECRET_URL.strip("/") / "index.html").is_file()
    assert not (public / SECRET_URL.strip("/")).exists()
    return public, members


def _htpasswd(path: Path) -> None:
    """The command deploy/README.md documents, with the password given instead of prompted."""
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", PASSWORD], capture_output=True, text=True, check=True, timeout=TIMEOUT
    ).stdout.strip()
    path.write_text(f"{USER}:{hashed}\n", "utf-8")


@pytest.fixture(scope="module")
def servers(sites, tmp_path_factory, request) -> tuple[Server, Server]:
    nginx = _nginx_binary()
    public, members = sites
    prefix = tmp_path_factory.mktemp("nginx-editions")
    htpasswd = prefix / "kb-members.htpasswd"
    _htpasswd(htpasswd)
    public_port, members_port = _free_port(), _free_port()
    both = prefix / "both.conf"
    both.write_text(
        site_config(public, public_port)
        + site_config(
            members,
            members_port,
            MEMBERS_CONFIG,
            "root /srv/kb/site-members;",
            ("listen 8080;", "listen [::]:8080;"),
            **{"auth_basic_user_file /etc/nginx/kb-members.htpasswd;": f"auth_basic_user_file {htpasswd};"},
        ),
        "utf-8",
    )
    conf = prefix / "nginx.conf"
    conf.write_text(main_config(prefix, both), "utf-8")
    check = subprocess.run([nginx, "-t", "-q", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with open(prefix / "stderr.log", "wb") as log:
        proc = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(conf)], stdout=log, stderr=log)
    request.addfinalizer(lambda: _stop(proc))
    public_server, members_server = Server(public, public_port, prefix), Server(members, members_port, prefix)
    assert _wait_until_listening(proc, public_port) and _wait_until_listening(proc, members_port), public_server.log()
    return public_server, members_server


def _auth(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.mark.parametrize("url", ["/", SECRET_URL, "/en/", "/assets/kb.css", "/search/search_index.json", "/nope/"])
def test_members_edition_needs_credentials(servers, url):
    _, members = servers
    resp = members.get(url)
    assert resp.status == 401, f"{url}: {resp.status}"
    assert "Basic" in resp.header("WWW-Authenticate")
    assert "内部正文".encode() not in resp.body
    assert members.get(url, _auth(USER, "wrong")).status == 401
    assert members.get(url, _auth("someone", PASSWORD)).status == 401


def test_members_edition_is_served_to_members(servers):
    _, members = servers
    resp = members.get(SECRET_URL, _auth(USER, PASSWORD))
    assert resp.status == 200
    assert "内部正文" in resp.text()
    assert "private" in resp.header("Cache-Control") and "noindex" in resp.header("X-Robots-Tag")
    assert resp.header("Content-Security-Policy")
    assert members.get("/", _auth(USER, PASSWORD)).status == 200
    assert members.get("/.csp.conf", _auth(USER, PASSWORD)).status == 404


@pytest.mark.parametrize(
    "url", [SECRET_URL, "/site-members/", "/site-members" + SECRET_URL, "/../site-members/", "/en" + SECRET_URL]
)
def test_public_server_has_no_members_path(servers, url):
    public, _ = servers
    resp = public.get(url)
    assert resp.status in (400, 404), f"{url}: {resp.status}"
    assert "内部正文".encode() not in resp.body


def test_public_configuration_never_names_the_members_folder():
    import re

    text = re.sub(r"#.*", "", CONFIG.read_text("utf-8"))
    assert "site-members" not in text and "auth_basic" not in text
