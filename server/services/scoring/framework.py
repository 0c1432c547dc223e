"""The evaluation system as data: reading a framework file, checking it, loading it, and the
arithmetic of its rules.

File format (YAML or JSON; see server/data/framework-illustrative.yaml):

    version: "2021-illustrative-1"        unique; a new version replaces, never edits
    name: ...
    illustrative: true                    shown next to every score computed with it
    notice: ...
    areas:
      S1:                                 S1..S7 (第六条)
        - code: S1.1
          name: ...
          weight: 5                       all weights of a version sum to exactly 100
          method: material_review         questionnaire | supervision | field_inspection |
                                          material_review
          basis: area                     questionnaire: indicator (default) | area;
                                          supervision: on_time | fixed | satisfaction
          rule: {type: grades, grades: [{grade: A, factor: 1.0}, ...]}   entered indicators;
                computed ones give each band a `min` (percent)
             or {type: linear, low: 60, high: 95}                        0 points at low,
                                                                         full weight at high
          min_sample: 30                  optional; default: +-10 points at 95% confidence
"""
import json
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import yaml

from server.errors import Conflict, Invalid
from server.extensions import db
from server.models import Framework, Indicator
from server.models.base import utcnow
from server.models.scoring import (AREAS, COMPUTED_METHODS, METHODS, QUESTIONNAIRE_BASES,
                                   SUPERVISION_METRICS)

TOTAL = Decimal("100")
CENT = Decimal("0.01")
# Sample size for a proportion: z = 1.96 (95%), p = 0.5 (the worst case), margin 0.10.
_N0 = Decimal("1.96") ** 2 * Decimal("0.25") / Decimal("0.01")
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "framework-illustrative.yaml"


def default_min_sample(households):
    """Answers needed for +-10 points at 95% confidence in a community of `households`
    (finite population correction); an unknown register (0) is taken as a large one."""
    if not households or households <= 0:
        return math.ceil(_N0)
    n = Decimal(households) * _N0 / (Decimal(households) - 1 + _N0)
    return math.ceil(n)


def read_file(path):
    return parse(Path(path).read_text(encoding="utf-8"), str(path))


def parse(text, filename):
    """The document in a framework file's text: JSON when the name ends in .json, else YAML."""
    try:
        if filename.lower().endswith(".json"):
            return json.loads(text)
        return yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise Invalid("测评体系文件无法解析", slug="invalid_framework",
                      details={"reasons": [{"code": "unparseable", "message": str(exc)[:300]}]}
                      ) from None


def list_versions():
    """Every loaded version, newest first (the first is the one new cycles use)."""
    return db.session.execute(db.select(Framework).order_by(
        Framework.loaded_at.desc(), Framework.id.desc())).scalars().all()


def check(data):
    """Every problem of a framework document at once; an empty list means it can be loaded."""
    reasons = []

    def bad(code, where, message):
        reasons.append({"code": code, "where": where, "message": message})

    if not isinstance(data, dict):
        bad("not_a_mapping", "", "文件内容必须是一个对象（version, name, areas）")
        return reasons, []
    for key in ("version", "name"):
        if not isinstance(data.get(key), str) or not data[key].strip() or len(data[key]) > 40 * (
                1 if key == "version" else 2.5):
            bad("missing_" + key, key, f"缺少或过长的 {key}")
    areas = data.get("areas")
    if not isinstance(areas, dict) or not areas:
        bad("missing_areas", "areas", "缺少 areas（S1–S7 下的指标）")
        return reasons, []
    indicators, codes, total = [], set(), Decimal(0)
    for area, items in areas.items():
        if area not in AREAS:
            bad("unknown_area", f"areas.{area}", f"未知的标准领域 {area}，应为 S1–S7")
            continue
        if not isinstance(items, list) or not items:
            bad("empty_area", f"areas.{area}", f"{area} 下没有指标")
            continue
        for i, item in enumerate(items):
            where = f"areas.{area}[{i}]"
            parsed = _check_indicator(item, where, bad)
            if parsed is None:
                continue
            if parsed["code"] in codes:
                bad("duplicate_code", where, f"指标代码 {parsed['code']} 重复")
            codes.add(parsed["code"])
            parsed["area"] = area
            total += parsed["weight"]
            indicators.append(parsed)
    if indicators and total != TOTAL:
        bad("weights_not_100", "areas", f"各指标分值之和为 {total}，应为 100")
    return reasons, indicators


