"""Tandem's benchmark: a large program, measured like a user feels it.

    make bench            # everything, writes bench/results/report-<time>.md and prints it
    python -m bench.run --quick   # shorter wrk runs, no Lighthouse (for trying things out)
    python -m bench.instructions  # instructions per request, counted by callgrind (needs valgrind)

See bench/README.md for what is measured and how to read the report.
"""
import argparse
import contextlib
import datetime
import gzip
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"
RESULTS = BENCH / "results"
sys.path.insert(0, str(ROOT))

from bench.generate import BENCH_PASSWORD, generate  # noqa: E402

PYTHON_BIN = Path(sys.executable).parent
SECRET = "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
SIZES = {"small": 0.1, "large": 1.0}
CONNECTIONS = 16

TARGETS = {
    "ratio": 0.5,
    "p95_ms": 30.0,
    "growth": 1.25,
    "queries": 8,
    "first_load_kb": 40.0,
    "fragment_kb": 4.0,
    "lighthouse": {"performance": 98, "accessibility": 100, "best-practices": 100},
    "memory_mb": 80.0,
}


# --------------------------------------------------------------------------- helpers


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Session:
    """A signed-in browser: cookie jar, CSRF token, no automatic redirects."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.csrf = ""

    def request(self, path, data=None, headers=None, timeout=30):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def get(self, path, **kw):
        status, headers, body = self.request(path, **kw)
        match = re.search(rb'name="csrf-token" content="([^"]+)"', body)
        if match:
            self.csrf = match.group(1).decode()
        return status, headers, body

    def post(self, path, data, headers=None):
        headers = dict(headers or {})
        headers.setdefault("X-CSRFToken", self.csrf)
        return self.request(path, data=data, headers=headers)

    def login(self, email, password=BENCH_PASSWORD):
        self.get("/login")
        status, headers, _ = self.post("/login", {"email": email, "password": password, "csrf_token": self.csrf})
        if status != 303:
            raise RuntimeError(f"login as {email} failed with {status}")
        self.get("/home")
        return self

    @property
    def cookie(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


@contextlib.contextmanager
def gunicorn(database_url, workers=2, extra_env=None):
    """The production configuration from README.md: gunicorn.conf.py, TANDEM_ENV=production."""
    port = free_port()
    env = dict(os.environ)
    env.update({
        "TANDEM_ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": database_url,
        "BASE_URL": f"http://127.0.0.1:{port}", "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers), "TANDEM_BENCH_BARE_ROUTE": "1",
        "LOGIN_MAX_FAILURES": "100000",
    })
    env.update(extra_env or {})
    errors = tempfile.NamedTemporaryFile(prefix="tandem-gunicorn-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [str(PYTHON_BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null",
         "--error-logfile", errors.name, "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start; see " + errors.name)
        server = {"base": base, "pid": process.pid, "error_log": errors.name}
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def worker_memory_mb(master_pid):
    """Resident memory of each gunicorn worker (children of the master), in MB."""
    result = []
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            result.append(round(int(match.group(1)) / 1024, 1))
    return result


def wrk(url, seconds, cookie=None, headers=None, body=None):
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s",
               str(BENCH / "wrk_report.lua")]
    all_headers = dict(headers or {})
    if cookie:
        all_headers["Cookie"] = cookie
    for name, value in all_headers.items():
        command += ["-H", f"{name}: {value}"]
    env = dict(os.environ)
    if body is not None:
        env["WRK_BODY"] = body
        command += ["-H", "Content-Type: application/x-www-form-urlencoded"]
    output = subprocess.run(command + [url], capture_output=True, text=True, env=env, check=True).stdout
    line = [ln for ln in output.splitlines() if ln.startswith("{")][-1]
    return json.loads(line)


# --------------------------------------------------------------------------- what to measure


def bench_ids(database_url):
    """Ids the pages need: the bench personas, one of the mentee's goals and steps, their match."""
    from app.db import database, make_database

    db = make_database(database_url)
    database.initialize(db)
    from app.auth.models import User
    from app.goals.models import Goal, GoalStep
    from app.matches.models import Match

    with db.connection_context():
        mentee = User.get(User.email == "bench.mentee@example.org")
        mentor = User.get(User.email == "bench.mentor@example.org")
        goal = Goal.select().where((Goal.mentee == mentee) & (Goal.status == "active")).order_by(Goal.id).first()
        step = GoalStep.select().where(GoalStep.goal == goal).order_by(GoalStep.position).first()
        match = Match.get((Match.mentee == mentee) & (Match.status == "active"))
    db.close_all()
    return {"mentee": mentee.id, "mentor": mentor.id, "goal": goal.id, "step": step.id, "match": match.id}


