"""The app served over real HTTP for tests that drive it with a real client (the console's
browser, an Open311 client): a werkzeug server in a thread on a free port of 127.0.0.1, on the
suite's test database. Import the fixture where it is used:
`from tests.live_server import live_server  # noqa: F401 (fixture)`."""
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server


@contextmanager
def serving(app):
    """Serve `app` until the block ends; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@pytest.fixture
def live_server(app):
    with serving(app) as url:
        yield url
