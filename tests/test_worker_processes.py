"""The build's worker processes can import scripts.kb when MkDocs runs from another folder.

MkDocs loads scripts/hooks.py by path and restores sys.path afterwards; a build started with
`mkdocs build -f elsewhere/mkdocs.yml` from elsewhere then had no `scripts` package for its
spawned workers, which died at start and left their work to the build's own process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Import the package the way MkDocs imports the hooks (sys.path put back afterwards), from a
# folder that is not the project, then run a function of the package in a worker.
PROGRAM = f"""
import sys
if __name__ == "__main__":  # a spawned worker runs this file again, as MkDocs' workers would not
    sys.path.insert(0, {str(ROOT)!r})
    from scripts.kb.outputs import processes, search
    sys.path.remove({str(ROOT)!r})
    with processes.pool(1) as pool:
        print(pool.submit(search.shard_of, "政协").result())
"""


def test_a_worker_imports_the_package_from_another_folder(tmp_path):
    script = tmp_path / "build.py"
    script.write_text(PROGRAM, "utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    from scripts.kb.outputs import search

    assert result.stdout.strip() == str(search.shard_of("政协"))
