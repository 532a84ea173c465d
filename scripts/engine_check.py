"""Build docs/ with MkDocs and with ProperDocs and compare the two sites.

MkDocs 1.x is unmaintained and Material reaches end of life in 2027 (deploy/README.md, "Moving off
MkDocs 1.x"); ProperDocs is the maintained drop-in continuation of MkDocs 1.x. This check keeps
the project able to switch: both engines must publish the same files, byte for byte, apart from
the generator tag in each page's <head>. Run by .ci/run:

    python -m scripts.engine_check          # exit 1 and a list of differences when they differ
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
from pathlib import Path

from scripts.kb.adapter import runner

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("mkdocs", "properdocs")
_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _comparable(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":  # the gzip header holds a time stamp
        data = gzip.decompress(data)
    if path.suffix == ".html":
        data = _GENERATOR.sub(b'<meta name="generator">', data)
    return data


def compare(a: Path, b: Path, names: tuple[str, str] = ENGINES) -> list[str]:
    """Differences between two built sites: files only in one, and files whose content differs
    other than in the generator tag (.gz files compared decompressed)."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out = [f"only in {names[0]}'s build: {f}" for f in sorted(files_a - files_b)]
    out += [f"only in {names[1]}'s build: {f}" for f in sorted(files_b - files_a)]
    out += [f"differs: {f}" for f in sorted(files_a & files_b) if _comparable(a / f) != _comparable(b / f)]
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m scripts.engine_check", description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", default=str(ROOT / "docs"))
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-engines-") as tmp:
        sites = {}
        for engine in ENGINES:
            site = Path(tmp) / engine / "site"
            site.parent.mkdir()
            r = runner.build(Path(args.docs), site, engine=engine)
            if r.returncode != 0:
                print(f"{engine} build failed (exit {r.returncode}):\n{r.stderr[-3000:]}", file=sys.stderr)
                return 1
            sites[engine] = site
        differences = compare(sites["mkdocs"], sites["properdocs"])
        count = sum(1 for f in sites["mkdocs"].rglob("*") if f.is_file())
        if differences:
            print(f"MkDocs and ProperDocs builds differ ({len(differences)}):", file=sys.stderr)
            for line in differences[:50]:
                print("  " + line, file=sys.stderr)
            return 1
        print(f"MkDocs and ProperDocs built the same {count} files (apart from the generator tag).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
