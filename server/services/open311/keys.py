"""API keys of partner systems. A key is 32 random bytes (URL-safe); only its sha256 is kept,
so a leaked database does not leak working keys. The city office issues and revokes them."""
import hashlib
import secrets

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import PartnerSystem
from server.models.base import utcnow
from server.services import audit
from server.services.pagination import paginate


def _hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def issue(name, actor="cli"):
    """A new partner system and its key; returns (partner, key). The key is never stored and
    cannot be shown again. The caller commits."""
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise Invalid("合作系统名称应为 1–60 个字符",
                      details={"fields": {"name": ["合作系统名称应为 1–60 个字符"]}})
    if db.session.execute(db.select(PartnerSystem.id).filter_by(name=name)).first():
        raise Conflict(f"合作系统“{name}”已有密钥", slug="partner_exists")
    key = secrets.token_urlsafe(32)
    partner = PartnerSystem(name=name, key_hash=_hash(key), key_prefix=key[:8],
                            issued_by_id=None if isinstance(actor, str) else actor.staff.id)
    db.session.add(partner)
    db.session.flush()
    audit.record(actor, "open311.issue_key", partner, None,
                 {"name": name, "key_prefix": partner.key_prefix})
    return partner, key


def revoke(actor, partner_id):
    partner = db.session.get(PartnerSystem, partner_id)
    if partner is None:
        raise NotFound("未找到该合作系统", slug="partner_not_found")
    if partner.revoked_at is None:
        partner.revoked_at = utcnow()
        audit.record(actor, "open311.revoke_key", partner, None, {"name": partner.name})
    db.session.commit()
    return partner


def list_partners(page, per_page):
    return paginate(db.select(PartnerSystem).order_by(PartnerSystem.id), page, per_page)


def authenticate(key):
    """The active partner system holding `key`; Forbidden (the spec's 403) otherwise."""
    if not key:
        raise Forbidden("缺少 api_key：提交问题需要市文明办发放的密钥", slug="api_key_missing")
    partner = db.session.execute(db.select(PartnerSystem).filter_by(
        key_hash=_hash(key))).scalar_one_or_none()
    if partner is None or partner.revoked_at is not None:
        raise Forbidden("api_key 无效或已停用", slug="api_key_invalid")
    return partner


def partner_or_none(key):
    """For reads, where a key is optional: the partner, None without a key, 403 for a bad
    key (a typo should not silently turn into the public view)."""
    return authenticate(key) if key else None
