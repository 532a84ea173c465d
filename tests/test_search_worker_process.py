"""The default language's search shards, written in another process while the other languages
build, and the further languages' while the build writes its other files (scripts/kb/adapter/events.py,
IndexJob), are the shards this process writes."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

from kb_testlib import ROOT, assert_same_site, build_with_switch
from scripts.kb.adapter import events


def test_site_is_the_same_when_this_process_writes_every_shard(real_site, tmp_path):
    files = assert_same_site(real_site, build_with_switch(tmp_path, {"KB_SEARCH_WORKER": "off"}))
    for lang in ("zh", "en"):
        shards = [f for f in files if f.parts[:3] == ("search", "kb", lang)]
        assert len(shards) > 256, lang  # the token shards, the documents and meta.json


def test_a_failed_worker_leaves_the_shards_to_this_process():
    job = events.IndexJob(None, "en", Path("unused"), "")
    assert job.future is None and job.written() == set()  # no documents: no job
    job.pool = None
    job.future = Future()
    job.future.set_exception(OSError("the worker died"))
    assert job.written() == set()  # replace_material_index then writes every language here
    done = events.IndexJob(None, "zh", Path("unused"), "")
    done.pool = None
    done.future = Future()
    done.future.set_result(12)
    assert done.written() == {"zh"}


def test_a_process_writing_two_languages_loads_the_dictionary_once():
    """The further languages' shards are written by the process that wrote the default
    language's (events.search_pool): jieba must be in the state a fresh process's would be.
    (In a process of its own: the test's jieba is left as it was.)"""
    code = """
import jieba
from scripts.kb.outputs import search
words = "政协悦读大讲堂 50000\\n门头沟区委员会 40000\\n"
search.load_user_dictionary(words)
total = jieba.dt.total
search.load_user_dictionary(words)
assert jieba.dt.total == total, "the same words were added again"
search.load_user_dictionary(words + "京西古道 30000\\n")
assert jieba.dt.total > total
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_the_jobs_of_a_build_share_one_process(tmp_path):
    docs = [{"location": "a/", "title": "门头沟", "text": "政协门头沟区委员会"}]
    state = events.BuildState()
    pool = events.search_pool(state)
    try:
        jobs = [events.IndexJob(docs, lang, tmp_path / lang, "", pool) for lang in ("zh", "en")]
        assert all(job.pool is None for job in jobs)  # neither starts (nor stops) a process of its own
        assert set().union(*(job.written() for job in jobs)) == {"zh", "en"}
        assert state.search_pool is pool and pool._processes and len(pool._processes) == 1
    finally:
        events.stop_search_pool(state)
    assert state.search_pool is None
    assert (tmp_path / "zh" / "meta.json").is_file() and (tmp_path / "en" / "meta.json").is_file()
