"""One level up: a street's (district's, city's) overview of every residential area under it
for one month, with the handling figures, a chart, and the same table as an XLSX file."""
import io
from datetime import date, timedelta

from flask import render_template, request, send_file
from openpyxl import Workbook

from server.console.blueprint import bp
from server.console.session import staff_required
from server.models.base import utcnow
from server.services import access, clock
from server.services.reports import figures, supervision

# The five figures the street follows, in the order it reads them.
SHOWN = ("first_contact_on_time", "resolved_on_time", "fixed_rate", "satisfaction",
         "rework_rate")


def month_bounds():
    """(first day, last day, "YYYY-MM") of the month asked for; this Shanghai month when the
    parameter is missing or malformed."""
    raw = request.args.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        first = date(year, month, 1)
    except ValueError:
        today = clock.local_date(utcnow())
        first = today.replace(day=1)
    return first, month_end(first), first.strftime("%Y-%m")


def month_end(first):
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _rows(data):
    rows = []
    for committee in data["committees"]:
        figures = committee["figures"]
        rows.append({**committee, "shown": [
            (figures[code]["name"], figures[code]["value"], figures[code]["numerator"],
             figures[code]["denominator"]) for code in SHOWN]})
    return rows


TREND_MONTHS = 6


def _month_starts(first, count):
    """The first days of `count` months ending with the month of `first`, oldest first."""
    starts = [first]
    for _ in range(count - 1):
        starts.append((starts[-1] - timedelta(days=1)).replace(day=1))
    return starts[::-1]


def trend(actor, first, code, names):
    """One figure per residential area for each of the last months (a line each)."""
    months = _month_starts(first, TREND_MONTHS)
    scope = access.community_filter(actor.staff)
    per_month = [figures.grouped(scope, start, month_end(start), "residential_area")
                 for start in months]
    return {"months": [m.strftime("%Y-%m") for m in months], "figure": figures.DEFINITIONS[code][0],
            "lines": [{"name": name, "points": [
                None if area_id not in result or result[area_id].figures[code].value is None
                else round(result[area_id].figures[code].value * 100, 1)
                for result in per_month]} for area_id, name in names.items()]}


@bp.route("/overview")
@staff_required("street", "district", "city")
def overview(actor):
    since, until, month = month_bounds()
    data = supervision.overview(actor, since, until)
    rows = _rows(data)
    code = request.args.get("trend", "resolved_on_time")
    code = code if code in SHOWN else "resolved_on_time"
    area_names = {r["residential_area"]["id"]: r["residential_area"]["name"] for r in rows}
    names = [figures.DEFINITIONS[code][0] for code in SHOWN]
    chart = {"month": month, "figures": names,
             "committees": [r["residential_area"]["name"] for r in rows],
             "series": [[None if r["shown"][i][1] is None else round(r["shown"][i][1] * 100, 1)
                         for r in rows] for i in range(len(SHOWN))]}
    definitions = [figures.DEFINITIONS[code] for code in SHOWN]
    return render_template("console/overview.html", data=data, rows=rows, month=month,
                           chart=chart, names=names, definitions=definitions,
                           trend=trend(actor, since, code, area_names), trend_code=code,
                           shown={c: figures.DEFINITIONS[c][0] for c in SHOWN})


@bp.route("/overview.xlsx")
@staff_required("street", "district", "city")
def overview_export(actor):
    since, until, month = month_bounds()
    rows = _rows(supervision.overview(actor, since, until))
    book = Workbook()
    sheet = book.active
    sheet.title = month
    names = [figures.DEFINITIONS[code][0] for code in SHOWN]
    sheet.append(["居民区", "小区数", "未结", "超期", "返工", "待批延期"] + names)
    for row in rows:
        sheet.append([row["residential_area"]["name"], row["communities"], row["open"],
                      row["overdue"], row["reworked"], row["pending_extensions"]]
                     + [value for _, value, _, _ in row["shown"]])
        for cell in sheet[sheet.max_row][6:]:
            cell.number_format = "0.0%"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return send_file(buffer, as_attachment=True, download_name=f"办理情况-{month}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
