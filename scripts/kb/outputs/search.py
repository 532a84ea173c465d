"""Sharded search index: a browser fetches only the parts a query needs.

Material's search loads one JSON file holding every page before it can answer (about 2.2 KB
gzipped per page: 6.6 MB at 3,000 records). This module turns that file, after the build, into:

- `search/kb/<lang>/meta.json`: shard count, document count, chunk size;
- `search/kb/<lang>/t<NNN>.json`: token shards. A token is a CJK character bigram, a jieba word
  of a title or tag (segmented with the committee's user dictionary), a single CJK character of
  a title, or a lower-cased word of Latin letters or digits. Tokens are sharded
  by their first two characters, so a prefix query ("109", "lect") reads one shard and a
  Chinese query reads one shard per bigram;
- `search/kb/<lang>/d<NNN>.json`: documents (location, title, a text excerpt, parent) in chunks.

The browser side, docs/assets/javascripts/kb-search-worker.js, answers Material's search worker
messages from these files, so Material's search box, result list and keyboard use are unchanged.

Bigrams make every Chinese substring of two or more characters findable whatever the word
segmentation (悦读大讲堂, 大讲堂, 讲堂 all match); jieba words rank whole-term matches higher.
"""

from __future__ import annotations

import html
import io
import json
import logging
import operator
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from ..content import model, urls

SHARDS = 256
CHUNK = 8
EXCERPT = 360  # characters of text kept per document for the result teaser
TITLE_WEIGHT = 8

_TAG = re.compile(r"<[^>]+>")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9a-z\u00c0-\u024f]+")
_SEGMENT = "\u200b"  # Material marks jieba's word boundaries with a zero-width space

# The curated domain terms (悦读大讲堂, 三亲史料 …) added to the words taken from front matter.
SEARCH_TERMS = Path(__file__).with_name("search_terms.txt")


def shard_of(token: str) -> int:
    """Shard by the first two characters: tokens sharing a two-character prefix share a shard.
    kb-search-worker.js computes the same (CRC-32 of the UTF-8 bytes)."""
    return zlib.crc32(token[:2].encode("utf-8")) % SHARDS