def _check_indicator(item, where, bad):
    if not isinstance(item, dict):
        bad("not_a_mapping", where, "指标必须是一个对象")
        return None
    code, name = item.get("code"), item.get("name")
    ok = True
    if not isinstance(code, str) or not 0 < len(code) <= 20:
        bad("missing_code", where, "缺少指标代码（最长 20 字）")
        ok = False
    if not isinstance(name, str) or not 0 < len(name) <= 200:
        bad("missing_name", where, "缺少指标名称（最长 200 字）")
        ok = False
    weight = _decimal(item.get("weight"))
    if weight is None or weight <= 0 or weight != weight.quantize(CENT):
        bad("bad_weight", where, "分值必须是大于 0、最多两位小数的数")
        ok = False
    method = item.get("method")
    if method not in METHODS:
        bad("unknown_method", where, f"未知的测评方式 {method!r}，应为 {' / '.join(METHODS)}")
        return None
    basis = item.get("basis")
    if method == "questionnaire":
        basis = basis or "indicator"
        if basis not in QUESTIONNAIRE_BASES:
            bad("bad_basis", where, "问卷指标的 basis 应为 indicator 或 area")
            ok = False
    elif method == "supervision":
        if basis not in SUPERVISION_METRICS:
            bad("bad_basis", where, "群众监督指标的 basis 应为 on_time / fixed / satisfaction")
            ok = False
    elif basis is not None:
        bad("bad_basis", where, "实地考察、材料审核指标不设 basis")
        ok = False
    rule = _check_rule(item.get("rule"), method in COMPUTED_METHODS, where, bad)
    min_sample = item.get("min_sample")
    if min_sample is not None and (not isinstance(min_sample, int) or isinstance(
            min_sample, bool) or not 1 <= min_sample <= 100000):
        bad("bad_min_sample", where, "min_sample 必须是 1 到 100000 的整数")
        ok = False
    if not ok or rule is None:
        return None
    return {"code": code, "name": name, "weight": weight, "method": method, "basis": basis,
            "rule": rule, "min_sample": min_sample}


def _check_rule(rule, computed, where, bad):
    kind = rule.get("type") if isinstance(rule, dict) else None
    if kind == "linear":
        low, high = _decimal(rule.get("low")), _decimal(rule.get("high"))
        if low is None or high is None or not Decimal(0) <= low < high <= Decimal(100):
            bad("bad_rule", where, "线性规则需要 0 ≤ low < high ≤ 100")
            return None
        return {"type": "linear", "low": float(low), "high": float(high)}
    if kind == "grades":
        grades = rule.get("grades")
        if isinstance(grades, dict):  # the short form {A: 1.0, B: 0.8}
            grades = [{"grade": g, "factor": f} for g, f in grades.items()]
        if not isinstance(grades, list) or not grades:
            bad("bad_rule", where, "等级规则需要 grades 列表")
            return None
        bands, seen = [], set()
        for band in grades:
            grade = band.get("grade") if isinstance(band, dict) else None
            factor = _decimal(band.get("factor")) if isinstance(band, dict) else None
            low = _decimal(band.get("min")) if isinstance(band, dict) else None
            if not isinstance(grade, str) or not 0 < len(grade) <= 20 or grade in seen:
                bad("bad_rule", where, "每个等级需要唯一的名称（如 A）")
                return None
            if factor is None or not Decimal(0) <= factor <= Decimal(1):
                bad("bad_rule", where, f"等级 {grade} 的系数必须在 0 到 1 之间")
                return None
            if computed and (low is None or not Decimal(0) <= low <= Decimal(100)):
                bad("bad_rule", where, f"自动计算的指标，等级 {grade} 需要 0–100 的 min")
                return None
            seen.add(grade)
            entry = {"grade": grade, "factor": float(factor)}
            if low is not None:
                entry["min"] = float(low)
            bands.append(entry)
        return {"type": "grades", "grades": bands}
    bad("bad_rule", where, "评分规则 type 应为 grades 或 linear")
    return None


