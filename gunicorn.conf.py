"""gunicorn's settings for the tracker (README, "Production"): ``gunicorn -c gunicorn.conf.py ssk_tracker.wsgi``.

Each can be set from the environment; a flag on the command line wins over this file. Sync workers: nginx in
front buffers slow clients (an officer's upload over a mobile connection) and sends gunicorn whole requests,
so a worker is never held by a slow connection; the load test (``manage.py load_test``) runs with this file.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages are CPU work in Python: about one worker per core, plus one to cover a worker waiting on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
# A worker that has not answered in this many seconds is killed and replaced (the slowest pages, the
# national exports, take a few seconds; reports are built by the Celery worker, not here).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Workers are replaced after about this many requests (jitter: not all at once), so no slow growth of a
# worker's memory lasts; each keeps its database connection between requests (DATABASE_CONN_MAX_AGE).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The proxy's address, whose X-Forwarded-* headers gunicorn believes (nginx on the same machine).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# nginx writes the access log; gunicorn's own messages (worker starts, timeouts) go to standard error.
errorlog = "-"
