"""A committee builds a survey with a show-if question, previews it as a resident sees it, and
publishes it."""
from datetime import datetime, timedelta

from playwright.sync_api import expect

from server.extensions import db
from server.models import Community, Household, Survey, SurveyParticipation
from server.models.base import utcnow
from server.services.surveys import lifecycle
from server.services.clock import SHANGHAI
from tests.surveys_support import add_ballots


def _local(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


def _draft(page, title):
    """A new draft for 建业里, open from now for two weeks, through the form."""
    page.get_by_role("link", name="满意度问卷").click()
    page.get_by_role("link", name="新建问卷").click()
    page.get_by_label("问卷标题").fill(title)
    page.get_by_label("建业里").check()
    now = datetime.now(SHANGHAI)
    page.get_by_label("开始时间").fill(_local(now))
    page.get_by_label("截止时间").fill(_local(now + timedelta(days=14)))
    page.get_by_role("button", name="创建草稿").click()


def test_committee_builds_previews_and_publishes_a_survey_with_a_show_if_question(console):
    page = console.login("xh-tp-r01")
    _draft(page, "2026 年冬季环境满意度")
    expect(page.locator("#survey-status")).to_have_text("草稿")
    survey_id = int(page.url.rsplit("/", 1)[1])

    page.get_by_label("题型").select_option("satisfaction")
    page.get_by_label("题目", exact=True).fill("您对小区环境卫生是否满意？")
    page.get_by_label("标准领域（满意度题必填）").select_option("S4")
    page.get_by_label("测评指标（满意度题可选）").select_option("S4.Q")
    page.get_by_role("button", name="添加题目").click()
    expect(page.locator(".flash-success")).to_have_text("已添加题目")

    page.get_by_label("题型").select_option("long_text")
    page.get_by_label("题目", exact=True).fill("请说明不满意的地方")
    page.get_by_label("必答").uncheck()
    page.get_by_label("当前面的这道题").select_option(label="第 1 题：您对小区环境卫生是否满意？")
    page.locator("#condition-values").get_by_label("不满意", exact=True).check()
    page.locator("#condition-values").get_by_label("非常不满意").check()
    page.get_by_role("button", name="添加题目").click()
    expect(page.locator(".questions > li")).to_have_count(2)
    expect(page.locator(".questions .show-if")).to_have_text("仅当第 1 题答案为所选项时显示")

    page.get_by_role("link", name="以居民视角预览").click()
    conditional = page.locator("fieldset[data-key='q2']")
    expect(conditional).to_be_hidden()
    first = page.locator("fieldset[data-key='q1']")
    expect(first.get_by_role("radio")).to_have_count(6)  # five levels and 不了解
    first.get_by_label("满意", exact=True).check()
    expect(conditional).to_be_hidden()
    first.get_by_label("不满意", exact=True).check()
    expect(conditional).to_be_visible()
    console.shot("committee-survey-preview")

    page.get_by_role("link", name="← 返回编辑").click()
    page.get_by_role("button", name="发布问卷").click()
    expect(page.locator("#survey-status")).to_have_text("已发布")
    expect(page.get_by_role("button", name="发布问卷")).to_have_count(0)
    console.shot("committee-survey-published")

    survey = db.session.get(Survey, survey_id)
    assert survey.status == "published"
    assert [(q.key, q.kind, q.area_code, q.indicator_code, q.show_if) for q in survey.questions] \
        == [("q1", "satisfaction", "S4", "S4.Q", None),
            ("q2", "long_text", None, None, {"question": "q1", "in": [2, 1]})]
    db.session.remove()


def test_a_satisfaction_question_without_an_area_is_refused_with_the_services_reason(console):
    page = console.login("xh-tp-r01")
    _draft(page, "草稿")
    page.get_by_label("题型").select_option("satisfaction")
    page.get_by_label("题目", exact=True).fill("没有领域的满意度题")
    page.get_by_role("button", name="添加题目").click()
    expect(page.locator(".flash-error")).to_contain_text("满意度题必须标注标准领域（S1–S7）")
    expect(page.locator(".questions > li")).to_have_text("还没有题目")


def test_publishing_a_survey_without_questions_is_refused(console):
    page = console.login("xh-tp-r01")
    _draft(page, "空问卷")
    page.get_by_role("button", name="发布问卷").click()
    expect(page.locator(".flash-error")).to_have_text("问卷还没有题目，不能发布")
    expect(page.locator("#survey-status")).to_have_text("草稿")


def _answers_for_jianyeli():
    """Five ballots on the S4 questions and two on an S1 question of the demo's city-wide
    survey in 建业里, and three households that took part."""
    survey = db.session.execute(db.select(Survey).filter_by(status="published")).scalar_one()
    community = db.session.execute(db.select(Community).filter_by(code="XH-TP-001")).scalar_one()
    add_ballots(survey, community, {"q8": 5, "q9": 2}, count=5)
    add_ballots(survey, community, {"q1": 4}, count=2)
    homes = db.session.execute(db.select(Household).filter_by(community_id=community.id)
                               .limit(3)).scalars().all()
    db.session.add_all(SurveyParticipation(survey_id=survey.id, respondent_key=f"h{h.id}",
                                           household_id=h.id, community_id=community.id)
                       for h in homes)
    db.session.commit()
    in_scope = [c.id for c in survey.communities if c.residential_area.code == "XH-TP-R01"]
    registered = lifecycle.audience_households(in_scope)
    survey_id = survey.id
    db.session.remove()
    return survey_id, registered


def test_committee_watches_the_response_rate_and_results_with_small_cells_suppressed(console):
    survey_id, registered = _answers_for_jianyeli()
    page = console.login("xh-tp-r01")
    console.goto(f"/console/surveys/{survey_id}")
    page.get_by_role("link", name="查看结果").click()
    # Three households took part: fewer than five, so how many is not published.
    expect(page.locator("#response-rate")).to_have_text(
        f"登记 {registered} 户；参与不足 5 户，参与率暂不公布")
    expect(page.locator("#area-results tr[data-area='S4'] td").last).to_contain_text("50.0%")
    expect(page.locator("#area-results tr[data-area='S1'] td").last).to_have_text(
        "样本不足 5 户，不显示比例")
    console.shot("committee-survey-results")
