"""A believable Shanghai demo: two districts, streets of two kinds, ten communities with
buildings and a household register, and staff at every level. Idempotent: run it twice and
nothing is duplicated. Names are real places; the compounds and people are invented."""
from werkzeug.security import generate_password_hash

from server.extensions import db
from server.models import Household, Staff
from server.services import access, org
from server.services.reports import demo as reports_demo
from server.services.scoring import demo as scoring_demo
from server.services.surveys import demo as surveys_demo

DEMO_PASSWORD = "demo-pass-2026"

# district code, name -> streets: code, name, kind -> residential areas: code, name ->
# communities: code, name, address, buildings, units per building, floors, rooms per floor
TREE = [
    ("XH", "徐汇区", [
        ("XH-TP", "天平路街道", "街道", [
            ("XH-TP-R01", "建业里居民区", [
                ("XH-TP-001", "建业里", "建国西路440弄", 6, 2, 3, 2),
                ("XH-TP-002", "永嘉新村", "永嘉路580弄", 8, 2, 5, 2),
            ]),
            ("XH-TP-R02", "高安路居民区", [
                ("XH-TP-003", "高安公寓", "高安路18号", 3, 2, 6, 2),
            ]),
        ]),
        ("XH-HJ", "华泾镇", "乡镇", [
            ("XH-HJ-R01", "华泾绿苑居民区", [
                ("XH-HJ-001", "华泾绿苑", "龙吴路2388弄", 10, 2, 6, 2),
                ("XH-HJ-002", "华发小区", "华发路100弄", 6, 2, 6, 2),
            ]),
        ]),
    ]),
    ("JA", "静安区", [
        ("JA-CJ", "曹家渡街道", "街道", [
            ("JA-CJ-R01", "长寿新村居民区", [
                ("JA-CJ-001", "长寿新村", "长寿路650弄", 7, 2, 5, 2),
                ("JA-CJ-002", "三和花园", "武宁南路488弄", 4, 2, 8, 2),
            ]),
        ]),
        ("JA-SMX", "市北高新技术服务业园区", "园区", [
            ("JA-SMX-R01", "共和新路居民区", [
                ("JA-SMX-001", "共和家园", "共和新路3088弄", 5, 2, 6, 2),
            ]),
        ]),
        ("JA-PP", "彭浦镇", "乡镇", [
            ("JA-PP-R01", "彭浦新村居民区", [
                ("JA-PP-001", "彭浦新村第三小区", "临汾路380弄", 9, 2, 5, 2),
                ("JA-PP-002", "平顺苑", "平顺路200弄", 4, 2, 6, 2),
            ]),
        ]),
    ]),
]

# username, display name, role, scope code
STAFF = [
    ("city-admin", "市文明办 王主任", "city", "SH"),
    ("xh-district", "徐汇区文明办 李老师", "district", "XH"),
    ("ja-district", "静安区文明办 赵老师", "district", "JA"),
    ("xh-tp-street", "天平路街道 陈科长", "street", "XH-TP"),
    ("xh-hj-street", "华泾镇 周科长", "street", "XH-HJ"),
    ("ja-cj-street", "曹家渡街道 吴科长", "street", "JA-CJ"),
    ("xh-tp-r01", "建业里居委会 张书记", "committee", "XH-TP-R01"),
    ("xh-tp-r02", "高安路居委会 刘主任", "committee", "XH-TP-R02"),
    ("xh-hj-r01", "华泾绿苑居委会 孙主任", "committee", "XH-HJ-R01"),
    ("ja-cj-r01", "长寿新村居委会 马书记", "committee", "JA-CJ-R01"),
]


def seed():
    city = org.ensure_unit("SH", "上海市", "city")
    for d_code, d_name, streets in TREE:
        district = org.ensure_unit(d_code, d_name, "district", city)
        for s_code, s_name, kind, areas in streets:
            street = org.ensure_unit(s_code, s_name, "street", district, kind=kind)
            for r_code, r_name, communities in areas:
                area = org.ensure_unit(r_code, r_name, "residential_area", street)
                for spec in communities:
                    _seed_community(area, *spec)
    accounts = [_seed_staff(*spec) for spec in STAFF]
    db.session.flush()
    scoring_demo.seed()  # the evaluation: framework, cycle, stages (issue 6)
    reports_demo.seed_reports()  # report categories and a few reports (issue 5)
    surveys_demo.seed_survey()  # the city-wide survey template, published (issue 4)
    return accounts


def _seed_community(area, code, name, address, n_buildings, units, floors, per_floor):
    buildings = [f"{n}号楼" for n in range(1, n_buildings + 1)]
    rooms = [(str(b), str(u), f"{f}{r:02d}") for b in range(1, n_buildings + 1)
             for u in range(1, units + 1) for f in range(1, floors + 1)
             for r in range(1, per_floor + 1)]
    community = org.ensure_community(code, name, area, address, len(rooms), buildings)
    if not db.session.execute(db.select(Household.id).filter_by(
            community_id=community.id).limit(1)).first():
        db.session.add_all(Household(community_id=community.id, building=b, unit=u, room=r)
                           for b, u, r in rooms)


def _seed_staff(username, display_name, role, scope_code):
    staff = db.session.execute(db.select(Staff).filter_by(username=username)).scalar_one_or_none()
    if staff is None:
        db.session.add(Staff(username=username, display_name=display_name, role=role,
                             scope_unit=access.unit_by_code(scope_code),
                             password_hash=generate_password_hash(DEMO_PASSWORD)))
    return username, DEMO_PASSWORD, role, scope_code
