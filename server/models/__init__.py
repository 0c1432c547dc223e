"""All models, imported here so Alembic and the app see one complete metadata."""
from server.models.audit import AuditLog
from server.models.org import Building, Community, Household, OrgUnit
from server.models.people import AuthSession, Membership, Resident, Staff

__all__ = ["AuditLog", "AuthSession", "Building", "Community", "Household", "Membership",
           "OrgUnit", "Resident", "Staff"]
