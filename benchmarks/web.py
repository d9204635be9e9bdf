"""Web benchmark (`make bench-web`): latency of search and of the entity page, and the
server's peak memory, with 1 million entities in the store and 20 concurrent clients.

The store (SQLite, kept in benchmarks/out/web/ between runs) holds 1,000,000 FtM persons
of one agency (5 statements each). `unweave serve` runs in its own process on loopback;
20 client threads, each with an API token of an analyst of that agency, send a mix of
searches (a full name, a phone in another format, a common surname) and entity pages
(the HTML profile of a random person). Every request is a real read through the user's
scope and writes its audit entry. Prints p50/p95 per kind and the server's peak RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote_plus

from benchmarks.datagen import persons_jsonl
from benchmarks.ingest import machine

OUT = Path(__file__).resolve().parent / "out" / "web"
USER, PASSWORD = "bench.analyst", "a long benchmark password"
LAST = ["Ibrahim", "Osagie", "Melnyk", "Edosa", "Nguyen", "Abdelrahman", "Popescu", "Hoxha"]
THREADS = 4  # per server process, as `unweave serve` (UNWEAVE_WEB_THREADS)
FIRST = ["Ahmed", "Blessing", "Oleh", "Faith", "Van Duc", "Mohammed", "Ana", "Ion"]


def build(db: Path, entities: int) -> str:
    from unweave.access.identity import add_user, create_token, list_users
    from unweave.ingest.runner import IngestOptions, ingest_file
    from unweave.store.db import open_store
    from unweave.store.registry import add_agency, list_agencies

    url = f"sqlite:///{db}"
    store = open_store(url)
    if not any(a.code == "NG-NAPTIP" for a in list_agencies(store)):
        add_agency(store, "NG-NAPTIP", "NAPTIP", "ng")
    t = time.perf_counter()
    source = persons_jsonl(OUT / "persons.jsonl", entities)
    opts = IngestOptions(dataset="ng_persons", agency="NG-NAPTIP", handling="H0", user="bench")
    report = ingest_file(store, source, opts)
    print(f"store: {report.status}, {report.statements_new:,} new statements "
          f"({time.perf_counter() - t:.0f} s)")  # fmt: skip
    if USER not in {u.username for u in list_users(store)}:
        add_user(store, USER, "NG-NAPTIP", "analyst", PASSWORD)
    return create_token(store, USER, "bench", days=1)


def queries(rng: random.Random, entities: int) -> tuple[str, str]:
    i = rng.randrange(entities)
    kind = rng.choice(["name", "phone", "surname", "entity", "entity", "entity"])
    if kind == "name":
        return "search-name", "/api/search?q=" + quote_plus(
            f"{FIRST[i % 8]} {LAST[(i // 8) % 8]} {i}"
        )
    if kind == "phone":
        return "search-phone", f"/api/search?q=0803{i % 10_000_000:07d}"
    if kind == "surname":  # one in eight of the million people bears it
        return "search-surname", f"/api/search?q={LAST[(i // 8) % 8]}"
    return "entity", f"/entities/p{i}"


class Client:
    """One kept-alive HTTP/1.1 connection of the standard library (far lighter on the CPU
    that the clients share with the server than httpx); ``get`` returns the status once the
    whole response is read."""

    def __init__(self, port: int, headers: dict[str, str], timeout: float = 60) -> None:
        self.port, self.headers, self.timeout = port, headers, timeout
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str) -> int:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.conn.request("GET", path, headers=self.headers)
            response = self.conn.getresponse()
            response.read()
        except (http.client.HTTPException, OSError):
            self.close()  # a new connection for the next request
            raise
        if response.will_close:
            self.close()
        return response.status

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of the server: its process and its workers, summed."""
    total = 0.0
    for proc in [pid, *children(pid)]:
        for line in Path(f"/proc/{proc}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time (user, system) used so far by the server and its workers."""
    user = system = 0
    for proc in [pid, *children(pid)]:
        fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
        user, system = user + int(fields[11]), system + int(fields[12])
    tick = os.sysconf("SC_CLK_TCK")
    return user / tick, system / tick


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *children(int(child))]
    return found


