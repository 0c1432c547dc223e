"""Demo reports for `flask seed-demo`: the categories from the data file and a handful of
reports at different stages in 建业里 (XH-TP-001). Idempotent: reports are added only when the
demo reporter has none."""
from datetime import timedelta

from server.extensions import db
from server.models import Community, Membership, Report, ReportCategory, Resident
from server.models.base import utcnow
from server.services import households
from server.services.reports import categories, sla

# category code, building, description, public, status, days ago
REPORTS = [
    ("clutter", "2号楼", "2号楼3单元楼道堆放旧家具和纸箱，影响通行。", True, "submitted", 0),
    ("fire_lane", "5号楼", "5号楼东侧消防通道常年停放私家车。", True, "in_progress", 3),
    ("lighting", "1号楼", "1号楼门口路灯不亮已一周，晚上很黑。", True, "resolved", 6),
    ("waste_sorting", "4号楼", "4号楼垃圾箱房湿垃圾桶满溢，异味大。", True, "closed", 12),
    ("noise", "3号楼", "3号楼302装修每天晚上九点后仍在施工。", False, "accepted", 1),
]


def seed_reports():
    categories.load_categories()
    db.session.flush()
    community = db.session.execute(db.select(Community).filter_by(code="XH-TP-001")
                                   ).scalar_one_or_none()
    if community is None:
        return 0
    reporter = _demo_reporter(community)
    if db.session.execute(db.select(Report.id).filter_by(reporter_id=reporter.id)).first():
        return 0
    by_code = {c.code: c for c in db.session.execute(db.select(ReportCategory)).scalars()}
    now = utcnow()
    for code, building, text, public, status, days_ago in REPORTS:
        created = now - timedelta(days=days_ago)
        report = Report(community=community, category=by_code[code], reporter=reporter,
                        description=text, building=building,
                        building_key=households.normalise("building", building),
                        is_public=public and by_code[code].public, status=status,
                        created_at=created, updated_at=created)
        sla.set_deadlines(report, created)
        if status != "submitted":
            report.decided_at = report.accepted_at = created + timedelta(hours=3)
        if status in ("in_progress", "resolved", "closed"):
            report.contacted_at = created + timedelta(hours=5)
            report.handler_kind, report.handler_name = "property", "物业 王师傅"
        if status in ("resolved", "closed"):
            report.resolved_at = created + timedelta(days=2)
            report.reply = "已安排维修/清理，请查看办结照片。"
        if status == "closed":
            report.closed_at, report.close_reason, report.fixed = now, "confirmed", True
            report.rating, report.rated_at = "satisfied", now
        db.session.add(report)
    return len(REPORTS)


def _demo_reporter(community):
    resident = db.session.execute(db.select(Resident).filter_by(openid="demo-reporter-1")
                                  ).scalar_one_or_none()
    if resident is None:
        resident = Resident(openid="demo-reporter-1", nickname="演示居民")
        db.session.add(resident)
        db.session.add(Membership(resident=resident, community=community, building="2",
                                  unit="1", room="101", status="approved"))
        db.session.flush()
    return resident
