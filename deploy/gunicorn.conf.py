"""gunicorn for Safer Options (docs/deploy.md), started as
`gunicorn -c deploy/gunicorn.conf.py saferoptions.wsgi`.

The application server listens on loopback only; the TLS reverse proxy (deploy/nginx.conf) is
the one thing people and partner systems reach.
"""

import os

bind = os.environ.get("SAFEROPTIONS_BIND", "127.0.0.1:8000")
# Two cores: two synchronous workers keep one core for the background worker and PostgreSQL.
workers = int(os.environ.get("SAFEROPTIONS_WEB_WORKERS", "2"))
threads = int(os.environ.get("SAFEROPTIONS_WEB_THREADS", "1"))
timeout = int(os.environ.get("SAFEROPTIONS_WEB_TIMEOUT", "60"))
# On restart, requests in flight get this long to finish before their worker is stopped.
graceful_timeout = 30
# A worker is replaced after this many requests, so a slow leak never grows without end.
max_requests = 2000
max_requests_jitter = 200
# No access log here: gunicorn's would carry each address with its query string (a search for
# a child's name). The application logs each request by route name instead (web/metrics.py).
accesslog = None
errorlog = "-"
# The proxy on this machine is the only one trusted to say the request came over HTTPS.
forwarded_allow_ips = "127.0.0.1"


def child_exit(server, worker):
    """Tell the shared metrics folder a worker has gone (docs/deploy.md, metrics)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess  # noqa: PLC0415 only with shared metrics

        multiprocess.mark_process_dead(worker.pid)
