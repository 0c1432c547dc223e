"""The household register: matching an address to it, and importing it from the CSV or XLSX
files committees already keep."""
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from server.extensions import db
from server.models import Household
from server.services.org import natural_key

# Header words committees use for each column (compared after normalising).
HEADERS = {
    "building": {"building", "楼号", "楼栋", "楼", "幢", "栋", "门牌号", "号楼"},
    "unit": {"unit", "单元", "单元号"},
    "room": {"room", "室号", "室", "房号", "门牌", "房间号"},
}
_SUFFIXES = {
    "building": ("号楼", "号", "栋", "幢", "楼"),
    "unit": ("单元", "号"),
    "room": ("室", "号"),
}
MAX_FIELD = {"building": 40, "unit": 20, "room": 20}


def normalise(part, value):
    """"１２号楼 " and "12" name the same building; "3单元" and "3" the same unit."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip().upper()
    text = re.sub(r"\s+", "", text)
    for suffix in _SUFFIXES[part]:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


def display_address(building, unit, room):
    """"1号楼", "1", "101" -> "1号楼1单元101室": as a resident would write it, whatever suffixes
    they typed themselves."""
    parts = []
    for value, suffixes, default in ((building, _SUFFIXES["building"], "号楼"),
                                     (unit, ("单元",), "单元"), (room, ("室",), "室")):
        value = (value or "").strip()
        if value:
            parts.append(value if value.endswith(suffixes) else value + default)
    return "".join(parts)


def find_household(community_id, building, unit, room):
    key = (normalise("building", building), normalise("unit", unit), normalise("room", room))
    rows = db.session.execute(
        db.select(Household).filter_by(community_id=community_id, room=key[2])).scalars()
    for household in rows:
        if (household.building, household.unit) == key[:2]:
            return household
    return None


@dataclass
class ImportReport:
    added: int = 0
    already_present: int = 0
    bad_rows: list = field(default_factory=list)  # (row number, reason in Chinese)

    @property
    def ok(self):
        return not self.bad_rows


def read_rows(path):
    """Yield (row number, [cells]) from a .csv (UTF-8 or GBK, as Excel on Chinese Windows
    writes it) or .xlsx file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, ["" if cell is None else _cell_text(cell) for cell in row]
        workbook.close()
        return
    if suffix != ".csv":
        raise ValueError("只支持 .csv 或 .xlsx 文件")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("无法识别文件编码，请另存为 UTF-8 的 CSV")
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        yield number, row


def _cell_text(cell):
    # Excel stores room 301 as the float 301.0.
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def import_households(community, rows):
    """Add every valid row of the register; report the others. Rows already present are
    counted, not duplicated, so importing the same file twice changes nothing."""
    report = ImportReport()
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        report.bad_rows.append((1, "文件为空"))
        return report
    columns = _map_header(header[1])
    if "building" not in columns or "room" not in columns:
        report.bad_rows.append((header[0], "表头须包含“楼号”和“室号”列（“单元”可选）"))
        return report
    existing = {(h.building, h.unit, h.room) for h in db.session.execute(
        db.select(Household).filter_by(community_id=community.id)).scalars()}
    for number, cells in rows:
        if not any(str(c).strip() for c in cells):
            continue
        values, problem = _row_values(columns, cells)
        if problem:
            report.bad_rows.append((number, problem))
            continue
        key = (values["building"], values["unit"], values["room"])
        if key in existing:
            report.already_present += 1
            continue
        existing.add(key)
        db.session.add(Household(community_id=community.id, building=key[0], unit=key[1],
                                 room=key[2]))
        report.added += 1
    return report


def _map_header(cells):
    columns = {}
    for index, cell in enumerate(cells):
        word = unicodedata.normalize("NFKC", str(cell or "")).strip().lower()
        for part, words in HEADERS.items():
            if word in words and part not in columns:
                columns[part] = index
    return columns


def _row_values(columns, cells):
    values = {}
    for part in ("building", "unit", "room"):
        index = columns.get(part)
        raw = cells[index] if index is not None and index < len(cells) else ""
        value = normalise(part, raw)
        label = {"building": "楼号", "unit": "单元", "room": "室号"}[part]
        if part != "unit" and not value:
            return None, f"缺少{label}"
        if len(value) > MAX_FIELD[part]:
            return None, f"{label}过长（最多 {MAX_FIELD[part]} 个字符）"
        values[part] = value
    return values, None


def import_file(community, path, write):
    """Import the register in `path`, all or nothing: a file with any bad row writes nothing,
    so a committee never has to work out which half of a file went in. With write=False (a
    preview) nothing is written either way. Returns the ImportReport."""
    try:
        report = import_households(community, read_rows(path))
    except ValueError as exc:  # not .csv/.xlsx, or an encoding we cannot read
        report = ImportReport(bad_rows=[(0, str(exc))])
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError):
        report = ImportReport(bad_rows=[(0, "无法读取该文件，请确认是 Excel（.xlsx）或 CSV 文件")])
    if write and report.ok:
        db.session.commit()
    else:
        db.session.rollback()
    return report


def register_of(community_id):
    """Every dwelling of a community's register, in building/unit/room order."""
    rows = db.session.execute(db.select(Household).filter_by(community_id=community_id)
                              ).scalars().all()
    return sorted(rows, key=lambda h: (natural_key(h.building), natural_key(h.unit),
                                       natural_key(h.room)))


def register_sizes(community_ids):
    return dict(db.session.execute(
        db.select(Household.community_id, db.func.count(Household.id))
        .where(Household.community_id.in_(community_ids)).group_by(Household.community_id)).all())
