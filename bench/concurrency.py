"""Served-API load and cost bounds: ``python -m bench.concurrency --db STORE``.

Against ``repgraph serve`` (a real process, real keys):

- **concurrency**: 50 clients at once, 500 GETs in all (entity pages and searches of
  random persons), for ``--workers`` 1 and 2: p50 / p95 / max latency and errors;
- **bounded cost**: ``/analytics/centrality?max_nodes=5000``: the answer's status and
  time, then the server's CPU seconds in the 10 s after the answer (work left running
  would show here); and the same with a client that gives up after 3 s.

The store is a synthetic one (``python -m bench.generate --persons 10000 --out DIR`` then
``repgraph ingest DIR --db STORE``). Results go to ``bench/concurrency.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from repgraph.access import AccessDB, Users
from repgraph.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
CLIENTS, REQUESTS = 50, 500


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (FileNotFoundError, IndexError):
            pass
    return total


def family(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout.split()
    return [pid, *map(int, out)]


def start(db: Path, access: Path, workers: int, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env["REPGRAPH_ACCESS_DB"] = str(access)
    proc = subprocess.Popen([sys.executable, "-m", "repgraph", "serve", "--db", str(db), "--port", str(port),
                             "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("serve did not answer within 90 s")


async def load(base: str, headers: dict, paths: list[str]) -> dict:
    latencies: list[float] = []
    errors = 0
    queue = list(paths)

    async def client():
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as c:
            while queue:
                path = queue.pop()
                t0 = time.perf_counter()
                r = await c.get(path)
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += r.status_code != 200

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    wall = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1),
            "max_ms": round(max(latencies), 1), "wall_s": round(wall, 2), "per_s": round(len(latencies) / wall, 1)}


def bounded(base: str, headers: dict, pids: list[int], give_up: float | None) -> dict:
    t0 = time.perf_counter()
    try:
        r = httpx.get(base + "/analytics/centrality", params={"max_nodes": 5000}, headers=headers,
                      timeout=give_up or 600)
        status, detail = r.status_code, (r.json().get("detail") if r.status_code != 200 else "ok")
    except httpx.ReadTimeout:
        status, detail = None, f"client gave up after {give_up} s"
    answered = time.perf_counter() - t0
    c0 = cpu_seconds(pids)
    time.sleep(10)
    return {"status": status, "detail": detail, "seconds": round(answered, 1),
            "cpu_s_in_10s_after": round(cpu_seconds(pids) - c0, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.concurrency", description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="an embedded store (e.g. 10,000 synthetic persons)")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "concurrency.json")
    args = ap.parse_args(argv)

    store = EmbeddedStore(args.db)
    persons = [r["id"] for r in store.read("MATCH (n:Person) RETURN n.id AS id")]
    store.close()
    rng = random.Random(7)
    paths = [f"/entities/{rng.choice(persons)}" if i % 2 else f"/entities?q=testdefender {rng.randint(1, 9999)}"
             for i in range(REQUESTS)]
    access_path = Path(tempfile.mkdtemp(prefix="repgraph-bench-")) / "bench.access.db"
    access = AccessDB(access_path)
    headers = {"Authorization": f"Bearer {Users(access).add('bench', 'admin')[1]}"}
    access.close()
    results: dict = {"store": str(args.db), "persons": len(persons), "clients": CLIENTS, "concurrency": {}}
    for workers in map(int, args.workers.split(",")):
        proc = start(args.db, access_path, workers, args.port)
        try:
            base = f"http://127.0.0.1:{args.port}"
            asyncio.run(load(base, headers, paths[:CLIENTS]))  # warm-up: each worker verifies the key once
            results["concurrency"][workers] = asyncio.run(load(base, headers, paths))
            print(f"workers={workers}: {results['concurrency'][workers]}", flush=True)
            if workers == 1:
                pids = family(proc.pid)
                results["centrality_5000"] = bounded(base, headers, pids, None)
                print("centrality:", results["centrality_5000"], flush=True)
                results["centrality_5000_client_leaves"] = bounded(base, headers, pids, 3.0)
                print("client leaves:", results["centrality_5000_client_leaves"], flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
