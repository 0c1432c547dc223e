"""flask seed-demo publishes the city-wide template for every demo community, once."""
from server.models import Community, Survey
from server.services.surveys import definitions


def test_seed_demo_publishes_the_city_template_once(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    survey = db.session.execute(db.select(Survey)).scalar_one()
    assert survey.template_code == definitions.DEFAULT_TEMPLATE_CODE
    assert survey.status == "published"
    assert {q.area_code for q in survey.questions if q.kind == "satisfaction"} == set(
        definitions.AREAS)
    communities = db.session.execute(db.select(db.func.count(Community.id))).scalar_one()
    assert len(survey.communities) == communities
