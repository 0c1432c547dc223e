"""The articles of the 2021 measures (上海市文明小区创建管理办法) that decide who may apply, who
is selected and who is named, so that every reason the product gives names its article.
Labels are the regulation's own words (../shared/seed/)."""

ARTICLES = {
    "10": ("第十条", "新申报参与上海市文明小区创建的小区，应达到三年的创建期，"
                   "并在申报前十二个月内未出现一票否决情形"),
    "10.1": ("第十条（一）", "所属居民区两委班子成员严重违纪或违法犯罪"),
    "10.2": ("第十条（二）", "发生重大刑事案件"),
    "10.3": ("第十条（三）", "发生重大群体性事件或重大舆情事件"),
    "10.4": ("第十条（四）", "发生影响恶劣的“黄赌毒”及涉黑涉恶案件，发生邪教、非法宗教活动"
                        "或与精神文明建设要求极不相符的其他事件"),
    "10.5": ("第十条（五）", "发生重大聚集性传染病事件以及其他影响公共安全的事件"),
    "11.1": ("第十一条（一）", "社区自评：所在街道、乡镇等依据测评体系进行自评，自评分95分以上的，"
                          "于新一轮创建周期第一年向所在区提交正式创建申请"),
    "11.2": ("第十一条（二）", "区级申报：按照市精神文明办下发名额，择优申报创建名单"),
    "11.3": ("第十一条（三）", "市级考核：在三年创建周期的第二年末组织测评，按照既定名额，"
                          "以测评成绩为主要依据，择优确定初步候选名单"),
    "11.4": ("第十一条（四）", "意见征询：就初步候选名单征询市级职能部门意见"),
    "11.5": ("第十一条（五）", "正式命名：汇总测评及意见征询结果，提出正式候选名单，"
                          "报请市文明委审议通过后正式命名"),
    "12": ("第十二条", "创建周期为三年；已获称号的小区须在新一轮创建周期第一年提出复查申请，"
                     "复查通过的保留称号，未通过的须在下一创建周期重新申创"),
}

# 第十条's veto events, each under its own item.
VETO_ARTICLE = {
    "committee_misconduct": "10.1",
    "major_crime": "10.2",
    "mass_incident": "10.3",
    "vice_or_cult": "10.4",
    "public_safety": "10.5",
}
VETO_KINDS = {kind: ARTICLES[key][1] for kind, key in VETO_ARTICLE.items()}


def reason(code, article, message, **extra):
    """One reason of an answer: what, under which article, and its dates (`since`: the day
    the reason took hold; `eligible_from`: the first day it no longer holds, when one exists)."""
    ref, text = ARTICLES[article]
    out = {"code": code, "article": ref, "article_text": text, "message": message}
    out.update({k: (v.isoformat() if hasattr(v, "isoformat") else v)
                for k, v in extra.items() if v is not None})
    return out
