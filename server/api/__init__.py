"""Every /api/v1 blueprint, registered from one list."""
from server.api import (auth, communities, content_checks, me, memberships, notifications, phone,
                        wechat_callbacks)

BLUEPRINTS = [auth.blp, me.blp, communities.blp, memberships.blp, notifications.blp,
              content_checks.blp, phone.blp, wechat_callbacks.blp]
from server.api import cycles, eligibility, scores  # noqa: E402 (issues 6, 17: evaluation)

BLUEPRINTS += [scores.blp, eligibility.blp, cycles.blp]
from server.api import rectifications, reports, uploads  # noqa: E402 (issue 5: reports)

BLUEPRINTS += [reports.blp, uploads.blp, rectifications.blp]
from server.api import surveys  # noqa: E402 (issue 4: satisfaction surveys)

BLUEPRINTS += [surveys.blp]
from server.api import holidays, staff_notices  # noqa: E402 (issue 10: holidays as data)

BLUEPRINTS += [holidays.blp, staff_notices.blp]
from server.api import health, outbox, staff  # noqa: E402 (issues 19, 21)

BLUEPRINTS += [staff.blp, health.blp, outbox.blp]
from server.api import inspections, open311, open311_keys  # noqa: E402 (issue 14)

BLUEPRINTS += [open311_keys.blp, inspections.blp]
# Plain Flask blueprints outside /api/v1 (their own formats, not in the OpenAPI document).
FLASK_BLUEPRINTS = [open311.bp]
# Registered only when DEV_LOGIN is on, so the route does not exist otherwise.
DEV_BLUEPRINTS = [auth.dev_blp]


def init_app(app, api):
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    for blueprint in FLASK_BLUEPRINTS:
        app.register_blueprint(blueprint)
    if app.config["DEV_LOGIN"]:
        for blueprint in DEV_BLUEPRINTS:
            api.register_blueprint(blueprint)