def shown(text: str) -> str:
    """Text as the page shows it: tags dropped, entities decoded, Material's word marks removed,
    white space collapsed; the source's characters kept as they are (full-width ：，)."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", text or "")).replace(_SEGMENT, "")).strip()


def plain(text: str) -> str:
    """Text as tokens see it: NFKC folds full-width digits and letters (１０９ -> 109, ：-> :); the
    worker folds queries, and the shown text when it marks matches, alike."""
    return unicodedata.normalize("NFKC", html.unescape(_TAG.sub(" ", text or "")))


def tokens(text: str, *, title: bool = False) -> dict[str, int]:
    """Token -> count for one field.

    Body text: CJK bigrams and Latin words. Titles and tags also get single CJK characters (so a
    one-character query finds titles) and jieba's words, segmented with the committee's user
    dictionary (`cut_for_search` yields a compound and its parts: 政协悦读大讲堂, 悦读, 大讲堂)."""
    lowered = plain(text).lower().replace(_SEGMENT, "")
    runs = _HAN.findall(lowered)
    # Counter counts an iterable in C, keeping the order tokens are first seen (the shards' order)
    if title:
        counts: Counter[str] = Counter()
        for run in runs:
            counts.update(run)
            counts.update(word for word in _segment(run) if len(word) > 2)  # two-character words are bigrams already
            counts.update(map(operator.add, run, run[1:]))
    else:
        counts = Counter(chain.from_iterable(map(operator.add, run, run[1:]) for run in runs))
    counts.update(_WORD.findall(lowered))
    return counts


def _jieba():
    """jieba, told to keep its "Building prefix dict …" lines to itself (they read as trouble in the
    preview's and the build's output, in this process and in the search workers); None without it."""
    try:
        import jieba
    except ImportError:
        return None
    jieba.setLogLevel(logging.WARNING)
    return jieba


def _segment(run: str) -> list[str]:
    jieba = _jieba()
    if jieba is None:
        return []
    if _pending_dictionary:
        load_user_dictionary(_pending_dictionary.pop())
    return list(jieba.cut_for_search(run, HMM=False))


# The user dictionary `use_user_dictionary` named, until a title is first segmented here.
_pending_dictionary: list[str] = []


def use_user_dictionary(text: str) -> None:
    """The user dictionary (`user_dictionary`) to segment this build's titles with, taught to
    jieba when `tokens` first segments one: a build whose search shards are all written in other
    processes never starts jieba (about a second) nor adds the dictionary's words (at every save
    in the preview)."""
    _pending_dictionary[:] = [text]


@dataclass
class LanguageIndex:
    docs: list[dict] = field(default_factory=list)
    postings: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, doc: dict, parent: int | None) -> int:
        doc_id = len(self.docs)
        title = doc.get("title", "")
        text = doc.get("text", "")
        weights = tokens(text)
        for token, n in tokens(title, title=True).items():
            weights[token] += TITLE_WEIGHT * n
        for tag in doc.get("tags") or []:
            for token, n in tokens(tag, title=True).items():
                weights[token] += TITLE_WEIGHT * n
        boost = float(doc.get("boost", 1) or 1)
        postings = self.postings
        if boost == 1:  # weights are whole counts of at least 1: round(w * 1.0) is w
            for token, w in weights.items():
                postings[token].append((doc_id, w))
        else:
            for token, w in weights.items():
                postings[token].append((doc_id, max(1, round(w * boost))))
        self.docs.append(
            {
                "l": doc["location"],
                "t": shown(title),
                "x": shown(text)[:EXCERPT],
                **({"p": parent} if parent is not None else {}),
                **({"g": doc["tags"]} if doc.get("tags") else {}),
            }
        )
        return doc_id

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        shards: list[dict[str, list[int]]] = [dict() for _ in range(SHARDS)]
        for token, plist in self.postings.items():
            flat, last = [], 0
            for doc_id, weight in plist:  # doc ids ascend: store gaps, they compress better
                flat += [doc_id - last, weight]
                last = doc_id
            shards[shard_of(token)][token] = flat
        for i, shard in enumerate(shards):
            _dump(folder / f"t{i:03d}.json", shard)
        for start in range(0, len(self.docs), CHUNK):
            _dump(folder / f"d{start // CHUNK:03d}.json", self.docs[start : start + CHUNK])
        # Page documents' ids (gaps): a section's page is the nearest page id before it, so the
        # worker can group results by page before fetching any document.
        pages, last = [], 0
        for doc_id, doc in enumerate(self.docs):
            if "p" not in doc:
                pages.append(doc_id - last)
                last = doc_id
        _dump(
            folder / "meta.json",
            {"shards": SHARDS, "chunk": CHUNK, "docs": len(self.docs), "pages": pages},
        )


def _dump(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")


def language_of(location: str) -> str:
    return urls.lang_of_url(location)


def build(search_index: dict, languages=model.LANGS) -> dict[str, LanguageIndex]:
    """Split Material's merged index (all languages) into one sharded index per language of
    `languages`."""
    return {lang: index_of(language_documents(search_index, lang)) for lang in languages}


def language_documents(search_index: dict, lang: str) -> list[dict]:
    """The documents of Material's merged index (all languages) that go into `lang`'s index, in
    their order.

    An English page without a translation repeats the Chinese page word for word; it is left out of
    the English index (a reader searching in English finds nothing in it). This is what the i18n
    plugin's own de-duplication does, in one pass instead of comparing every pair."""
    docs = search_index.get("docs", [])
    if lang == model.DEFAULT_LANG:
        return [doc for doc in docs if language_of(doc.get("location", "")) == lang]
    default_entries = {
        (doc.get("location", ""), doc.get("title", ""), doc.get("text", ""))
        for doc in docs
        if language_of(doc.get("location", "")) == model.DEFAULT_LANG
    }
    return [
        doc
        for doc in docs
        if language_of(location := doc.get("location", "")) == lang
        and (location[len(lang) + 1 :], doc.get("title", ""), doc.get("text", "")) not in default_entries
    ]


