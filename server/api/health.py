"""Health: readiness for load balancers and operators, and WeChat's configuration."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from server.api.docs import errors
from server.errors import ServiceUnavailable
from server.schemas.health import ReadyOut
from server.services import health, wechat_health

blp = Blueprint("health", __name__, url_prefix="/api/v1/health", description="运行状态")


class HealthOut(Schema):
    status = fields.String(required=True)


@blp.route("/ready", methods=["GET"])
@blp.response(200, ReadyOut)
@errors(blp, 503)
def ready():
    """Readiness, without login: 200 when this API process can serve (PostgreSQL answers),
    with status "degraded" when Redis, workers or the outbox backlog need an operator; 503 in
    the error shape, the same figures in its details, when it cannot serve."""
    report = health.readiness()
    if report["status"] == "not_ready":
        raise ServiceUnavailable("服务暂不可用：无法连接数据库", slug="not_ready", details=report)
    return report


@blp.route("/wechat", methods=["GET"])
@blp.response(200, HealthOut)
@errors(blp, 503)
def wechat_config():
    """200 when WeChat accepts our AppID, AppSecret and address; 503 with WeChat's errcode
    (40013 AppID, 40125 AppSecret, 40164 IP whitelist) when it does not. For monitoring: it
    says only ok or which errcode, nothing secret."""
    return wechat_health.check()
