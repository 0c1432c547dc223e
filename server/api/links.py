"""OpenAPI links: how an answer's ids feed the next call (create a report, then read it, act on
it, support it; create a survey, then publish it, answer it, export it...).

They tell a reader of the document (and schemathesis' stateful run, tests/api/test_fuzz.py)
which operations follow which. flask-smorest 0.47 has no `links` argument on responses, so an
apispec plugin adds them as each path is registered; LINKS names operations by path and method
and a test (tests/api/test_openapi.py) checks every link points at a real operation.
"""
from apispec import BasePlugin

API = "/api/v1"


def ref(path, method):
    """A JSON pointer to an operation of this document (its operations have no operationId)."""
    escaped = (API + path).replace("~", "~0").replace("/", "~1")
    return f"#/paths/{escaped}/{method}"


def _to(path, method, description, parameters=None, body=None):
    link = {"operationRef": ref(path, method), "description": description}
    if parameters:
        link["parameters"] = parameters
    if body:
        link["requestBody"] = body
    return link


REPORT = {"report_id": "$response.body#/id"}
SURVEY = {"survey_id": "$response.body#/id"}
MEMBERSHIP = {"membership_id": "$response.body#/id"}
ORDER = {"order_id": "$response.body#/id"}
PHOTO = {"photo_id": "$response.body#/id"}
CYCLE = {"cycle_id": "$response.body#/id"}
VETO_EVENT = {"community_id": "$response.body#/community_id", "event_id": "$response.body#/id"}
FIRST_ITEM = "$response.body#/items/0/id"

_REPORT_FLOW = {
    "GetReport": _to("/reports/{report_id}", "get", "读取该问题", REPORT),
    "ActOnReport": _to("/reports/{report_id}/actions", "post", "工作人员处理该问题", REPORT),
    "RateReport": _to("/reports/{report_id}/rating", "post", "报告人评价办理结果", REPORT),
    "SupportReport": _to("/reports/{report_id}/support", "post", "其他居民“我也遇到”", REPORT),
}
_SURVEY_FLOW = {
    "GetSurvey": _to("/surveys/{survey_id}", "get", "读取问卷（居民得到 answer_token）", SURVEY),
    "EditSurvey": _to("/surveys/{survey_id}", "patch", "修改草稿", SURVEY),
    "PublishSurvey": _to("/surveys/{survey_id}/publish", "post", "发布问卷", SURVEY),
    "CloseSurvey": _to("/surveys/{survey_id}/close", "post", "结束问卷", SURVEY),
    "RespondToSurvey": _to("/surveys/{survey_id}/responses", "post", "提交答卷", SURVEY),
    "SurveyResults": _to("/surveys/{survey_id}/results", "get", "查看结果", SURVEY),
    "ExportSurvey": _to("/surveys/{survey_id}/exports", "post", "导出答卷", SURVEY),
}
_MEMBERSHIP_FLOW = {
    "GetMembership": _to("/memberships/{membership_id}", "get", "读取申请", MEMBERSHIP),
    "ApproveMembership": _to("/memberships/{membership_id}/approve", "post", "居委会通过申请",
                             MEMBERSHIP),
    "RejectMembership": _to("/memberships/{membership_id}/reject", "post", "居委会驳回申请",
                            MEMBERSHIP),
    "RevokeMembership": _to("/memberships/{membership_id}/revoke", "post", "居委会撤销认证",
                            MEMBERSHIP),
}
_ORDER_FLOW = {
    "GetRectification": _to("/rectifications/{order_id}", "get", "读取整改单", ORDER),
    "ActOnRectification": _to("/rectifications/{order_id}/actions", "post", "处理整改单", ORDER),
}