def _decimal(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def load(data, actor="cli"):
    """Check and store a framework version. An unused version of the same name is replaced;
    a version already used for a score is refused (it can only be replaced by a new one)."""
    from server.services import audit

    reasons, indicators = check(data)
    if reasons:
        raise Invalid("测评体系文件有误", slug="invalid_framework", details={"reasons": reasons})
    version = data["version"].strip()
    framework = db.session.execute(
        db.select(Framework).filter_by(version=version)).scalar_one_or_none()
    if framework is not None and framework.locked_at is not None:
        raise Conflict(f"测评体系 {version} 已用于评分，不能修改；请以新的版本号导入",
                       slug="framework_locked",
                       details={"reasons": [{"code": "framework_locked", "version": version,
                                             "message": "已用于评分的版本只能被新版本替代"}]})
    if framework is None:
        framework = Framework(version=version)
        db.session.add(framework)
    else:
        framework.indicators.clear()
        db.session.flush()
    framework.name = data["name"].strip()
    framework.illustrative = bool(data.get("illustrative", False))
    framework.notice = str(data.get("notice", ""))[:500]
    framework.source = json.loads(json.dumps(data, default=str))
    framework.loaded_at = utcnow()
    for position, spec in enumerate(indicators):
        framework.indicators.append(Indicator(position=position, **spec))
    db.session.flush()
    audit.record(actor, "framework.load", framework, None,
                 {"version": version, "indicators": len(indicators)})
    return framework


def load_file(path, actor="cli"):
    return load(read_file(path), actor)


def ensure_default():
    """The shipped illustrative framework, loaded once (seed-demo)."""
    data = read_file(DEFAULT_FILE)
    existing = db.session.execute(
        db.select(Framework).filter_by(version=data["version"])).scalar_one_or_none()
    return existing or load(data)


def latest():
    return db.session.execute(
        db.select(Framework).order_by(Framework.loaded_at.desc(), Framework.id.desc())
        .limit(1)).scalar_one_or_none()


def for_cycle(cycle):
    return cycle.framework if cycle.framework_id else latest()


# --- the arithmetic of rules -------------------------------------------------------------

def points(weight, factor):
    """Exact: weight x factor, never rounded here (compute.display rounds once, for people)."""
    return Decimal(str(weight)) * Decimal(str(factor))


def factor_for_grade(rule, grade):
    """The factor of an entered grade; None when the grade is not one of the rule's bands."""
    for band in rule["grades"]:
        if band["grade"] == grade:
            return Decimal(str(band["factor"]))
    return None


def factor_for_value(rule, value):
    """The factor of a measured percentage (computed indicators, or an entered linear value)."""
    value = Decimal(str(value))
    if rule["type"] == "linear":
        low, high = Decimal(str(rule["low"])), Decimal(str(rule["high"]))
        return min(max((value - low) / (high - low), Decimal(0)), Decimal(1))
    reached = [b for b in rule["grades"] if Decimal(str(b["min"])) <= value]
    if not reached:
        return Decimal(0)
    return Decimal(str(max(reached, key=lambda b: b["min"])["factor"]))


def grade_for_value(rule, value):
    if rule["type"] != "grades":
        return None
    value = Decimal(str(value))
    reached = [b for b in rule["grades"] if Decimal(str(b["min"])) <= value]
    return max(reached, key=lambda b: b["min"])["grade"] if reached else None


def check_entry_value(indicator, raw):
    """An entered value must fit the rule: a grade of its bands, or a number in 0..100.
    Returns the value as stored (text), or raises with the reason."""
    rule = indicator.rule
    if rule["type"] == "grades":
        if not isinstance(raw, str) or factor_for_grade(rule, raw) is None:
            allowed = " / ".join(b["grade"] for b in rule["grades"])
            raise Invalid("等级不在该指标的评分档次内", slug="grade_outside_bands", details={
                "reasons": [{"code": "grade_outside_bands", "indicator": indicator.code,
                             "given": str(raw)[:20], "allowed": allowed,
                             "message": f"{indicator.code} 的等级只能是 {allowed}"}]})
        return raw
    number = _decimal(raw) if not isinstance(raw, str) else None
    if number is None or not Decimal(0) <= number <= Decimal(100):
        raise Invalid("该指标需要 0–100 之间的数值", slug="value_outside_band", details={
            "reasons": [{"code": "value_outside_band", "indicator": indicator.code,
                         "given": str(raw)[:20], "message": f"{indicator.code} 需要 0–100 的数值"}]})
    return str(number.quantize(CENT, ROUND_HALF_UP))


def entered_factor(rule, stored):
    if stored is None:
        return None
    if rule["type"] == "grades":
        return factor_for_grade(rule, stored)
    return factor_for_value(rule, stored)
