"""Every /api/v1 blueprint, registered from one list."""
from server.api import auth, communities, me, memberships

BLUEPRINTS = [auth.blp, me.blp, communities.blp, memberships.blp]
# Registered only when DEV_LOGIN is on, so the route does not exist otherwise.
DEV_BLUEPRINTS = [auth.dev_blp]


def init_app(app, api):
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    if app.config["DEV_LOGIN"]:
        for blueprint in DEV_BLUEPRINTS:
            api.register_blueprint(blueprint)
