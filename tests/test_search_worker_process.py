"""The default language's search shards, written in another process while the other languages
build, and the further languages' while the build writes its other files (scripts/kb/adapter/events.py,
IndexJob), are the shards this process writes."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from kb_testlib import assert_same_site, build_with_switch
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
