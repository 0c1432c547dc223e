"""The read ceiling: a bare Flask app that returns a small JSON document, no database, no
Redis. Served by the same gunicorn config as the API:

    gunicorn -c config/gunicorn.conf.py "bench.bare_app:create_app()"
"""
from flask import Flask


def create_app():
    app = Flask(__name__)

    @app.get("/")
    def status():
        return {"community": {"id": 1, "name": "建业里"}, "title": {"held": False},
                "score": {"satisfaction": 91.5, "supervision": 88.0}}

    return app
