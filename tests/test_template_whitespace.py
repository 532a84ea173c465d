"""The theme's templates are rendered without their indentation (scripts/kb/adapter/template_whitespace.py):
the pages are smaller and differ from the templates as written only in runs of whitespace that hold
a line break, each now one line break, which a browser shows the same."""

from __future__ import annotations

import re

import jinja2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb_testlib import build_with_switch
from scripts.kb.adapter import template_whitespace

_RUN = re.compile(r"[ \t\r\f\v]*\n\s*")


def _normalised(data: bytes) -> str:
    return _RUN.sub("\n", data.decode("utf-8"))


def test_the_pages_differ_from_the_indented_templates_only_in_whitespace_runs(real_site, tmp_path):
    indented = build_with_switch(tmp_path, {"KB_TEMPLATE_WHITESPACE": "keep"})
    files = sorted(p.relative_to(indented) for p in indented.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(real_site) for p in real_site.rglob("*") if p.is_file())
    pages = [f for f in files if f.suffix == ".html"]
    assert len(pages) > 40
    before = after = 0
    for f in files:
        old, new = (indented / f).read_bytes(), (real_site / f).read_bytes()
        if f.suffix in (".html", ".xml"):
            assert _normalised(old) == _normalised(new), f
            before, after = before + len(old), after + len(new)
        elif f.name != "sitemap.xml.gz":  # the sitemap's gzip holds the compacted sitemap.xml
            assert old == new, f
    assert after < 0.9 * before, (before, after)
    # no blank lines of indentation are left in what the templates wrote (the article holds
    # the page's own content, the Markdown's HTML, which is left as it was converted)
    for f in pages:
        html = (real_site / f).read_text("utf-8")
        templates_only = re.sub(r"<(pre|script|textarea|article)\b.*?</\1>", "", html, flags=re.S)
        assert not re.search(r"\n[ \t]+\n", templates_only), f


def test_script_and_jinja_are_kept_and_a_last_run_stays_whitespace():
    compact = template_whitespace.compact
    assert compact("<ul>\n    {% for x in xs %}\n      <li>{{ x }}</li>\n    {% endfor %}\n</ul>\n") == (
        "<ul>\n{% for x in xs %}<li>{{ x }}</li>\n{% endfor %}\n</ul>\n"
    )
    assert compact("<p>\n  {% if a %}\n    A\n  {% else %}\n    B\n  {% endif %}\n</p>") == (
        "<p>\n{% if a %}A{% else %}B{% endif %}\n</p>"
    )
    # a statement not alone on its line, or one whose neighbour strips the line break, keeps them
    assert compact("A{% if a %}\n  B\n{% endif %}\nC") == "A{% if a %}\nB\n{% endif %}\nC"
    assert compact("{% endif -%}\n{% set v = 1 %}\nC") == "{% endif -%}\n{% set v = 1 %}\nC"
    script = "<script>\n  var a = `x\n   y`;\n</script>"
    assert compact(f"<p>\n  a\n</p>\n  {script}\n  ") == f"<p>\na\n</p>\n{script}\n\n"
    assert compact("{{ 'a\n    b' }}  {% set s = '\n   ' %}") == "{{ 'a\n    b' }}  {% set s = '\n   ' %}"
    assert compact("a \n b") == "a\nb" and compact("a  b") == "a  b"
    templates = {"end.html": "word\n  \n", "page.html": "{% include 'end.html' %}x"}
    indented = jinja2.Environment(loader=jinja2.DictLoader(templates))
    compacted = jinja2.Environment(loader=jinja2.DictLoader(templates))
    template_whitespace.install(compacted)
    # Jinja drops the template's last line break; what is left is still a space between words
    assert indented.get_template("page.html").render() == "word\n  x"
    assert compacted.get_template("page.html").render() == "word\nx"
    assert compacted.list_templates() == ["end.html", "page.html"]


# --- any template: whitespace wherever there was whitespace ------------------------------------------

_WS = st.sampled_from(["", " ", "\n", "\n  ", "  \n\n    ", "\t\n"])
_TEXT = st.sampled_from(["A", "<b>", "x y", "{{ i }}", "{{ v }}", "</b>"])


def _tag(statement: str):
    dashes = st.tuples(st.sampled_from(["", "-"]), st.sampled_from(["", "-"]))
    return dashes.map(lambda d: "{%" + d[0] + " " + statement + " " + d[1] + "%}")


@st.composite
def _template(draw, depth=0):
    out = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "text", "if", "for", "set", "with"] if depth < 3 else ["text", "set"]))
        out.append(draw(_WS))
        if kind == "text":
            out.append(draw(_TEXT))
        elif kind == "set":
            out.append(draw(_tag("set v = 1")))
        else:
            opening, closing, middles = {
                "if": ("if c", "endif", ["elif d", "else"]),
                "for": ("for i in xs", "endfor", ["else"]),
                "with": ("with w = 2", "endwith", []),
            }[kind]
            out += [draw(_tag(opening)), draw(_WS), draw(_template(depth + 1)), draw(_WS)]
            for middle in middles:
                if draw(st.booleans()):
                    out += [draw(_tag(middle)), draw(_WS), draw(_template(depth + 1)), draw(_WS)]
            out.append(draw(_tag(closing)))
        out.append(draw(_WS))
    return "".join(out)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(_template(), _template(), st.booleans(), st.booleans(), st.sampled_from([[], [1], [1, 2]]))
def test_any_template_writes_whitespace_wherever_it_did(body, included, c, d, xs):
    templates = {"page": f"P{body}{{% include 'part' %}}{body}Q", "part": included}
    indented = jinja2.Environment(loader=jinja2.DictLoader(templates))
    compacted = jinja2.Environment(loader=jinja2.DictLoader(templates))
    template_whitespace.install(compacted)
    context = {"c": c, "d": d, "xs": xs, "v": "V", "i": 0}
    shown = [re.sub(r"\s+", " ", env.get_template("page").render(**context)) for env in (indented, compacted)]
    assert shown[0] == shown[1], templates
