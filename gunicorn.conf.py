"""Production gunicorn settings (override any of them on the command line).

The app is loaded in each worker after the fork (preload_app stays False),
so no database connection is ever shared between processes.
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
preload_app = False
timeout = 30
# Close each connection after its response. Behind the reverse proxy on the same machine a new
# connection costs microseconds, and it lets whichever worker is free take the next request: a
# kept-alive connection stays with the worker that accepted it however busy that worker is, so
# under load one worker queued requests while the other idled (measured in bench/REPORT.md).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
graceful_timeout = 20
# Recycle a worker now and then to bound memory, but rarely: a restart costs about a second of
# CPU (imports, first template compiles) and stalls that worker's requests meanwhile.
max_requests = 20000
max_requests_jitter = 2000
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# The access log line has no query string, so search terms never reach the log.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