def pages(ids):
    """(name, persona, path) of the main pages."""
    return [
        ("mentee home", "mentee", "/home"),
        ("journal list", "mentee", "/journal"),
        ("journal search", "mentee", "/journal?q=walk"),
        ("goals", "mentee", "/goals"),
        ("goal page", "mentee", f"/goals/{ids['goal']}"),
        ("meetings", "mentee", "/meetings"),
        ("mentor home", "mentor", "/home"),
        ("mentor shared entries", "mentor", "/journal/shared"),
        ("coordinator dashboard", "coordinator", "/home"),
        ("match health", "coordinator", f"/matches/{ids['match']}"),
    ]


def writes(ids):
    """(name, persona, path, body template, extra headers) of the htmx writes."""
    return [
        ("save draft", "mentee", "/journal/draft",
         "slot=new&body=Autosaved+words+{n}&mood=3", {"X-Requested-With": "fetch"}),
        ("add entry", "mentee", "/journal/entries",
         "idempotency_key={n}&body=A+new+entry+{n}&mood=4&action=save", {}),
        ("tick step", "mentee", f"/goals/{ids['goal']}/steps/{ids['step']}/toggle",
         "done={flip}", {"HX-Request": "true"}),
    ]


def fragments(ids):
    """(name, persona, path, headers) of htmx fragments whose weight is measured."""
    return [
        ("journal: load more", "mentee", "/journal?page=2", {"HX-Request": "true"}),
        ("goal steps after a tick", "mentee", f"/goals/{ids['goal']}/steps/{ids['step']}/edit", {"HX-Request": "true"}),
        ("mentor: more shared entries", "mentor", "/journal/shared?page=2", {"HX-Request": "true"}),
        ("people rows", "coordinator", "/people?role=mentee", {"HX-Request": "true"}),
    ]


PERSONA_EMAILS = {
    "mentee": "bench.mentee@example.org",
    "mentor": "bench.mentor@example.org",
    "coordinator": "bench.coordinator@example.org",
}


def query_counts(database_url, ids):
    """SQL statements per request, counted in-process with peewee's query log."""
    import logging

    from app import create_app

    counts = {}
    app = create_app({"TANDEM_ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": database_url,
                      "WTF_CSRF_ENABLED": False, "LOGIN_MAX_FAILURES": 100000,
                      "INSTANCE_PATH": tempfile.mkdtemp(prefix="tandem-bench-")})
    clients = {}
    for persona, email in PERSONA_EMAILS.items():
        client = app.test_client()
        client.post("/login", data={"email": email, "password": BENCH_PASSWORD})
        client.get("/home")
        clients[persona] = client

    class Counter(logging.Handler):
        def __init__(self):
            super().__init__(logging.DEBUG)
            self.count = 0

        def emit(self, record):
            if record.name == "peewee":  # SQL statements; "peewee.pool" only hands connections out
                self.count += 1

    logger = logging.getLogger("peewee")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # count the statements, don't print them
    for name, persona, path in pages(ids):
        clients[persona].get(path)  # warm (session touch, caches)
        counter = Counter()
        logger.addHandler(counter)
        response = clients[persona].get(path)
        logger.removeHandler(counter)
        counts[name] = (counter.count, response.status_code)
    for name, persona, path, body, headers in writes(ids):
        data = urllib.parse.parse_qs(body.replace("{n}", "q").replace("{flip}", "1"))
        counter = Counter()
        logger.addHandler(counter)
        response = clients[persona].post(path, data=data, headers=headers)
        logger.removeHandler(counter)
        counts[name] = (counter.count, response.status_code)
    logger.setLevel(logging.WARNING)
    logger.propagate = True
    app.extensions["database"].close_all()
    return counts


