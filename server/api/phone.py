from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.errors import NotFound
from server.schemas.wechat import PhoneIn, PhoneOut
from server.services import phone

blp = Blueprint("phone", __name__, url_prefix="/api/v1/me/phone",
                description="居民自愿提供的手机号（需本人同意）")


def _out(record):
    return {"phone": phone.masked(record.phone), "country_code": record.country_code,
            "consented_at": record.consented_at}


@blp.route("", methods=["POST"])
@blp.arguments(PhoneIn)
@blp.response(200, PhoneOut)
@authenticated(blp, 400, 403, 415, 422, 503)
@requires("resident")
def share(body, actor):
    """Share my phone number (from the getPhoneNumber button's code); stored only when
    consent is true."""
    return _out(phone.share(actor, body["code"], body["consent"]))


@blp.route("", methods=["GET"])
@blp.response(200, PhoneOut)
@authenticated(blp, 403, 404)
@requires("resident")
def get_phone(actor):
    """The number I shared, masked."""
    record = phone.current(actor)
    if record is None:
        raise NotFound("尚未提供手机号", slug="phone_not_shared")
    return _out(record)


@blp.route("", methods=["DELETE"])
@blp.response(204)
@authenticated(blp, 403)
@requires("resident")
def forget(actor):
    """Withdraw consent: the number is deleted."""
    phone.forget(actor)