# (path, method, status) -> {link name: link}
LINKS = {
    ("/reports/categories", "get", "200"): {
        "ReportInCategory": _to("/reports", "post", "在该分类下提交问题（图片另见 ReportWithPhoto）",
                                body={"category_id": FIRST_ITEM, "photo_ids": []}),
        "ReportsInCategory": _to("/reports", "get", "该分类下的问题", {"category_id": FIRST_ITEM}),
    },
    ("/reports", "post", "201"): _REPORT_FLOW,
    ("/reports/{report_id}/actions", "post", "200"): _REPORT_FLOW,
    ("/reports", "get", "200"): {
        "GetListedReport": _to("/reports/{report_id}", "get", "读取列表中的问题",
                               {"report_id": FIRST_ITEM}),
        "ActOnListedReport": _to("/reports/{report_id}/actions", "post", "处理列表中的问题",
                                 {"report_id": FIRST_ITEM}),
        "SupportListedReport": _to("/reports/{report_id}/support", "post",
                                   "对列表中的问题“我也遇到”", {"report_id": FIRST_ITEM}),
    },
    ("/uploads", "post", "201"): {
        "ReportWithPhoto": _to("/reports", "post", "提交附带该图片的问题",
                               body={"photo_ids": ["$response.body#/id"]}),
        "ResolveWithPhoto": _to("/reports/{report_id}/actions", "post", "办结时附上该图片",
                                body={"photo_ids": ["$response.body#/id"]}),
        "HidePhoto": _to("/uploads/{photo_id}/hide", "post", "工作人员隐藏该图片", PHOTO),
    },
    ("/communities", "get", "200"): {
        "GetCommunity": _to("/communities/{community_id}", "get", "读取社区",
                            {"community_id": FIRST_ITEM}),
        "ApplyToCommunity": _to("/memberships", "post", "申请成为该社区居民",
                                body={"community_id": FIRST_ITEM}),
        "SurveyForCommunity": _to("/surveys", "post", "面向该社区发布问卷",
                                  body={"community_ids": [FIRST_ITEM]}),
        "RectificationForCommunity": _to("/rectifications", "post", "向该社区下整改单",
                                         body={"community_id": FIRST_ITEM}),
    },
    ("/surveys", "post", "201"): _SURVEY_FLOW,
    ("/surveys/{survey_id}/publish", "post", "200"): _SURVEY_FLOW,
    ("/surveys", "get", "200"): {
        "GetListedSurvey": _to("/surveys/{survey_id}", "get", "读取列表中的问卷",
                               {"survey_id": FIRST_ITEM}),
    },
    ("/surveys/{survey_id}", "get", "200"): {
        "AnswerSurvey": _to("/surveys/{survey_id}/responses", "post", "用读取时的 answer_token 答卷",
                            SURVEY, body={"answer_token": "$response.body#/answer_token"}),
    },
    ("/surveys/{survey_id}/exports", "post", "202"): {
        "GetExport": _to("/surveys/{survey_id}/exports/{export_id}", "get", "查询导出进度",
                         {"survey_id": "$response.body#/survey_id",
                          "export_id": "$response.body#/id"}),
        "DownloadExport": _to("/surveys/{survey_id}/exports/{export_id}/file", "get", "下载导出文件",
                              {"survey_id": "$response.body#/survey_id",
                               "export_id": "$response.body#/id"}),
    },
    ("/memberships", "post", "201"): _MEMBERSHIP_FLOW,
    ("/memberships", "get", "200"): {
        name.replace("Membership", "ListedMembership"): {**link, "parameters": {
            "membership_id": FIRST_ITEM}}
        for name, link in _MEMBERSHIP_FLOW.items()
    },
    ("/rectifications", "post", "201"): _ORDER_FLOW,
    ("/communities/{community_id}/veto-events", "post", "201"): {
        name: _to("/communities/{community_id}/veto-events/{event_id}" + tail, method, words,
                  VETO_EVENT)
        for name, tail, method, words in [("EditVetoEvent", "", "patch", "更正否决事项"),
                                          ("WithdrawVetoEvent", "/withdraw", "post", "撤回否决事项")]
    },
    ("/cycles", "post", "201"): {
        "SetQuotas": _to("/cycles/{cycle_id}/quotas", "put", "设定名额", CYCLE),
        "CycleCandidates": _to("/cycles/{cycle_id}/candidates", "get", "候选社区", CYCLE),
    },
    ("/volunteers", "post", "201"): {
        "ApproveVolunteer": _to("/volunteers/{volunteer_id}/approve", "post", "通过志愿督查员申请",
                                {"volunteer_id": "$response.body#/id"}),
        "RejectVolunteer": _to("/volunteers/{volunteer_id}/reject", "post", "驳回志愿督查员申请",
                               {"volunteer_id": "$response.body#/id"}),
    },
    ("/inspections", "post", "201"): {
        "GetInspection": _to("/inspections/{inspection_id}", "get", "读取实地督查",
                             {"inspection_id": "$response.body#/id"}),
        "GradeInspectionItem": _to("/inspections/{inspection_id}/items/{item_id}", "put", "评定一项",
                                   {"inspection_id": "$response.body#/id",
                                    "item_id": "$response.body#/items/0/id"}),
        "SubmitInspection": _to("/inspections/{inspection_id}/submit", "post", "提交实地督查",
                                {"inspection_id": "$response.body#/id"}),
    },
    ("/open311/keys", "post", "201"): {
        "RevokePartnerKey": _to("/open311/keys/{partner_id}/revoke", "post", "吊销合作方密钥",
                                {"partner_id": "$response.body#/id"}),
    },
    ("/notifications", "get", "200"): {
        "ReadNotification": _to("/notifications/{notification_id}/read", "post", "标为已读",
                                {"notification_id": FIRST_ITEM}),
    },
}


class LinksPlugin(BasePlugin):
    """Adds LINKS to the responses of the operations they start from."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for (link_path, method, status), links in LINKS.items():
            if API + link_path != path or method not in (operations or {}):
                continue
            responses = operations[method].setdefault("responses", {})
            # Keys are still ints or strings here, as each decorator wrote them.
            key = next((code for code in responses if str(code) == status), status)
            responses.setdefault(key, {}).setdefault("links", {}).update(links)