def page_weights(base, sessions, ids):
    """Compressed bytes (gzip -6, as a proxy would send them) of each page, its assets, and fragments."""
    weights = {}
    asset_cache = {}

    def gz(data):
        return len(gzip.compress(data, 6))

    for name, persona, path in pages(ids):
        status, _, html = sessions[persona].get(path)
        assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)
        total = gz(html)
        for asset in assets:
            asset = asset.decode()
            if asset not in asset_cache:
                _, _, body = sessions[persona].request(asset)
                asset_cache[asset] = gz(body)
            total += asset_cache[asset]
        weights[name] = {"html": gz(html), "first_load": total, "assets": len(assets)}
    fragment_weights = {}
    for name, persona, path, headers in fragments(ids):
        status, _, body = sessions[persona].request(path, headers=headers)
        fragment_weights[name] = {"bytes": gz(body), "status": status, "is_fragment": b"<html" not in body}
    return weights, fragment_weights


# --------------------------------------------------------------------------- soak


def soak(database_url, seconds, clients=50):
    """50 mentees autosave and submit at once; count 5xx, "database is locked", lost and duplicated entries."""
    from app.db import database, make_database

    outcome = {"requests": 0, "server_errors": 0, "client_errors": 0, "conflicts": 0, "acknowledged": 0,
               "double_taps": 0, "transport_errors": 0}
    acked = []
    samples = []
    lock = threading.Lock()
    with gunicorn(database_url) as server:
        base = server["base"]
        emails = [PERSONA_EMAILS["mentee"]] + [f"mentee{i:04d}@bench.example.org" for i in range(clients - 1)]
        deadline = time.time() + seconds

        def mentee(number, email):
            try:
                session = Session(base).login(email)
                session.get("/journal/new")
            except Exception as error:  # noqa: BLE001 - counted, the soak goes on
                with lock:
                    outcome["transport_errors"] += 1
                    samples.append(f"sign-in: {error!r}")
                return
            revision = 0
            count = 0
            while time.time() < deadline:
                count += 1
                nonce = f"soak-{number}-{count}-{time.time_ns()}"
                body = f"Soak entry {nonce}"
                for part in range(3):
                    status = _soak_post(session, "/journal/draft",
                                        {"slot": "new", "revision": revision, "body": body[: 10 + part * 10],
                                         "mood": 3}, {"X-Requested-With": "fetch"}, outcome, lock)
                    if status == 200:
                        revision += 1
                    elif status == 409:
                        revision = _current_revision(session)
                key = f"k-{nonce}"
                form = {"idempotency_key": key, "body": body, "mood": 4, "action": "save"}
                status = _soak_post(session, "/journal/entries", form, {}, outcome, lock)
                if status == 303:
                    with lock:
                        outcome["acknowledged"] += 1
                        acked.append((email, nonce))
                    if count % 5 == 0:  # a double tap: the same post again
                        _soak_post(session, "/journal/entries", form, {}, outcome, lock)
                        with lock:
                            outcome["double_taps"] += 1
                revision = 0

        threads = [threading.Thread(target=mentee, args=(i, e)) for i, e in enumerate(emails)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        log_text = Path(server["error_log"]).read_text(errors="replace")
    outcome["database_locked"] = log_text.lower().count("database is locked")
    outcome["error_samples"] = (samples + outcome.get("error_samples", []))[:5]
    db = make_database(database_url)
    database.initialize(db)
    from app.auth.models import User
    from app.journal.models import JournalEntry

    lost = duplicated = 0
    with db.connection_context():
        for email, nonce in acked:
            found = (JournalEntry.select().join(User, on=(JournalEntry.author == User.id))
                     .where((User.email == email) & (JournalEntry.body == f"Soak entry {nonce}")).count())
            lost += found == 0
            duplicated += found > 1
    db.close_all()
    outcome["lost"], outcome["duplicated"] = lost, duplicated
    return outcome


def _soak_post(session, path, data, headers, outcome, lock):
    try:
        status, _, _ = session.post(path, data, headers)
    except Exception as error:  # noqa: BLE001 - a dropped connection is an error the soak counts
        with lock:
            outcome["transport_errors"] += 1
            outcome.setdefault("error_samples", []).append(f"{path}: {error!r}")
        return None
    with lock:
        outcome["requests"] += 1
        if status >= 500:
            outcome["server_errors"] += 1
        elif status == 409:
            outcome["conflicts"] += 1
        elif status >= 400:
            outcome["client_errors"] += 1
    return status


def _current_revision(session):
    _, _, body = session.get("/journal/new")
    match = re.search(rb'name="revision" value="(\d+)"', body)
    return int(match.group(1)) if match else 0


def postgres_soak_url():
    """A scratch PostgreSQL database for the soak, from BENCH_POSTGRES_URL (default: the local test server)."""
    import psycopg

    base = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    parsed = urllib.parse.urlparse(base)
    name = "tandem_bench_soak"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlunparse(parsed._replace(path="/" + name))


# --------------------------------------------------------------------------- Lighthouse


def lighthouse(base, session, paths):
    cli = BENCH / "node_modules" / "lighthouse" / "cli" / "index.js"
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not cli.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BENCH, check=True)
    scores = {}
    for name, path in paths:
        out = Path(tempfile.mkdtemp(prefix="tandem-lh-")) / "report.json"
        command = [
            "node", str(cli), base + path, "--quiet", "--output=json", f"--output-path={out}",
            "--only-categories=performance,accessibility,best-practices", "--form-factor=mobile",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
            "--disable-background-networking --disable-component-update --disable-sync --no-first-run",
            "--extra-headers=" + json.dumps({"Cookie": session.cookie}),
        ]
        report = None
        for _attempt in range(2):  # a run that fails to load the page scores 0: try once more
            out.unlink(missing_ok=True)
            subprocess.run(command, env=dict(os.environ, CHROME_PATH=chrome), check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
            report = json.loads(out.read_text()) if out.exists() else None
            if report and not report.get("runtimeError") and report["categories"]["performance"]["score"]:
                break
        if report is None:
            scores[name] = None
            continue
        scores[name] = {key: round((cat["score"] or 0) * 100) for key, cat in report["categories"].items()}
        scores[name]["failing"] = sorted(
            audit_id for audit_id, audit in report["audits"].items()
            if audit.get("score") is not None and audit["score"] < 0.9
            and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings"))[:12]
    return scores


# --------------------------------------------------------------------------- report


def verdict(ok):
    return "met" if ok else "**not met**"


def page_bare_ratio(page, bare):
    """The median over the rounds of page req/s against the bare route measured right after it (older
    results without the pairing: against the bare route's own median)."""
    return page.get("ratio", page["rps"] / bare["rps"])


def render_report(results, started, args):
    lines = ["# Tandem benchmark report", "",
             f"Run {started:%Y-%m-%d %H:%M} UTC on {platform.node()}: {os.cpu_count()} cores, "
             f"{_memory_total()}, {platform.platform()}, Python {platform.python_version()}.", "",
             f"Load: wrk, {CONNECTIONS} connections, {args.rounds} rounds of {args.seconds} s per endpoint and size, "
             "the sizes served side by side and measured in turns, each figure the median of its rounds; page/bare compares each page "
             "with the bare route measured right after it in the same round; gunicorn with gunicorn.conf.py "
             "(2 synchronous workers), TANDEM_ENV=production, SQLite. CPU ms/request is measured in-process "
             "(median of 60 requests); Python calls/request (function calls inside the app, counted with cProfile) "
             "is the same on every run and machine, the figure to compare changes by when the clock is disturbed.", ""]
    sizes = [s for s in SIZES if s in results]
    lines += ["## Data sizes", "", "| table | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]
    tables = sorted({t for s in sizes for t in results[s].get("counts", {})})
    for table in tables:
        lines.append(f"| {table} | " + " | ".join(str(results[s].get("counts", {}).get(table, "")) for s in sizes) + " |")
    lines.append("")
    for size in sizes:
        r = results[size]
        bare = r["bare"]
        lines += [f"## Pages at the {size} size", "",
                  f"Bare route (tiny template, no database): {bare['rps']:.0f} requests/s, p95 {bare['p95']:.1f} ms, "
                  f"{r.get('cpu_ms', {}).get('bare', '?')} ms CPU and {r.get('python_calls', {}).get('bare', '?')} "
                  "Python calls per request.", ""]
        signed_in = r.get("bare_signed_in")
        if signed_in:
            lines += [f"For reference, the bare route signed in (the mentee's session cookie: session and person lookup, "
                      f"no page content): {signed_in['rps']:.0f} requests/s, p95 {signed_in['p95']:.1f} ms, "
                      f"{r.get('cpu_ms', {}).get('bare signed in', '?')} ms CPU and "
                      f"{r.get('python_calls', {}).get('bare signed in', '?')} Python calls per request.", ""]
        lines += ["| page | req/s | page/bare | p50 ms | p95 ms | p99 ms | CPU ms/request | Python calls/request | queries "
                  "| first load KB (gzip) | errors |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for name, m in r["pages"].items():
            queries = r["queries"].get(name, ("?", ""))[0]
            weight = r["weights"].get(name, {}).get("first_load", 0) / 1024
            cpu = r.get("cpu_ms", {}).get(name, "?")
            calls = r.get("python_calls", {}).get(name, "?")
            lines.append(f"| {name} | {m['rps']:.0f} | {page_bare_ratio(m, bare):.2f} | {m['p50']:.1f} | {m['p95']:.1f} | "
                         f"{m['p99']:.1f} | {cpu} | {calls} | {queries} | {weight:.1f} | {m['errors']} |")
        lines += ["", "| htmx write | req/s | p50 ms | p95 ms | p99 ms | queries | errors |", "|---|---|---|---|---|---|---|"]
        for name, m in r["writes"].items():
            queries = r["queries"].get(name, ("?", ""))[0]
            lines.append(f"| {name} | {m['rps']:.0f} | {m['p50']:.1f} | {m['p95']:.1f} | {m['p99']:.1f} | {queries} | {m['errors']} |")
        lines += ["", "| htmx fragment | bytes (gzip) | fragment only |", "|---|---|---|"]
        for name, f in r["fragments"].items():
            lines.append(f"| {name} | {f['bytes']} | {'yes' if f['is_fragment'] else 'no'} (HTTP {f['status']}) |")
        lines += ["", f"Resident memory per worker after the run: {', '.join(f'{m} MB' for m in r['memory_mb'])}.", ""]
    lines += ["## Targets", "", "| target | result | verdict |", "|---|---|---|"]
    if "large" in results:
        large, small = results["large"], results.get("small")
        worst_ratio = min((page_bare_ratio(m, large["bare"]), n) for n, m in large["pages"].items())
        lines.append(f"| page/bare throughput ≥ {TARGETS['ratio']} (large) | lowest {worst_ratio[0]:.2f} ({worst_ratio[1]}) | {verdict(worst_ratio[0] >= TARGETS['ratio'])} |")
        if large.get("bare_signed_in"):
            signed_rps = large["bare_signed_in"]["rps"]
            worst_signed = min((m["rps"] / signed_rps, n) for n, m in large["pages"].items())
            lines.append(f"| (page/signed-in bare throughput, for reference: against that route's median) | lowest "
                         f"{worst_signed[0]:.2f} ({worst_signed[1]}) | — |")
        worst_p95 = max((m["p95"], n) for n, m in large["pages"].items())
        lines.append(f"| p95 ≤ {TARGETS['p95_ms']:.0f} ms (large) | highest {worst_p95[0]:.1f} ms ({worst_p95[1]}) | {verdict(worst_p95[0] <= TARGETS['p95_ms'])} |")
        if small:
            growth = max((large["pages"][n]["p95"] / max(small["pages"][n]["p95"], 0.01), n) for n in large["pages"])
            lines.append(f"| p95 growth small → large ≤ {TARGETS['growth']}x | highest {growth[0]:.2f}x ({growth[1]}) | {verdict(growth[0] <= TARGETS['growth'])} |")
            if small.get("cpu_ms") and large.get("cpu_ms"):
                cpu_growth = max((large["cpu_ms"][n] / max(small["cpu_ms"][n], 0.01), n) for n in large["pages"])
                lines.append(f"| (CPU per request growth, for reference) | highest {cpu_growth[0]:.2f}x ({cpu_growth[1]}) | — |")
            same = all(small["queries"][n][0] == large["queries"][n][0] for n in large["queries"])
            lines.append(f"| queries the same at both sizes | {'same' if same else 'different'} | {verdict(same)} |")
        calls = large.get("python_calls")
        if calls and calls.get("bare"):
            heaviest = max((calls[n], n) for n in large["pages"] if n in calls)
            lines.append(f"| (bare/page in Python calls, for reference) | lowest {calls['bare'] / heaviest[0]:.2f} "
                         f"({heaviest[1]}, {heaviest[0]} calls against {calls['bare']}) | — |")
        most = max((q[0], n) for n, q in large["queries"].items() if n in large["pages"])
        lines.append(f"| ≤ {TARGETS['queries']} queries per page | highest {most[0]} ({most[1]}) | {verdict(most[0] <= TARGETS['queries'])} |")
        home = large["weights"]["mentee home"]["first_load"] / 1024
        lines.append(f"| mentee home first load ≤ {TARGETS['first_load_kb']:.0f} KB | {home:.1f} KB | {verdict(home <= TARGETS['first_load_kb'])} |")
        frag = max((f["bytes"] / 1024, n) for n, f in large["fragments"].items())
        lines.append(f"| htmx fragments ≤ {TARGETS['fragment_kb']:.0f} KB | largest {frag[0]:.1f} KB ({frag[1]}) | {verdict(frag[0] <= TARGETS['fragment_kb'])} |")
        memory = max(large["memory_mb"] or [0])
        lines.append(f"| ≤ {TARGETS['memory_mb']:.0f} MB per worker | {memory} MB | {verdict(memory <= TARGETS['memory_mb'])} |")
    for db_name, s in results.get("soak", {}).items():
        ok = s["server_errors"] == 0 and s["database_locked"] == 0 and s["lost"] == 0 and s["duplicated"] == 0 and s["transport_errors"] == 0
        lines.append(f"| soak on {db_name}: 0 errors, 0 lost, 0 duplicates | {s['server_errors']} 5xx, {s['transport_errors']} dropped, "
                     f"{s['database_locked']} locked, {s['lost']} lost, {s['duplicated']} duplicated | {verdict(ok)} |")
    for page, scores in results.get("lighthouse", {}).items():
        if scores is None:
            lines.append(f"| Lighthouse mobile, {page} | did not run | **not met** |")
            continue
        ok = all(scores.get(k, 0) >= v for k, v in TARGETS["lighthouse"].items())
        lines.append(f"| Lighthouse mobile ≥ 98/100/100, {page} | performance {scores.get('performance')}, accessibility "
                     f"{scores.get('accessibility')}, best practices {scores.get('best-practices')} | {verdict(ok)} |")
    if results.get("soak"):
        lines += ["", "## Concurrency soak", "", "| database | requests | acknowledged entries | double taps | 409 conflicts | 5xx | dropped | database is locked | lost | duplicated |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for db_name, s in results["soak"].items():
            lines.append(f"| {db_name} | {s['requests']} | {s['acknowledged']} | {s['double_taps']} | {s['conflicts']} | {s['server_errors']} | "
                         f"{s['transport_errors']} | {s['database_locked']} | {s['lost']} | {s['duplicated']} |")
    for db_name, s in results.get("soak", {}).items():
        for sample in s.get("error_samples", []):
            lines.append(f"- {db_name}: {sample}")
    if results.get("lighthouse"):
        lines += ["", "## Lighthouse (mobile)", "", "| page | performance | accessibility | best practices | audits below 0.9 |", "|---|---|---|---|---|"]
        for page, scores in results["lighthouse"].items():
            if scores:
                lines.append(f"| {page} | {scores.get('performance')} | {scores.get('accessibility')} | {scores.get('best-practices')} | {', '.join(scores['failing']) or '—'} |")
    lines.append("")
    return "\n".join(lines)


def _memory_total():
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        return f"{kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, AttributeError):
        return "unknown memory"


# --------------------------------------------------------------------------- main


def ensure_data(size, regenerate=False):
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"{size}.sqlite3"
    marker = DATA / f"{size}.counts.json"
    if regenerate or not path.exists() or not marker.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        log(f"generating the {size} program (scale {SIZES[size]})")
        counts = generate(f"sqlite:///{path}", SIZES[size])
        marker.write_text(json.dumps(counts))
    # Every run starts from the generated data: the write benchmarks add rows.
    work = DATA / f"{size}.run.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copy(path, work)
    # Data generated by an earlier version gets the newer migrations, with their own backfills.
    from app.cli import upgrade_database_at

    upgrade_database_at(f"sqlite:///{work}")
    return json.loads(marker.read_text())


def main():
    parser = argparse.ArgumentParser(description="Run Tandem's benchmarks and write a Markdown report.")
    parser.add_argument("--seconds", type=int, default=4, help="wrk duration of one round per endpoint")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per endpoint and size (median kept)")
    parser.add_argument("--soak-seconds", type=int, default=45)
    parser.add_argument("--quick", action="store_true", help="3 s per endpoint, short soak, no Lighthouse")
    parser.add_argument("--regenerate", action="store_true", help="generate the data sets again")
    parser.add_argument("--skip", action="append", default=[], choices=["small", "large", "soak", "lighthouse"])
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.rounds, args.soak_seconds = 2, 1, 15
        args.skip.append("lighthouse")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    started = datetime.datetime.now(datetime.timezone.utc)
    results = {}
    sizes = [size for size in SIZES if size not in args.skip]
    for size in sizes:
        results[size] = {"counts": ensure_data(size, args.regenerate)}
    if sizes:
        measure_sizes(sizes, args.seconds, args.rounds, results)
    if "soak" not in args.skip:
        results["soak"] = {}
        soak_sqlite = DATA / "soak.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(soak_sqlite) + suffix).unlink(missing_ok=True)
        generate(f"sqlite:///{soak_sqlite}", 0.025)
        log("soak on SQLite")
        results["soak"]["SQLite"] = soak(f"sqlite:///{soak_sqlite}", args.soak_seconds)
        try:
            url = postgres_soak_url()
            generate(url, 0.025)
            log("soak on PostgreSQL")
            results["soak"]["PostgreSQL"] = soak(url, args.soak_seconds)
        except Exception as error:  # noqa: BLE001 - reported, not hidden
            log(f"PostgreSQL soak skipped: {error}")
    if "lighthouse" not in args.skip:
        path = DATA / "small.run.sqlite3"
        with gunicorn(f"sqlite:///{path}") as server:
            session = Session(server["base"]).login(PERSONA_EMAILS["mentee"])
            log("Lighthouse")
            results["lighthouse"] = lighthouse(server["base"], session, [
                ("mentee home", "/home"), ("journal", "/journal"), ("goals", "/goals")])
    report = render_report(results, started, args)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"report-{started:%Y%m%d-%H%M%S}.md"
    out.write_text(report)
    (RESULTS / f"report-{started:%Y%m%d-%H%M%S}.json").write_text(json.dumps(results, indent=2, default=str))
    print(report)
    print(f"\nReport written to {out.relative_to(ROOT)}")


def median_run(runs):
    """Each figure's median over the rounds, so one round disturbed by the shared machine (a latency
    spike, a slow second) does not decide the result; errors are summed, never hidden."""
    result = {"rounds": len(runs)}
    for key in runs[0]:
        values = [run[key] for run in runs]
        if key in ("errors", "non_2xx_3xx", "requests"):
            result[key] = sum(values)
        elif all(isinstance(value, (int, float)) for value in values):
            result[key] = sorted(values)[len(values) // 2]
        else:
            result[key] = values[len(values) // 2]
    return result


BARE_ROUTES = [("bare", None, "/bench/bare"), ("bare signed in", "mentee", "/bench/bare")]


def in_process_app(database_url):
    """The app in this process with the bare route, and a signed-in test client per persona (None:
    signed out), for measuring requests without gunicorn."""
    from app import create_app

    app = create_app({"TANDEM_ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": database_url,
                      "WTF_CSRF_ENABLED": False, "LOGIN_MAX_FAILURES": 100000, "TANDEM_BENCH_BARE_ROUTE": True,
                      "INSTANCE_PATH": tempfile.mkdtemp(prefix="tandem-bench-")})
    clients = {None: app.test_client()}
    for persona, email in PERSONA_EMAILS.items():
        clients[persona] = app.test_client()
        clients[persona].post("/login", data={"email": email, "password": BENCH_PASSWORD})
    return app, clients


def cpu_per_request(database_url, ids, repeats=60):
    """Median in-process CPU milliseconds per request: steadier than wall-clock load numbers."""
    app, clients = in_process_app(database_url)
    result, calls = {}, {}
    for name, persona, path in BARE_ROUTES + pages(ids):
        client = clients[persona]
        for _ in range(5):
            client.get(path)
        samples = []
        for _ in range(repeats):
            started = time.process_time()
            client.get(path)
            samples.append((time.process_time() - started) * 1000)
        result[name] = round(sorted(samples)[len(samples) // 2], 2)
        calls[name] = python_calls(app, client, path)
    app.extensions["database"].close_all()
    return result, calls


def python_calls(app, client, path, repeats=5):
    """Python function calls per request inside the app (not the test client): the same on every
    run and every machine, so it shows what a change did even when the clock is disturbed."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    wsgi_app = app.wsgi_app

    def profiled(environ, start_response):
        profile.enable()
        try:
            body = wsgi_app(environ, start_response)
            try:
                return list(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            profile.disable()

    app.wsgi_app = profiled
    try:
        for _ in range(repeats):
            client.get(path)
    finally:
        app.wsgi_app = wsgi_app
    return pstats.Stats(profile).total_calls // repeats


def measure_sizes(sizes, seconds, rounds, results):
    """Both sizes are served at once and measured in turns (small, large, small, ...), so a noisy
    moment on the machine hits both alike; each figure is the median of the rounds."""
    urls = {size: f"sqlite:///{DATA / (size + '.run.sqlite3')}" for size in sizes}
    ids = {size: bench_ids(urls[size]) for size in sizes}
    for size in sizes:
        results[size]["ids"] = ids[size]
        log(f"{size}: counting queries and CPU time per request")
        results[size]["queries"] = query_counts(urls[size], ids[size])
        results[size]["cpu_ms"], results[size]["python_calls"] = cpu_per_request(urls[size], ids[size])
    with contextlib.ExitStack() as stack:
        servers = {size: stack.enter_context(gunicorn(urls[size])) for size in sizes}
        sessions = {size: {persona: Session(servers[size]["base"]).login(email)
                           for persona, email in PERSONA_EMAILS.items()} for size in sizes}
        for size in sizes:
            log(f"{size}: page weights")
            results[size]["weights"], results[size]["fragments"] = page_weights(
                servers[size]["base"], sessions[size], ids[size])

        def measure(label, make_call, paired_with_bare=False):
            runs = {size: [] for size in sizes}
            for size in sizes:
                make_call(size, 1)  # warm up
            for _ in range(rounds):
                for size in sizes:
                    run = make_call(size, seconds)
                    if paired_with_bare:
                        # The bare route again, right after the page: the ratio compares the two at
                        # the same moment, so a machine that speeds up or slows down during the run
                        # (a shared one does) moves both alike.
                        bare_rps = wrk(servers[size]["base"] + "/bench/bare", seconds)["rps"]
                        run["ratio"] = run["rps"] / bare_rps if bare_rps else 0.0
                    runs[size].append(run)
            log(f"{label}: " + ", ".join(f"{size} {median_run(runs[size])['rps']:.0f}/s" for size in sizes))
            return {size: median_run(runs[size]) for size in sizes}

        bare = measure("bare route", lambda size, sec: wrk(servers[size]["base"] + "/bench/bare", sec))
        # For reference only: the same route with the mentee's session cookie, which adds the session
        # and person lookup (the floor every signed-in page stands on) and nothing of a page's content.
        signed_in = measure("bare route signed in", lambda size, sec: wrk(
            servers[size]["base"] + "/bench/bare", sec, cookie=sessions[size]["mentee"].cookie))
        for size in sizes:
            results[size]["bare"] = bare[size]
            results[size]["bare_signed_in"] = signed_in[size]
            results[size]["pages"], results[size]["writes"] = {}, {}
        for index, (name, persona, _path) in enumerate(pages(ids[sizes[0]])):
            measured = measure(name, lambda size, sec, index=index: wrk(
                servers[size]["base"] + pages(ids[size])[index][2], sec, cookie=sessions[size][persona].cookie),
                paired_with_bare=True)
            for size in sizes:
                results[size]["pages"][name] = measured[size]
        for index, (name, persona, _path, body, headers) in enumerate(writes(ids[sizes[0]])):
            for size in sizes:
                sessions[size][persona].get("/journal/new")

            def call(size, sec, index=index, persona=persona, body=body, headers=headers):
                session = sessions[size][persona]
                path = writes(ids[size])[index][2]
                return wrk(servers[size]["base"] + path, sec, cookie=session.cookie,
                           headers=dict(headers, **{"X-CSRFToken": session.csrf}), body=body)

            measured = measure(name, call)
            for size in sizes:
                results[size]["writes"][name] = measured[size]
        for size in sizes:
            results[size]["memory_mb"] = worker_memory_mb(servers[size]["pid"])


if __name__ == "__main__":
    main()
