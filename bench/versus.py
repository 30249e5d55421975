"""Ingest and entity-page speed of this checkout against an earlier revision, measured
alternately on the same files, so that the ratio survives a shared, noisy machine.

    python -m bench.versus --base 7dbc045 --persons 10000 --runs 3 [--backends embedded,neo4j]

Issue 9 asks that the statements model (per-dataset statements, provenance) cost at most
1.5x the ingest and entity-page time of the revision before it. Wall-clock figures taken
minutes apart on this shared machine differ by more than that, so both revisions run here
in turns (base, head, head, base, ...) on one synthetic network written by the *base*
revision's generator (bench/generate.py; fake names), each in its own process
(bench/versus_child.py) with that revision's ``src`` first on ``PYTHONPATH``:

- ingest: every case file into a fresh store (a new SQLite file; the scratch Neo4j
  database emptied first), seconds of wall time and of the client's CPU;
- Neo4j first runs one unmeasured round of both (the server's planning and JIT);
- entity page: ``service.entity`` for 200 seeded persons after 20 warm-up calls, p50/p95
  of the wall time per call and the client's CPU per call.

Prints a table of medians over ``--runs`` and the head/base ratios; writes the raw figures
to ``bench/versus.json``. The base revision is read with ``git archive`` (no checkout is
touched). Neo4j as in ``python -m bench``: ``REPGRAPH_TEST_NEO4J_*`` or its own server in
a fresh temporary home, wiped only if scratch.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def extract(rev: str, into: Path) -> Path:
    """``src`` and ``bench`` of ``rev`` (a git revision of this repository) under ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src", "bench"],
                             check=True, capture_output=True).stdout
    tar_path = into / "rev.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    tar_path.unlink()
    return into


def persons_of(files: list[Path], seed: int, n: int = 200) -> list[str]:
    """``n`` person ids drawn (seeded) from the case files."""
    ids = [node["id"] for f in files for node in json.loads(f.read_text(encoding="utf-8"))["nodes"]
           if node["label"] == "Person"]
    return random.Random(seed).sample(ids, min(n, len(ids)))


def run_side(src: Path, backend: str, ids_file: Path, files: list[Path], env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "versus_child.py"), backend, str(ids_file), *map(str, files)],
                         env={**env, "PYTHONPATH": str(src)}, capture_output=True, text=True, cwd=tempfile.gettempdir())
    if out.returncode:
        raise RuntimeError(f"{src}: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="git revision to compare with (e.g. 7dbc045, before statements)")
    ap.add_argument("--persons", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--backends", default="embedded")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "versus.json")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="repgraph-versus-"))
    base = extract(args.base, work / "base")
    sides = {"base": base / "src", "head": ROOT / "src"}
    data = work / "data"
    subprocess.run([sys.executable, "-m", "bench.generate", "--persons", str(args.persons), "--seed", str(args.seed),
                    "--out", str(data)], check=True, cwd=base, env={**os.environ, "PYTHONPATH": str(base / "src")},
                   stdout=subprocess.DEVNULL)
    files = sorted(data.rglob("*.json"))
    ids_file = work / "ids.json"
    ids_file.write_text(json.dumps(persons_of(files, args.seed)), encoding="utf-8")

    results: dict[str, dict[str, list[dict[str, Any]]]] = {}
    server = None
    try:
        for backend in args.backends.split(","):
            env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
            if backend == "neo4j":
                from bench.__main__ import Neo4jServer, wipe_neo4j

                server = server or Neo4jServer()
                env.update({k: v for k, v in server.settings.items() if v})  # the child's own, a scratch server
            results[backend] = {"base": [], "head": []}
            # Neo4j's first load pays for planning and JIT on the server: one unmeasured round
            warm = 1 if backend == "neo4j" else 0
            for run in range(-warm, args.runs):
                order = ["base", "head"] if run % 2 == 0 else ["head", "base"]
                for side in order:
                    if backend == "embedded":
                        db = work / f"{side}-{run}.db"
                        env["REPGRAPH_DB"] = str(db)
                    else:
                        store = server.store()
                        wipe_neo4j(store)
                        store.close()
                    r = run_side(sides[side], backend, ids_file, files, env)
                    if run < 0:
                        continue
                    results[backend][side].append(r)
                    print(f"[versus] {backend} run {run + 1} {side}: ingest {r['ingest_s']:.1f} s, "
                          f"entity p50 {statistics.median(r['entity_ms']):.2f} ms", file=sys.stderr, flush=True)
                    if backend == "embedded":
                        db.unlink(missing_ok=True)
    finally:
        if server:
            server.stop()

    lines = [f"{args.persons:,} persons, base {args.base}, {args.runs} runs (medians)", "",
             "| backend | measure | base | head | head/base |", "|---|---|---:|---:|---:|"]
    summary: dict[str, Any] = {}
    for backend, sides_runs in results.items():
        def med(side: str, key: str, f=lambda r, k: r[k]) -> float:
            return statistics.median(f(r, key) for r in sides_runs[side])

        rows = {
            "ingest (s)": lambda s: med(s, "ingest_s"),
            "ingest, client CPU (s)": lambda s: med(s, "ingest_cpu_s"),
            "entity page p50 (ms)": lambda s: med(s, "entity_ms", lambda r, k: statistics.median(r[k])),
            "entity page p95 (ms)": lambda s: med(s, "entity_ms", lambda r, k: pct(r[k], 95)),
            "entity page, client CPU (ms)": lambda s: med(s, "entity_cpu_ms"),
        }
        for name, fn in rows.items():
            b, h = fn("base"), fn("head")
            summary[f"{backend} {name}"] = {"base": b, "head": h, "ratio": h / b if b else None}
            lines.append(f"| {backend} | {name} | {b:.2f} | {h:.2f} | {h / b:.2f}x |")
    table = "\n".join(lines)
    print(table)
    args.out.write_text(json.dumps({"persons": args.persons, "base": args.base, "runs": args.runs,
                                    "summary": summary, "raw": results}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