def serve(db: Path, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "unweave",
            "serve",
            "--db",
            f"sqlite:///{db}",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
    )


def stop(server: subprocess.Popen[bytes]) -> None:
    workers = children(server.pid)
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:  # never leave a server, or its workers, running
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.kill()
        server.wait()


def run(args: argparse.Namespace, db: Path, token: str, threads: int) -> None:
    """One measured run: a server of ``threads`` threads a process, the clients, the figures."""
    server = serve(db, args.port, args.workers, threads)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        for _ in range(200):
            try:
                if Client(args.port, headers).get("/api/me") == 200:
                    break
            except OSError:
                time.sleep(0.2)
        times: dict[str, list[float]] = {
            k: [] for k in ("search-name", "search-phone", "search-surname", "entity")
        }
        errors: list[str] = []
        lock = threading.Lock()

        def client(seed: int) -> None:
            rng = random.Random(seed)
            conn = Client(args.port, headers)
            for _ in range(args.requests):
                kind, path = queries(rng, args.entities)
                t = time.perf_counter()  # from sending the request to its whole answer read
                try:
                    status = str(conn.get(path))
                except (http.client.HTTPException, OSError) as exc:  # counted; it goes on
                    status = type(exc).__name__
                elapsed = time.perf_counter() - t
                with lock:
                    times[kind].append(elapsed * 1000)
                    if status != "200":
                        errors.append(f"{status} {path}")
            conn.close()

        warm = Client(args.port, headers)
        for seed in range(10):
            warm.get(queries(random.Random(seed), args.entities)[1])
        warm.close()
        started = time.perf_counter()
        server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
        clients = [threading.Thread(target=client, args=(s,)) for s in range(args.clients)]
        for t in clients:
            t.start()
        for t in clients:
            t.join()
        wall = time.perf_counter() - started
        user, system = (b - a for a, b in zip(server_cpu, cpu_seconds(server.pid), strict=True))
        client_cpu = time.process_time() - client_cpu
        peak = peak_rss_mb(server.pid)
    finally:
        stop(server)
    total = sum(len(v) for v in times.values())
    print(f"server: {args.workers} workers x {threads} threads ({time.strftime('%H:%M:%S')})")
    print(f"{args.entities:,} entities, {args.clients} concurrent clients, {total} requests "
          f"in {wall:.1f} s ({total / wall:.1f} requests/s), {len(errors)} errors")  # fmt: skip
    searches = [v for k, vs in times.items() if k.startswith("search") for v in vs]
    typical = times["search-name"] + times["search-phone"]
    for kind, values in [*times.items(), ("search (all)", searches),
                         ("search (name, phone)", typical)]:  # fmt: skip
        if len(values) < 2:
            continue
        q = statistics.quantiles(values, n=100)
        print(f"{kind:20} n={len(values):4}  p50 {q[49]:7.1f} ms  p95 {q[94]:7.1f} ms  "
              f"max {max(values):7.1f} ms")  # fmt: skip
    print(f"server peak memory (VmHWM): {peak:.0f} MB")
    load = os.getloadavg()[0]
    print(f"CPU per request: server {(user + system) / total * 1000:.1f} ms (user "
          f"{user / total * 1000:.1f}, system {system / total * 1000:.1f}), clients "
          f"{client_cpu / total * 1000:.1f} ms; load average {load:.2f}")  # fmt: skip
    if errors:
        print("errors:", errors[:5])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=60, help="per client")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--workers", type=int, default=2, help="server processes (the cores)")
    parser.add_argument(
        "--threads",
        default=str(THREADS),
        help="threads per server process; several (4,8) are measured in turn, --repeat times",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each --threads")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"store-{args.entities}.db"
    print(f"# web benchmark, {time.strftime('%Y-%m-%d')}, {machine()}")
    token = build(db, args.entities)
    for _ in range(args.repeat):
        for threads in (int(t) for t in args.threads.split(",")):
            run(args, db, token, threads)


if __name__ == "__main__":
    main()
