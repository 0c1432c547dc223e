from flask_smorest import Blueprint

from server.api.docs import errors
from server.errors import ServiceUnavailable
from server.schemas.health import ReadyOut
from server.services import health

blp = Blueprint("health", __name__, url_prefix="/api/v1/health", description="运行状态")


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
