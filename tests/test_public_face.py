"""What the public site says in its first minute (issue 30), on real builds of the live docs/.

Words a reader sees before reading anything: each page's <title>.
"""

from __future__ import annotations

import re

from kb_testlib import page_html

SITE_NAMES = {"zh": "政协门头沟区知识库", "en": "Mentougou CPPCC Knowledge Base"}
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _title(site, url: str) -> str:
    return _TITLE.search(page_html(site, url)).group(1).strip()


def test_the_home_page_is_titled_with_the_site_name_once(real_site):
    assert _title(real_site, "/") == SITE_NAMES["zh"]
    assert _title(real_site, "/en/") == SITE_NAMES["en"]
    # every other page: its own title, then the site's name
    assert _title(real_site, "/wenshi/") == f"文史资料 - {SITE_NAMES['zh']}"
    assert _title(real_site, "/en/plan/2024/tasks/").endswith(f" - {SITE_NAMES['en']}")
