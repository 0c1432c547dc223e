"""Running jobs in tests: a real RQ worker, in burst mode, against the test Redis."""
from rq import SimpleWorker

from server import queues
from server.extensions import db
from server.models import Membership
from tests.builders import make_member, make_staff


def work(app=None):
    """Run every queued job (and the jobs those enqueue) until the queues are empty. Jobs run
    in this process, in the current app, each with a database session of its own."""
    broker = queues.broker(app)
    SimpleWorker(broker.queues(), connection=broker.connection).work(burst=True)
    db.session.expire_all()


def pending_membership(org, openid="applicant-1"):
    resident = make_member(org.community, openid=openid, building="2号楼", unit="1",
                           room="301", status="pending")
    return db.session.execute(db.select(Membership).filter_by(
        resident_id=resident.id)).scalar_one()


def committee_api(api, org):
    return api.as_staff(make_staff("committee", "XH-TP-R01"))
