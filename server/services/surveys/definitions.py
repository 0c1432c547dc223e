"""Satisfaction levels, the versioned definition of 满意率, and the city-wide template.

A survey keeps the definition version it was created with, and every result shows it, so a
change of definition never silently changes an old survey's numbers.
"""
from dataclasses import dataclass

# Level codes as answers carry them. 不了解 (0) is an answer, but not a valid one: it counts
# neither in the denominator of 满意率 nor in the mean.
LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意", 0: "不了解"}
UNKNOWN = 0
VALID_LEVELS = (5, 4, 3, 2, 1)
# The mean on a 0–100 scale: the five valid levels equally spaced, 非常不满意 = 0, 非常满意 = 100.
SCORE = {5: 100, 4: 75, 3: 50, 2: 25, 1: 0}

AREAS = {
    "S1": "社会主义精神文明建设扎实有力",
    "S2": "法治环境公平正义",
    "S3": "人文环境健康向上",
    "S4": "生活环境和谐宜居",
    "S5": "社会环境安全稳定",
    "S6": "生态环境有利于可持续发展",
    "S7": "创建工作机制常态、长效",
}


@dataclass(frozen=True)
class Definition:
    version: str
    satisfied_levels: tuple
    text: str


DEFINITIONS = {
    "SH-2021-v1": Definition(
        "SH-2021-v1", (5, 4, 3),
        "满意率 =（非常满意 + 满意 + 基本满意）÷ 有效回答数；“不了解”不计入有效回答。"
        "均值按 非常满意=100、满意=75、基本满意=50、不满意=25、非常不满意=0 计算；"
        "区间为 95% Wilson 置信区间。"),
}
CURRENT_DEFINITION = "SH-2021-v1"


def definition(version):
    return DEFINITIONS[version]


# --- the city-wide default template ------------------------------------------------------

DEFAULT_TEMPLATE_CODE = "SH-CITY-2026"
DEFAULT_TEMPLATE_TITLE = "文明小区创建居民满意度调查（全市通用）"
DEFAULT_TEMPLATE_INTRO = ("为了解您对本小区文明创建工作的评价，请根据实际感受作答。"
                          "问卷匿名，您的回答不会与您的身份关联。约需 3 分钟。")


def _sat(key, area, text, indicator=None, required=True, show_if=None):
    return {"key": key, "kind": "satisfaction", "text": text, "area_code": area,
            "indicator_code": indicator, "required": required, "show_if": show_if}


# Two questions per standard area (第六条), one conditional question, and open comments.
# Indicator codes are illustrative until the city office loads its framework.
DEFAULT_TEMPLATE_QUESTIONS = [
    _sat("q1", "S1", "您对小区开展理论宣讲、政策宣传的情况是否满意？", "S1-Q-1"),
    {"key": "q2", "kind": "single", "text": "过去一年，您是否参加过小区组织的文明实践活动？",
     "required": True, "options": [{"value": "yes", "label": "参加过"},
                                    {"value": "no", "label": "没有参加过"}]},
    _sat("q3", "S1", "您对参加过的文明实践活动是否满意？", "S1-Q-2",
         show_if={"question": "q2", "in": ["yes"]}),
    _sat("q4", "S2", "您对小区开展法治宣传教育的情况是否满意？", "S2-Q-1"),
    _sat("q5", "S2", "您对居民参与小区事务议事协商（如听证会、协调会）的情况是否满意？", "S2-Q-2"),
    _sat("q6", "S3", "您对小区的科普宣传活动是否满意？", "S3-Q-1"),
    _sat("q7", "S3", "您对小区的文化体育活动是否满意？", "S3-Q-2"),
    _sat("q8", "S4", "您对小区环境卫生、公共秩序是否满意？", "S4-Q-1"),
    _sat("q9", "S4", "您对小区为老、助残、帮困等便民服务是否满意？", "S4-Q-2"),
    _sat("q10", "S5", "您对小区治安状况和消防通道畅通情况是否满意？", "S5-Q-1"),
    _sat("q11", "S5", "您对小区安全隐患排查和防灾减灾工作是否满意？", "S5-Q-2"),
    _sat("q12", "S6", "您对小区绿化养护情况是否满意？", "S6-Q-1"),
    _sat("q13", "S6", "您对小区垃圾分类工作是否满意？", "S6-Q-2"),
    _sat("q14", "S7", "您对居委会（两委班子）的创建工作是否满意？", "S7-Q-1"),
    _sat("q15", "S7", "您对物业、业委会等各方共同参与创建的情况是否满意？", "S7-Q-2"),
    {"key": "q16", "kind": "multiple", "text": "您最希望小区在哪些方面改进？（可多选）",
     "required": False, "options": [
         {"value": "clean", "label": "环境卫生"}, {"value": "green", "label": "绿化"},
         {"value": "parking", "label": "停车秩序"}, {"value": "safety", "label": "安全消防"},
         {"value": "service", "label": "便民服务"}, {"value": "culture", "label": "文化活动"}]},
    {"key": "q17", "kind": "long_text", "text": "您对小区文明创建还有什么意见和建议？",
     "required": False},
]
