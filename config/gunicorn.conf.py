"""gunicorn settings for the API: `gunicorn -c config/gunicorn.conf.py "server:create_app()"`."""
import multiprocessing
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
# The API is I/O bound (database, Redis, WeChat): a few threads per process go further than
# many processes on a small machine.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = 30
graceful_timeout = 30
keepalive = 5
# Behind a load balancer that terminates HTTPS and sets X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# The path without its query string (%(U)s, not the request line %(r)s): query strings carry
# WeChat's push signatures and the tokens of signed photo links, which a log must not keep.
# The referer is left out for the same reason.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(L)s'
errorlog = "-"
# Load the app in each worker, after fork: database pools and Redis clients are never shared.
preload_app = False
