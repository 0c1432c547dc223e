"""Surveys: build one (questions of every kind, tagged S1–S7 and an indicator, with show-if
conditions), preview it as a resident sees it, publish it. Forms are validated with the API's
own schemas and the services' own question rules."""
from flask import redirect, render_template, request, url_for

from server.console.blueprint import bp
from server.console.forms import attempt, load, page_args
from server.console.session import staff_required
from server.errors import Invalid
from server.schemas.survey import SurveyIn, SurveyPatch
from server.services import org
from server.services.scoring import framework
from server.services.surveys import definitions, lifecycle, results

KINDS = {"satisfaction": "满意度（五级 + 不了解）", "single": "单选", "multiple": "多选",
         "short_text": "简答", "long_text": "详答"}
STATUSES = {"draft": "草稿", "published": "已发布", "closed": "已结束"}


def question_specs(survey):
    """The survey's questions as the dicts the service builds them from."""
    return [{"key": q.key, "kind": q.kind, "text": q.text, "required": q.required,
             "options": list(q.options or []), "area_code": q.area_code,
             "indicator_code": q.indicator_code, "show_if": q.show_if}
            for q in survey.questions]


def choices(question):
    """The answers a resident can give: the five levels and 不了解, or the options."""
    if question.kind == "satisfaction":
        return [{"value": level, "label": word} for level, word in definitions.LEVELS.items()]
    return list(question.options or [])


@bp.route("/surveys")
@staff_required("committee", "street", "district", "city")
def surveys_list(actor):
    page, per_page = page_args()
    result = lifecycle.list_for(actor, None, page, per_page)
    return render_template("console/surveys/list.html", result=result, statuses=STATUSES)


@bp.route("/surveys/new", methods=["GET", "POST"])
@staff_required("committee", "street", "district", "city")
def survey_new(actor):
    communities = org.search_communities(actor, "", 1, 200).items
    if request.method == "POST":
        with attempt("已创建问卷草稿，请添加题目") as outcome:
            data = load(SurveyIn(), {
                "title": request.form.get("title", "").strip(),
                "intro": request.form.get("intro", "").strip(),
                "community_ids": [int(i) for i in request.form.getlist("community_ids")
                                  if i.isdigit()],
                "opens_at": request.form.get("opens_at", ""),
                "closes_at": request.form.get("closes_at", ""),
                "response_unit": request.form.get("response_unit", "household"),
                "questions": []})
            survey = lifecycle.create(actor, data)
        if outcome.ok:
            return redirect(url_for("console.survey_edit", survey_id=survey.id))
    return render_template("console/surveys/new.html", communities=communities,
                           form=request.form), 422 if request.method == "POST" else 200


@bp.route("/surveys/<id:survey_id>")
@staff_required("committee", "street", "district", "city")
def survey_edit(survey_id, actor):
    survey = lifecycle.get_for(actor, survey_id)
    latest = framework.latest()
    return render_template(
        "console/surveys/edit.html", survey=survey, kinds=KINDS, statuses=STATUSES,
        areas=definitions.AREAS, indicators=latest.indicators if latest else [],
        may_manage=lifecycle.may_manage(actor.staff, survey),
        households=lifecycle.audience_households([c.id for c in survey.communities]))


def _new_question(existing):
    kind = request.form.get("kind", "")
    spec = {"kind": kind, "text": request.form.get("text", "").strip(),
            "required": request.form.get("required") == "on"}
    if kind == "satisfaction":
        spec["area_code"] = request.form.get("area_code") or None
        spec["indicator_code"] = request.form.get("indicator_code") or None
    labels = [line.strip() for line in request.form.get("options", "").splitlines()
              if line.strip()]
    if labels:
        spec["options"] = [{"value": f"o{i}", "label": label}
                           for i, label in enumerate(labels, start=1)]
    target_key = request.form.get("show_if_question")
    if target_key:
        spec["show_if"] = {"question": target_key, "in": _condition_values(existing, target_key)}
    return spec


def _condition_values(existing, target_key):
    """The ticked answers of the earlier question, typed as that question's values are."""
    target = next((q for q in existing if q["key"] == target_key), None)
    values = request.form.getlist("show_if_values")
    if target is not None and target["kind"] == "satisfaction":
        values = [int(v) for v in values if v.lstrip("-").isdigit()]
    if not values:
        raise Invalid("请勾选显示条件的答案",
                      details={"fields": {"show_if": ["请勾选引用题目的哪些答案时显示本题"]}})
    return values


@bp.route("/surveys/<id:survey_id>/questions", methods=["POST"])
@staff_required("committee", "street", "district", "city")
def survey_add_question(survey_id, actor):
    with attempt("已添加题目"):
        specs = question_specs(lifecycle.manage(actor, survey_id))
        data = load(SurveyPatch(), {"questions": specs + [_new_question(specs)]})
        lifecycle.update(actor, survey_id, data)
    return redirect(url_for("console.survey_edit", survey_id=survey_id) + "#questions")


@bp.route("/surveys/<id:survey_id>/questions/<key>/delete", methods=["POST"])
@staff_required("committee", "street", "district", "city")
def survey_delete_question(survey_id, key, actor):
    with attempt("已删除题目"):
        specs = question_specs(lifecycle.manage(actor, survey_id))
        lifecycle.update(actor, survey_id, {"questions": [q for q in specs if q["key"] != key]})
    return redirect(url_for("console.survey_edit", survey_id=survey_id) + "#questions")


@bp.route("/surveys/<id:survey_id>/preview")
@staff_required("committee", "street", "district", "city")
def survey_preview(survey_id, actor):
    survey = lifecycle.get_for(actor, survey_id)
    return render_template("console/surveys/preview.html", survey=survey, choices=choices)


@bp.route("/surveys/<id:survey_id>/publish", methods=["POST"])
@staff_required("committee", "street", "district", "city")
def survey_publish(survey_id, actor):
    with attempt("问卷已发布，居民将收到通知"):
        lifecycle.publish(actor, survey_id)
    return redirect(url_for("console.survey_edit", survey_id=survey_id))


@bp.route("/surveys/<id:survey_id>/condition-values")
@staff_required("committee", "street", "district", "city")
def survey_condition_values(survey_id, actor):
    """The answers of the chosen earlier question, as checkboxes (an htmx fragment)."""
    survey = lifecycle.get_for(actor, survey_id)
    key = request.args.get("show_if_question", "")
    question = next((q for q in survey.questions if q.key == key), None)
    return render_template("console/surveys/_condition_values.html",
                           options=choices(question) if question else [])


@bp.route("/surveys/<id:survey_id>/results")
@staff_required("committee", "street", "district", "city")
def survey_results(survey_id, actor):
    """Live results of the communities in the caller's scope: the response rate against the
    household register, and 满意率 per area and question with small cells suppressed."""
    survey = lifecycle.get_for(actor, survey_id)
    return render_template("console/surveys/results.html", survey=survey,
                           results=results.results_for(actor, survey_id))
