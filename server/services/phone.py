"""The phone number a resident chooses to share (getuserphonenumber), kept only with consent."""
import logging

from server import wechat
from server.errors import APIError, Invalid, ServiceUnavailable
from server.extensions import db
from server.models import ResidentPhone
from server.models.base import utcnow
from server.services import wechat_health

log = logging.getLogger(__name__)


def share(actor, code, consent):
    """Exchange the phone button's code for the number and store it. Without consent nothing
    is asked of WeChat and nothing is stored."""
    if consent is not True:
        raise Invalid("请先同意保存手机号", slug="consent_required",
                      details={"fields": {"consent": ["须为 true"]}})
    try:
        info = wechat.gateway().get_phone_number(code)
    except wechat.WeChatMisconfigured as exc:
        raise wechat_health.misconfigured(exc) from exc
    except wechat.WeChatRejected as exc:
        raise APIError("手机号授权凭证无效或已过期，请重新授权", slug="wechat_code_invalid",
                       status=422, details={"errcode": exc.errcode}) from exc
    except wechat.WeChatUnavailable as exc:
        log.warning("getuserphonenumber failed: %s", exc)
        raise ServiceUnavailable("暂时无法连接微信，请稍后再试", slug="wechat_unavailable") from exc
    record = current(actor) or ResidentPhone(resident_id=actor.resident.id)
    record.phone = info["purePhoneNumber"]
    record.country_code = str(info.get("countryCode") or "86")
    record.consented_at = utcnow()
    db.session.add(record)
    db.session.commit()
    return record


def current(actor):
    return db.session.execute(db.select(ResidentPhone).filter_by(
        resident_id=actor.resident.id)).scalar_one_or_none()


def forget(actor):
    """Withdraw consent: the number is deleted, not just hidden."""
    record = current(actor)
    if record is not None:
        db.session.delete(record)
        db.session.commit()


def masked(phone):
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"
