"""Report categories are data: server/data/report_categories.json, loaded by code. Loading is
idempotent (an existing code is updated, never duplicated), so the city can edit the file and
run `flask seed-demo` (or call load_categories) again."""
import json
from pathlib import Path

from server.extensions import db
from server.models import ReportCategory

DATA = Path(__file__).resolve().parents[2] / "data" / "report_categories.json"
FIELDS = ("name", "area", "handler", "hint", "contact_days", "accept_days", "resolve_days",
          "public")


def load_categories(path=DATA):
    """Insert or update every category in the file; returns how many it holds. The caller
    commits."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))["categories"]
    existing = {c.code: c for c in db.session.execute(db.select(ReportCategory)).scalars()}
    for order, entry in enumerate(entries):
        category = existing.get(entry["code"]) or ReportCategory(code=entry["code"])
        for field in FIELDS:
            setattr(category, field, entry[field])
        category.emergency = bool(entry.get("emergency", False))
        category.sort_order = order
        category.active = True
        db.session.add(category)
    return len(entries)


def list_categories():
    return db.session.execute(db.select(ReportCategory).where(ReportCategory.active)
                              .order_by(ReportCategory.sort_order, ReportCategory.id)
                              ).scalars().all()