def index_of(docs: list[dict]) -> LanguageIndex:
    """One language's index of its documents (`language_documents`): a section's document points
    at its page's."""
    index = LanguageIndex()
    page_ids: dict[str, int] = {}
    for doc in docs:
        location = doc.get("location", "")
        page = location.split("#", 1)[0]
        parent = page_ids.get(page) if "#" in location else None
        doc_id = index.add(doc, parent)
        if "#" not in location:
            page_ids[page] = doc_id
    return index


def with_record_titles(docs: list[dict], records: dict[str, str] | None) -> list[dict]:
    """`docs` and a document of its title for every record (`records`: location -> title) that
    has none: Material indexes a page by its body's sections, so a record whose body is still
    empty (as `kb new` leaves it) would not be found even by its title."""
    indexed = {doc.get("location", "").split("#", 1)[0] for doc in docs}
    extra = [
        {"location": location, "title": title, "text": ""}
        for location, title in (records or {}).items()
        if location not in indexed
    ]
    return docs + extra if extra else docs


def read_material_index(site_dir: Path, records: dict[str, str] | None = None) -> dict | None:
    """Material's merged index of the build (None if it wrote none), with a document for every
    record that has none (`with_record_titles`)."""
    path = site_dir / "search" / "search_index.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    data["docs"] = with_record_titles(data.get("docs", []), records)
    return data


def replace_material_index(
    site_dir: Path,
    languages=model.LANGS,
    *,
    shards: bool = True,
    records: dict[str, str] | None = None,
    written=(),
    data: dict | None = None,
) -> None:
    """Write the sharded indexes and leave Material a stub, so browsers never load the full file.
    shards=False keeps the shards already there (a quick preview rebuild); `written`: languages
    whose shards are already written (by `write_language_index` in another process); `data`:
    the index as `read_material_index` read it, if it has."""
    data = data if data is not None else read_material_index(site_dir, records)
    if data is None:
        return
    if shards:
        wanted = [lang for lang in languages if lang not in written]
        for lang, index in build(data, wanted).items():
            index.write(site_dir / "search" / "kb" / lang)
    stub = {"config": data.get("config", {}), "docs": []}
    (site_dir / "search" / "search_index.json").write_text(json.dumps(stub, ensure_ascii=False), "utf-8")


def write_language_index(docs: list[dict], lang: str, folder: Path, dictionary: str) -> int:
    """The sharded index of one language's documents (`language_documents`, or Material's entries
    of the default language's build, with `with_record_titles` applied), written into `folder`;
    `dictionary`: the user dictionary of `user_dictionary`. A pure function of its arguments:
    another process runs it while the build goes on, and writes what `replace_material_index`
    would. Returns the number of documents."""
    load_user_dictionary(dictionary)
    index = index_of(language_documents({"docs": docs}, lang))
    index.write(folder)
    return len(index.docs)


def user_dictionary(kb: model.KnowledgeBase, curated: Path) -> str:
    """jieba user dictionary (`word freq`) from front matter (titles, tags, names) and the curated
    list, so Material's segmentation keeps the committee's terms whole."""
    words: dict[str, str] = {}
    for line in curated.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            word, *rest = line.split()
            words[word] = rest[0] if rest else "50000"
    for e in kb.entries.values():
        data = e.data
        candidates = [data.title, *getattr(data, "tags", [])]
        for name in e.collection.search_fields:
            value = getattr(data, name, None)
            if isinstance(value, list):
                candidates += value
            elif value:
                candidates.append(value)
        for text in candidates:
            for run in _HAN.findall(text):
                if 2 <= len(run) <= 12:
                    words.setdefault(run, "20000")
    return "".join(f"{w} {f}\n" for w, f in sorted(words.items()))


def load_user_dictionary(text: str) -> None:
    """Teach jieba the domain's words for this build (used by `tokens` for titles and tags).
    The same dictionary is not loaded twice: each word loaded adds its frequency to jieba's
    total, which weighs every word, and a process that writes two languages' shards must
    segment as two fresh processes would."""
    if _loaded_dictionary == [text]:
        return
    jieba = _jieba()
    if jieba is None:  # search still works (bigrams); only whole-word ranking is lost
        return
    jieba.load_userdict(io.StringIO(text))
    _loaded_dictionary[:] = [text]


_loaded_dictionary: list[str] = []  # the user dictionary jieba was last taught in this process
