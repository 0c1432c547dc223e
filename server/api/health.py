from flask_smorest import Blueprint

from server.schemas.health import ReadyOut
from server.services import health

blp = Blueprint("health", __name__, url_prefix="/api/v1/health", description="运行状态")


@blp.route("/ready", methods=["GET"])
@blp.response(200, ReadyOut)
@blp.alt_response(503, schema=ReadyOut, description="数据库不可用，本实例暂不能提供服务")
def ready():
    """Readiness, without login: 200 when this API process can serve (PostgreSQL answers),
    "degraded" when Redis, workers or the outbox backlog need an operator; 503 otherwise."""
    report = health.readiness()
    return report, 503 if report["status"] == "not_ready" else 200
