"""Instructions per request for each main page, counted by valgrind's callgrind.

    python -m bench.instructions                 # large program, 10 requests a page
    python -m bench.instructions --requests 20 --size small

The wrk figures of bench/run.py move with whatever else the machine is doing; an instruction count
does not: the same code, data and Python give the same count on every run (within a fraction of a
percent), so two versions of the code can be compared on a busy machine, one after the other. It
counts everything a request does in-process (routing, session, queries, SQLite, templates), without
gunicorn and the network. Needs valgrind (Debian package `valgrind`); about five minutes a run.

The pages run in one process under callgrind. Between pages the process calls binascii.crc_hqx,
which nothing else here calls, and callgrind starts a new profile part there (`--dump-before`), so
each part holds one page's requests. That needs a Python whose symbols callgrind can read (pyenv's
builds, for one).
"""
import argparse
import binascii
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import BARE_ROUTES, ROOT, bench_ids, ensure_data, in_process_app, log, pages

MARKER = "binascii_crc_hqx"  # the C function behind binascii.crc_hqx
WARM_UP = 3


def measure(database_url, requests, names_file):
    """Runs inside callgrind: signs in, warms every page up, then marks and runs each page."""
    app, clients = in_process_app(database_url)
    plan = BARE_ROUTES + pages(bench_ids(database_url))
    for _name, persona, path in plan:
        for _ in range(WARM_UP):
            clients[persona].get(path)
    for _name, persona, path in plan:
        client = clients[persona]
        binascii.crc_hqx(b"mark", 0)
        for _ in range(requests):
            client.get(path)
    binascii.crc_hqx(b"mark", 0)
    Path(names_file).write_text("\n".join(name for name, _persona, _path in plan))
    app.extensions["database"].close_all()


def part_totals(directory):
    """Instructions of each profile part, in the order callgrind wrote them."""
    totals = {}
    for path in Path(directory).glob("callgrind.out.*.*"):
        number = int(path.name.rsplit(".", 1)[1])
        match = re.search(r"^(?:summary|totals): (\d+)", path.read_text(errors="replace"), re.MULTILINE)
        if match:
            totals[number] = int(match.group(1))
    return [totals[number] for number in sorted(totals)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=("small", "large"), default="large")
    parser.add_argument("--requests", type=int, default=10, help="requests counted per page")
    parser.add_argument("--inside", nargs=2, metavar=("DATABASE_URL", "NAMES_FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        measure(args.inside[0], args.requests, args.inside[1])
        return
    ensure_data(args.size)
    database_url = f"sqlite:///{ROOT / 'bench' / 'data' / f'{args.size}.run.sqlite3'}"
    with tempfile.TemporaryDirectory(prefix="tandem-callgrind-") as directory:
        names_file = os.path.join(directory, "pages.txt")
        log(f"counting instructions under callgrind ({args.size} program, {args.requests} requests a page)")
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--dump-before={MARKER}",
             f"--callgrind-out-file={directory}/callgrind.out.%p", sys.executable, "-m", "bench.instructions",
             "--requests", str(args.requests), "--inside", database_url, names_file],
            cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"}, check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        names = Path(names_file).read_text().split("\n")
        # Part 1 is everything before the first mark; part k + 1 is page k.
        totals = part_totals(directory)[1:1 + len(names)]
    if len(totals) != len(names):
        sys.exit("callgrind did not split the run at the marks: it needs a Python whose symbols it can read")
    print("| page | instructions/request (millions) |\n|---|---|")
    for name, total in zip(names, totals):
        print(f"| {name} | {total / args.requests / 1e6:.2f} |")


if __name__ == "__main__":
    main()
