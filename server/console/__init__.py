"""The staff console: server-rendered pages under /console for committees, streets, districts
and the city office. Views call services only (never server/api), with the same scope rules:
a foreign object is a 404 page. See docs/console.md."""
from server.console import views  # noqa: F401 (registers the routes on the blueprint)
from server.console.blueprint import bp


def init_app(app):
    # The console authenticates with Flask's signed session cookie (it carries our own
    # AuthSession token, so logout and deactivation revoke it like an API token).
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = app.config.get("APP_ENV") == "production"
    app.register_blueprint(bp)
