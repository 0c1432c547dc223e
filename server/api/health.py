"""Health checks that are not the reliability readiness endpoint: WeChat's configuration."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from server.api.docs import errors
from server.services import wechat_health

blp = Blueprint("health", __name__, url_prefix="/api/v1/health", description="健康检查")


class HealthOut(Schema):
    status = fields.String(required=True)


@blp.route("/wechat", methods=["GET"])
@blp.response(200, HealthOut)
@errors(blp, 503)
def wechat_config():
    """200 when WeChat accepts our AppID, AppSecret and address; 503 with WeChat's errcode
    (40013 AppID, 40125 AppSecret, 40164 IP whitelist) when it does not. For monitoring: it
    says only ok or which errcode, nothing secret."""
    return wechat_health.check()
