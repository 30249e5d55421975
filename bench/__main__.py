"""repgraph benchmark: ingest throughput and query / API latency on both backends.

    python -m bench --sizes 1000,10000,100000 --runs 3 [--backends embedded,neo4j] [--neo4j-ingest both]

For each size a seeded synthetic network (bench/generate.py, fake names) is written as
JSON case files and ingested into a fresh store of each backend (elements/s, with the
case files' parsing and validation included, as a user's ``repgraph ingest`` does). Then
each named question runs ``--samples`` times per run on ids drawn (seeded) from the data,
and each main API endpoint is called over HTTP on loopback through a real uvicorn server
(a separate process). Each measure's first call is reported apart ("first": a user's
first click is a cold call), then it is warmed up; p50/p95 per run; the table reports the
median over ``--runs`` runs and the embedded/Neo4j ratio of the p95s. Ingest runs in a
child process (bench/ingest_child.py) and reports its peak RSS; the API server's peak RSS
is read from /proc after its calls. Neo4j is loaded once per ingest path named by
``--neo4j-ingest`` (comma-separated: ``transactional``, ``bulk`` (``ingest --bulk``),
``import`` (``repgraph import-neo4j``: neo4j-admin into the stopped server, then server
start, schema and indexes online, all timed); ``both`` = ``transactional,import``, the
default), the database wiped or replaced before each; queries run on the last load.

Neo4j: ``REPGRAPH_TEST_NEO4J_URI`` (+ ``_USER``/``_PASSWORD``/``_DATABASE``) if set, else
a server started with scripts/neo4j-test-server in a fresh temporary home (1g heap, 512m page
cache) and stopped afterwards; never ``NEO4J_URI`` (a user's server). The Neo4j database
is wiped before each size, and only if it is scratch (repgraph.store.scratch): a database
holding data the tests or the benchmark did not create is refused.

``--ingest-limit N`` ingests only the first N person files of the embedded store (the
slice's throughput is reported and marked as a sample); queries then run on that slice.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import httpx

from repgraph import queries as Q
from repgraph import service as S
from repgraph.disclosure import Role, Viewer, disclose
from repgraph.ontology import PROTECTED_ROLES
from repgraph.ingest.loader import load_case_file
from repgraph.ingest.writer import element_count
from repgraph.schema import schema_statements
from repgraph.store.embedded import EmbeddedStore

from .generate import generate, write
from .ingest_child import peak_rss_mib

ROOT = Path(__file__).resolve().parents[1]
ANCHORED = ["entity", "ego-graph(depth 2)", "responsibility-chain", "search", "entity (public person)",
            "entity (public person, as viewer)", "search (as viewer)", "entity (public person, as admin)", "search (as admin)"]
#: A viewer (public data only): the redacted answers (repgraph.redaction) beside the admin's.
VIEWER = Viewer("bench", Role.viewer)
ADMIN = Viewer("bench-admin", Role.admin)
GLOBAL = ["guilt-by-association", "officials-cases", "exile-flows", "laws", "operations"]


def log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def machine() -> dict[str, str]:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), platform.processor())
    mem = next((l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")), "0")
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return {"cpu": cpu, "nproc": str(os.cpu_count()), "memory": f"{int(mem) / 2**20:.1f} GiB",
            "python": platform.python_version(), "java": java[0] if java else "?", "os": platform.platform()}


# --------------------------------------------------------------------------- neo4j


class Neo4jServer:
    def __init__(self):
        self.home = None
        names = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")
        if os.environ.get("REPGRAPH_TEST_NEO4J_URI"):
            self.settings = {k: os.environ.get(f"REPGRAPH_TEST_{k}") for k in names}
            return
        # a home of its own: two benchmarks at once must never stop or wipe each other's server
        self.home = Path(tempfile.mkdtemp(prefix="repgraph-bench-neo4j-"))
        env = dict(os.environ, REPGRAPH_NEO4J_HEAP=os.environ.get("REPGRAPH_NEO4J_HEAP", "1g"),
                   REPGRAPH_NEO4J_PAGECACHE=os.environ.get("REPGRAPH_NEO4J_PAGECACHE", "512m"))
        try:
            subprocess.run([sys.executable, str(ROOT / "scripts" / "neo4j-test-server"), "start", "--dir", str(self.home)],
                           check=True, env=env, stdout=subprocess.DEVNULL)
        except BaseException:  # a failed or interrupted start: stop what may have started, drop the home
            self.stop()
            raise
        written = dict(l.split("=", 1) for l in (self.home / "neo4j.env").read_text().splitlines() if "=" in l)
        self.settings = {k: written.get(f"REPGRAPH_TEST_{k}") for k in names}

    def store(self):
        from repgraph.store.neo4j_backend import Neo4jStore

        s = self.settings
        return Neo4jStore(s["NEO4J_URI"], s.get("NEO4J_USER") or "neo4j", s.get("NEO4J_PASSWORD") or None, s.get("NEO4J_DATABASE") or "neo4j")

    def offline_import(self, files: list[Path], env: dict[str, str]) -> dict[str, Any]:
        """``repgraph import-neo4j`` of ``files`` into this server's database (replaced),
        in a child process: the server is stopped first (not timed); the child starts it
        again and applies the schema (timed). The database is marked scratch again."""
        if not self.home:
            sys.exit("bench: the import path needs the benchmark's own server (unset REPGRAPH_TEST_NEO4J_URI)")
        subprocess.run([str(self.home / "bin" / "neo4j"), "stop"], check=True, stderr=subprocess.DEVNULL)
        out = ingest("neo4j", files, {**env, "NEO4J_HOME": str(self.home)}, "import")
        store = self.store()
        try:
            store.apply_schema([Q.SCRATCH_MARKER_CREATE])  # our own import: the bench may wipe it
        finally:
            store.close()
        return out

    def stop(self):
        if self.home:
            subprocess.run([sys.executable, str(ROOT / "scripts" / "neo4j-test-server"), "stop", "--dir", str(self.home)])
            shutil.rmtree(self.home, ignore_errors=True)


def neo4j_modes(spec: str) -> list[str]:
    """The Neo4j ingest paths ``--neo4j-ingest`` names, in order."""
    modes = ["transactional", "import"] if spec == "both" else [m.strip() for m in spec.split(",") if m.strip()]
    unknown = set(modes) - {"transactional", "bulk", "import"}
    if unknown or not modes:
        sys.exit(f"bench: unknown --neo4j-ingest {', '.join(sorted(unknown)) or spec!r}")
    return modes


def wipe_neo4j(store) -> None:
    """Empty the benchmark's Neo4j database; refuses one holding somebody's data."""
    from repgraph.store.scratch import NotScratch, claim_scratch, wipe_scratch

    try:
        claim_scratch(store, "the benchmark")
        wipe_scratch(store)
    except NotScratch as exc:
        sys.exit(f"bench: {exc}")


# --------------------------------------------------------------------------- measurements


def ingest(backend: str, files: list[Path], env: dict[str, str], mode: str = "transactional") -> dict[str, Any]:
    """Ingest ``files`` in a child process (bench/ingest_child.py) so that its peak RSS is
    the ingest's own: elements, seconds, per_s, peak_rss_mib."""
    out = subprocess.run([sys.executable, "-m", "bench.ingest_child", backend, mode, *map(str, files)],
                         env={**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])},
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(f"ingest ({backend}, {mode}) failed: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def pick_ids(files: list[Path], seed: int) -> dict[str, list[str]]:
    """Anchors for the anchored questions, drawn from the ingested files."""
    rng = random.Random(seed)
    persons, incidents, officials = [], [], []
    public_ids: set[str] = set()
    for f in files[1:]:
        data = json.loads(f.read_text())
        for n in data["nodes"]:
            if n["label"] == "Person":
                persons.append(n["id"])
                if not PROTECTED_ROLES.intersection(n["roles"]) and n.get("confidentiality", "public") == "public":
                    public_ids.add(n["id"])
                if "official" in n["roles"]:
                    officials.append(n["id"])
            elif n["label"] == "Incident":
                incidents.append(n["id"])
    public = [i for i in persons if i in public_ids]
    return {"person": rng.sample(persons, min(200, len(persons))), "incident": rng.sample(incidents, min(200, len(incidents))),
            "public_person": rng.sample(public, min(200, len(public))),
            "official": rng.sample(officials, min(200, len(officials)))}


#: A call whose warm-up takes longer than this (s) is sampled only twice: the number is
#: far off any target already and would otherwise eat the run's time budget.
SLOW = 5.0

#: Calls before measuring: the first is timed apart (a user's first click is a cold call:
#: query planning, JIT, caches), then the statement is warmed up with at least
#: ``WARM_UP`` calls in all and until ``WARM_UP_SECONDS`` have passed (at most
#: ``WARM_UP_MAX`` calls). Three calls were not enough on a freshly started Neo4j: its JIT
#: was still compiling when the samples began (the first search row measured 2x the p50 of
#: the same statement two rows later).
WARM_UP = 3
WARM_UP_SECONDS = 1.0
WARM_UP_MAX = 50


#: CPU seconds of the calls timed by :func:`time_calls` (this process, or the API server's
#: process when ``cpu_of`` names it): the machine may be shared, and wall time is noisy.
_cpu_ms: list[float] = []


def process_cpu_s(pid: int | None = None) -> float:
    """CPU seconds (user + system) of this process, or of process ``pid`` (from /proc)."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_calls(fn: Callable[[int], Any], samples: int, cpu_of: int | None = None,
               pool: int = 0) -> tuple[float, list[float]]:
    """(first call in ms, ``samples`` warm calls in ms); the CPU time of each warm call goes
    to :data:`_cpu_ms` (of process ``cpu_of``, default this one). Call ``i`` asks about the
    drawn id ``i + 1``; with ``pool``, about ids 1..pool in turn (the same ids, repeated)."""
    t0 = time.perf_counter()
    fn(0)
    first = (time.perf_counter() - t0) * 1000
    if first > SLOW * 1000:
        samples = 2
    else:
        k, deadline = 1, time.perf_counter() + WARM_UP_SECONDS
        while k < WARM_UP or (k < WARM_UP_MAX and time.perf_counter() < deadline):
            fn(-k)
            k += 1
    out = []
    for i in range(samples):
        c0 = process_cpu_s(cpu_of)
        t0 = time.perf_counter()
        fn(i % pool + 1 if pool else i + 1)
        out.append((time.perf_counter() - t0) * 1000)
        _cpu_ms.append((process_cpu_s(cpu_of) - c0) * 1000)
    return first, out


def _summary(fn: Callable[[int], Any], n: int, runs: int, cpu_of: int | None = None,
             cold: float | None = None, pool: int = 0) -> dict[str, Any]:
    """First call, p50 and p95 (ms, medians over ``runs``) of ``n`` calls of ``fn`` (on
    ids 1..``pool`` in turn with ``pool``); ``cold``: the first call measured earlier
    (before the server warm-up) in ms."""
    _cpu_ms.clear()
    first, samples = time_calls(fn, n, cpu_of, pool)
    first = first if cold is None else cold
    per_run = [samples]
    per_run += [time_calls(fn, n, cpu_of, pool)[1] for _ in range(runs - 1) if max(samples) < SLOW * 1000]
    return {"first": first, "p50": statistics.median(pct(r, 50) for r in per_run),
            "p95": statistics.median(pct(r, 95) for r in per_run), "samples": len(per_run[0]), "runs": len(per_run),
            "ids": min(pool, len(per_run[0])) if pool else len(per_run[0]),
            # CPU per call (ms): the server's for API rows (its ticks are 10 ms: a mean, not a median)
            "cpu_p50": statistics.median(_cpu_ms) if _cpu_ms else None,
            "cpu_mean": statistics.fmean(_cpu_ms) if _cpu_ms else None}


def viewer_entity(store, entity_id: str):
    """The entity page as the API answers a viewer: the id check, then the page disclosed
    (a protected person's id answers NotFound, as an unknown id does)."""
    from repgraph.redaction import require_visible

    try:
        require_visible(store, VIEWER, entity_id)
        return disclose(S.entity(store, entity_id), VIEWER, store)
    except S.NotFound:
        return None


def query_cases(store, ids: dict[str, list[str]]) -> dict[str, Callable[[int], Any]]:
    p, i, pub = ids["person"], ids["incident"], ids["public_person"]
    return {
        "entity": lambda k: S.entity(store, p[k % len(p)]),
        "ego-graph(depth 2)": lambda k: S.ego_graph(store, p[k % len(p)], depth=2),
        "responsibility-chain": lambda k: S.responsibility_chain(store, i[k % len(i)]),
        "search": lambda k: S.search(store, "testdefender " + str(k % 97 + 1)),
        # the same two answers for a viewer: visibility filter, pseudonyms and masking included
        # the same public persons' pages for an admin and a viewer (a protected person's
        # page is a cheap 404 for a viewer: comparing it would flatter the redaction)
        "entity (public person)": lambda k: S.entity(store, pub[k % len(pub)]),
        "entity (public person, as viewer)": lambda k: viewer_entity(store, pub[k % len(pub)]),
        "search (as viewer)": lambda k: disclose(S.search(store, "testdefender " + str(k % 97 + 1), viewer=VIEWER), VIEWER, store),
        # the admin's answers through the same exit (disclose: the audit listener's walk)
        "entity (public person, as admin)": lambda k: disclose(S.entity(store, pub[k % len(pub)]), ADMIN, store),
        "search (as admin)": lambda k: disclose(S.search(store, "testdefender " + str(k % 97 + 1)), ADMIN, store),
        "guilt-by-association": lambda k: S.guilt_by_association(store),
        "officials-cases": lambda k: S.officials_cases(store),
        "exile-flows": lambda k: S.exile_flows(store, ["country", "period", "route"][k % 3]),
        "laws": lambda k: S.laws(store),
        "operations": lambda k: S.operations(store),
    }


#: Redaction's cost: (admin row, viewer row) pairs of the same answers, reported as
#: viewer/admin ratios of p50 and of CPU per call (issue 10: at most 1.3x at 10k persons).
REDACTION_PAIRS = [("entity (public person)", "entity (public person, as viewer)"),
                   ("search", "search (as viewer)"),
                   ("entity (public person, as admin)", "entity (public person, as viewer)"),
                   ("search (as admin)", "search (as viewer)"),
                   ("GET /entities/{id} (public person)", "GET /entities/{id} (public person, as viewer)"),
                   ("GET /entities?q=", "GET /entities?q= (as viewer)")]
#: API rows called with the viewer's key (the others with the admin's).
AS_VIEWER = " (public person, as viewer)", " (as viewer)"


def api_cases(ids: dict[str, list[str]]) -> dict[str, Callable[[int], str]]:
    p, i, pub = ids["person"], ids["incident"], ids["public_person"]
    return {
        "GET /entities/{id} (public person)": lambda k: f"/entities/{pub[k % len(pub)]}",
        "GET /entities/{id} (public person, as viewer)": lambda k: f"/entities/{pub[k % len(pub)]}",
        "GET /entities/{id}": lambda k: f"/entities/{p[k % len(p)]}",
        "GET /graph/ego/{id}?depth=2": lambda k: f"/graph/ego/{p[k % len(p)]}?depth=2",
        "GET /incidents/{id}/responsibility-chain": lambda k: f"/incidents/{i[k % len(i)]}/responsibility-chain",
        "GET /entities?q=": lambda k: f"/entities?q=testdefender+{k % 97 + 1}",
        "GET /entities?q= (as viewer)": lambda k: f"/entities?q=testdefender+{k % 97 + 1}",  # after the admin's: each pair in the same order
        "GET /queries/guilt-by-association": lambda k: "/queries/guilt-by-association",
        "GET /queries/officials-cases": lambda k: "/queries/officials-cases",
        "GET /stats/exile": lambda k: "/stats/exile",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_key(access_path: Path, role: str = "admin") -> str:
    """A real key of ``role`` in the access file ``access_path`` (the API needs one)."""
    from repgraph.access import AccessDB, Users

    access = AccessDB(access_path)
    try:
        return Users(access).add(f"bench-{role}-{os.getpid()}-{time.monotonic_ns()}", role)[1]
    finally:
        access.close()


#: The viewer key of the last :func:`serve` (rows named in :data:`AS_VIEWER` send it).
VIEWER_HEADERS: dict[str, str] = {}


def serve(env: dict[str, str]):
    """A uvicorn server (separate process) over the configured store, with an admin and a
    viewer key in a fresh access file (in a temporary folder, removed by :func:`stop`);
    (process, base url, the admin's auth headers)."""
    port = free_port()
    access_path = Path(tempfile.mkdtemp(prefix="repgraph-bench-access-")) / "bench.access.db"
    ACCESS_FOLDERS[port] = access_path.parent
    url = f"http://127.0.0.1:{port}"
    proc = None
    try:  # whatever fails (a key, a server that exits or never answers), the keys' folder goes
        env = {**env, "REPGRAPH_ACCESS_DB": str(access_path)}
        headers = {"Authorization": f"Bearer {bench_key(access_path)}"}
        VIEWER_HEADERS.update({"Authorization": f"Bearer {bench_key(access_path, 'viewer')}"})
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "repgraph.api:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--no-access-log"],
            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {proc.stderr.read()[-2000:]}")
            try:
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    return proc, url, headers
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("uvicorn did not answer within 60 s")
    except BaseException:
        stop(proc, url)
        raise


#: The access file's folder of each running :func:`serve` server, by port.
ACCESS_FOLDERS: dict[int, Path] = {}


def stop(proc: subprocess.Popen | None, url: str) -> None:
    """Stop a :func:`serve` server (``None``: none was started) and remove its access folder."""
    if proc is not None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    folder = ACCESS_FOLDERS.pop(int(url.rsplit(":", 1)[1]), None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


#: Ids the server warm-up calls the anchored questions with: indexes into the 200 drawn
#: ids that no row measures (rows measure 1..20 after a first call on 0, and warm each
#: statement up on -1..-50, i.e. 199..150).
SERVER_WARM_UP_IDS = range(21, 150)


def server_warm_up(cases: dict[str, Callable[[int], Any]], seconds: float) -> int:
    """Call the anchored questions of ``cases`` in turn, on :data:`SERVER_WARM_UP_IDS`,
    for ``seconds``: the state of a server that has been answering for a while (Neo4j's
    JVM compiles its hot code after thousands of calls, not in one statement's warm-up).
    Returns the number of calls made."""
    anchored = [fn for name, fn in cases.items() if name not in GLOBAL]
    calls, deadline = 0, time.perf_counter() + seconds
    ids = itertools.cycle(SERVER_WARM_UP_IDS)
    while anchored and time.perf_counter() < deadline:
        k = next(ids)
        for fn in anchored:
            fn(k)
            calls += 1
    return calls


def measure(store, files, ids, runs: int, samples: int, api_env: dict[str, str],
            only: set[str] | None = None, warm_up_s: float = 0.0,
            global_samples: int | None = None, pool: int = 0) -> dict[str, Any]:
    """Every query and API row (``only``: just these names) on ``store``. Anchored rows
    (one id per call) make ``samples`` calls a run, global lists ``global_samples``
    (default: a quarter of ``samples``, at least 3); with ``pool``, anchored rows ask
    about the first ``pool`` drawn ids in turn instead of ``samples`` different ones. With ``warm_up_s``, each question
    is first called once (its cold call, reported as "first"), then
    :func:`server_warm_up` runs before any row is measured."""
    if global_samples is None:
        global_samples = max(3, samples // 4)
    out: dict[str, Any] = {"queries": {}, "api": {}}
    cases = {k: v for k, v in query_cases(store, ids).items() if only is None or k in only}
    cold: dict[str, float] = {}
    if warm_up_s > 0:
        for name, fn in cases.items():
            t0 = time.perf_counter()
            fn(0)
            cold[name] = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        calls = server_warm_up(cases, warm_up_s)
        log(f"  server warm-up: {calls} calls in {time.perf_counter() - t0:.1f} s")
    for name, fn in cases.items():
        n = samples if name in ANCHORED else global_samples
        out["queries"][name] = m = _summary(fn, n, runs, cold=cold.get(name), pool=pool)
        log(f"  {name}: first {m['first']:.1f} ms, p50 {m['p50']:.1f} ms, p95 {m['p95']:.1f} ms")
    proc, url, headers = serve(api_env)
    try:
        with httpx.Client(base_url=url, timeout=600, headers=headers) as client:
            for name, path in api_cases(ids).items():
                if only is not None and name not in only:
                    continue
                as_viewer = name.endswith(AS_VIEWER)

                def call(k, path=path, as_viewer=as_viewer):
                    r = client.get(path(k), headers=VIEWER_HEADERS if as_viewer else None)
                    r.raise_for_status()
                n = samples if "{id}" in name or "q=" in name else global_samples
                out["api"][name] = m = _summary(call, n, runs, cpu_of=proc.pid, pool=pool)
                log(f"  {name}: first {m['first']:.1f} ms, p50 {m['p50']:.1f} ms, p95 {m['p95']:.1f} ms")
        out["api_peak_rss_mib"] = peak_rss_mib(proc.pid)
        log(f"  API server peak RSS {out['api_peak_rss_mib']:.0f} MiB")
    finally:
        stop(proc, url)
    return out


# --------------------------------------------------------------------------- report


def table(results: dict[str, Any]) -> str:
    lines = []
    for size, by_backend in results["sizes"].items():
        emb, neo = by_backend.get("embedded"), by_backend.get("neo4j")
        lines.append(f"\n### {int(size):,} persons\n")
        lines.append("| measure | embedded first · p50 / p95 | Neo4j first · p50 / p95 | embedded/Neo4j (p95) |")
        lines.append("| --- | --- | --- | --- |")

        def ing(b, key="ingest"):
            if not b or key not in b:
                return "—"
            i = b[key]
            rss = f", peak RSS {i['peak_rss_mib']:,.0f} MiB" if "peak_rss_mib" in i else ""
            return f"{i['per_s']:,.0f} el/s ({i['elements']:,} el in {i['seconds']:.1f} s{', sample' if i.get('sample') else ''}{rss})"
        lines.append(f"| ingest | {ing(emb)} | {ing(neo)} | " + (f"{emb['ingest']['per_s'] / neo['ingest']['per_s']:.2f} (throughput)" if emb and neo else "—") + " |")
        if neo and "bulk_ingest" in neo:
            lines.append(f"| ingest --bulk | — (the default ingest) | {ing(neo, 'bulk_ingest')} | — |")
        if neo and "import_ingest" in neo:
            i = neo["import_ingest"]
            steps = ", ".join(f"{k} {v:.1f} s" for k, v in i.get("steps", {}).items())
            lines.append(f"| import-neo4j (end to end) | — | {ing(neo, 'import_ingest')} | — |")
            if "load_per_s" in i:
                lines.append(f"| import-neo4j --prepared (load of validated files, database down) | — | "
                             f"{i['load_per_s']:,.0f} el/s ({i['elements']:,} el in {i['load_seconds']:.1f} s) | — |")
            lines.append(f"| import-neo4j: neo4j-admin step alone | — | {i['import_per_s']:,.0f} el/s ({steps}) | — |")
        rss = lambda b: f"{b['api_peak_rss_mib']:,.0f} MiB" if b and "api_peak_rss_mib" in b else "—"  # noqa: E731
        lines.append(f"| API server peak RSS | {rss(emb)} | {rss(neo)} | — |")
        for section in ("queries", "api"):
            names = (emb or neo)[section].keys()
            for name in names:
                def cell(b):
                    if not b or name not in b[section]:
                        return "—"
                    m = b[section][name]
                    first = f"{m['first']:.1f} · " if "first" in m else ""
                    return f"{first}{m['p50']:.1f} / {m['p95']:.1f} ms"
                ratio = (f"{emb[section][name]['p95'] / neo[section][name]['p95']:.2f}" if emb and neo and neo[section][name]["p95"] else "—")
                label = name if section == "queries" else f"API {name}"
                lines.append(f"| {label} | {cell(emb)} | {cell(neo)} | {ratio} |")
        lines.append("\nRedaction's cost (viewer/admin, same answers; issue 10: at most 1.3x): "
                     "p50 ratio · CPU-per-call ratio (mean CPU ms viewer / admin)\n")
        lines.append("| answer | embedded | Neo4j |")
        lines.append("| --- | --- | --- |")
        for admin_row, viewer_row in REDACTION_PAIRS:
            section = "api" if admin_row.startswith("GET ") else "queries"

            def cost(b):
                if not b or admin_row not in b[section] or viewer_row not in b[section]:
                    return "—"
                a, v = b[section][admin_row], b[section][viewer_row]
                cpu = ""
                if a.get("cpu_mean") and v.get("cpu_mean") is not None:
                    cpu = f" · {v['cpu_mean'] / a['cpu_mean']:.2f} ({v['cpu_mean']:.1f} / {a['cpu_mean']:.1f} ms)"
                return f"{v['p50'] / a['p50']:.2f}{cpu}" if a["p50"] else "—"
            lines.append(f"| {'API ' + viewer_row if section == 'api' else viewer_row} vs {admin_row} | {cost(emb)} | {cost(neo)} |")
    return "\n".join(lines) + "\n"


def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM unwinds like Ctrl-C: the ``finally`` blocks stop the Neo4j server, the API
    server and the ingest child this run started, and remove their folders (a ``kill``
    or a CI timeout left a 1 GiB Neo4j running, holding its temporary home)."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="persons per network, comma-separated (default 1000,10000)")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    ap.add_argument("--samples", type=int, default=20, help="calls per run of an anchored query (global: a quarter)")
    ap.add_argument("--global-samples", type=int, default=0, metavar="N",
                    help="calls per run of a global list (default 0: a quarter of --samples, at least 3); "
                         "e.g. --samples 200 --global-samples 5 steadies the anchored p95s without "
                         "lengthening the slow global lists")
    ap.add_argument("--ids", type=int, default=0, metavar="N",
                    help="anchored rows ask about the first N drawn ids in turn (default 0: a different id for each "
                         "call, up to 200). --samples 200 --ids 20 repeats the 20 persons a 20-call run measures, "
                         "10 times each: the same question on the same persons, with less noise in its p95")
    ap.add_argument("--backends", default="embedded,neo4j")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--neo4j-ingest", default="both",
                    help="Neo4j ingest paths to measure, comma-separated: transactional, bulk, import "
                         "(both = transactional,import, the default)")
    ap.add_argument("--ingest-limit", type=int, default=0, help="embedded: ingest only the first N person files (a sample)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "repgraph-bench")
    ap.add_argument("--server-warm-up", type=float, default=60.0, metavar="SECONDS",
                    help="after each ingest, call the anchored questions on ids no row measures for this long "
                         "before measuring (default 60; 0: none). The first (cold) calls are timed before it")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    ap.add_argument("--only", default="", help="measure only these rows (comma-separated names; 'redaction': "
                                               "the viewer/admin pairs of the redaction's cost)")
    a = ap.parse_args(argv)
    if a.samples < 1 or a.global_samples < 0 or a.ids < 0:
        ap.error("--samples must be at least 1, --global-samples and --ids at least 0")
    sizes = [int(s) for s in a.sizes.split(",")]
    only = None
    if a.only:
        only = set()
        for name in a.only.split(","):
            only |= {n for pair in REDACTION_PAIRS for n in pair} if name == "redaction" else {name}
    backends = a.backends.split(",")

    signal.signal(signal.SIGTERM, _terminate)
    results = json.loads(a.out.read_text()) if a.out.exists() else {}
    results.setdefault("sizes", {})
    results["machine"] = machine()
    neo = Neo4jServer() if "neo4j" in backends else None
    try:
        for size in sizes:
            work = a.work / str(size)
            shutil.rmtree(work, ignore_errors=True)
            t0 = time.perf_counter()
            files = write(generate(size, a.seed), work / "cases")
            log(f"{size} persons: {sum(element_count(load_case_file(f)) for f in files):,} elements in {len(files)} files "
                f"(generated in {time.perf_counter() - t0:.1f} s)")
            res = results["sizes"].setdefault(str(size), {})
            for backend in backends:
                log(f"{size} persons, {backend}")
                if backend == "embedded":
                    db = work / "bench.db"
                    store = EmbeddedStore(db)
                    env = {"REPGRAPH_BACKEND": "embedded", "REPGRAPH_DB": str(db)}
                    use = files[: a.ingest_limit + 1] if a.ingest_limit else files
                else:
                    store = neo.store()
                    wipe_neo4j(store)
                    env = {"REPGRAPH_BACKEND": "neo4j", **{k: v for k, v in neo.settings.items() if v}}
                    use = files
                store.apply_schema(schema_statements())
                store.close()  # the ingest runs in its own process
                extra: dict[str, Any] = {}
                if backend == "neo4j":
                    modes = neo4j_modes(a.neo4j_ingest)
                    for k, mode in enumerate(modes):
                        if k:
                            store = neo.store()
                            wipe_neo4j(store)
                            store.apply_schema(schema_statements())
                            store.close()
                        if mode == "import":
                            res_mode = neo.offline_import(use, env)
                        else:
                            res_mode = ingest(backend, use, env, mode)
                        log(f"  {mode}: {res_mode['elements']:,} elements in {res_mode['seconds']:.1f} s = "
                            f"{res_mode['per_s']:,.0f}/s, peak RSS {res_mode['peak_rss_mib']:.0f} MiB"
                            + (f"; steps {', '.join(f'{n} {v:.1f} s' for n, v in res_mode['steps'].items())}, "
                               f"load phase {res_mode['load_per_s']:,.0f}/s, "
                               f"import step alone {res_mode['import_per_s']:,.0f}/s" if mode == "import" else ""))
                        extra[{"transactional": "ingest", "bulk": "bulk_ingest", "import": "import_ingest"}[mode]] = res_mode
                    ing = extra.pop("ingest", None) or extra[next(iter(extra))]
                else:
                    ing = ingest(backend, use, env)
                    log(f"  ingest: {ing['elements']:,} elements in {ing['seconds']:.1f} s = {ing['per_s']:,.0f}/s, "
                        f"peak RSS {ing['peak_rss_mib']:.0f} MiB")
                ing["sample"] = use is not files
                store = EmbeddedStore(db) if backend == "embedded" else neo.store()
                ids = pick_ids(use, a.seed)
                measured = measure(store, use, ids, a.runs, a.samples, env, only, a.server_warm_up,
                                   a.global_samples or None, a.ids)
                if only is not None and backend in res:  # a partial run updates its rows only
                    for section in ("queries", "api"):
                        res[backend].setdefault(section, {}).update(measured[section])
                else:
                    res[backend] = {"ingest": ing, **extra, **measured}
                store.close()
                a.out.write_text(json.dumps(results, indent=1))
    finally:
        if neo:
            neo.stop()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
