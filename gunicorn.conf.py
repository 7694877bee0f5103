"""Production gunicorn settings (override any of them on the command line).

The app is loaded in each worker after the fork (preload_app stays False),
so no database connection is ever shared between processes.

Synchronous workers, one per core: every request is a few milliseconds of
Python, so threads in a worker only take turns on one interpreter lock. A
sync worker takes the next request only when it is free, so the workers
share the load evenly and requests are served in order; under load this
halved the 95th-percentile latency against 4 threads per worker
(bench/REPORT.md). Sync workers need a reverse proxy that buffers requests,
so a slow phone upload never holds a worker: nginx does by default, Caddy
with `request_buffers` (README.md).
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"
preload_app = False
timeout = 30
graceful_timeout = 20
# Recycle a worker now and then to bound memory, but rarely: a restart costs about a second of
# CPU (imports, first template compiles) and stalls that worker's requests meanwhile. Every cache a
# worker keeps is bounded, so its memory levels off (76 MB after half a million requests,
# bench/REPORT.md). At 20,000 requests a busy worker restarted every 20 seconds on a fast machine,
# and at 200,000 still within a benchmark, each time a stall felt in the slowest requests.
max_requests = 1000000
max_requests_jitter = 100000
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# The access log line has no query string, so search terms never reach the log.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
