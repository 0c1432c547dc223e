"""The household register: flask import-households from CSV (UTF-8 or GBK) and XLSX."""
from openpyxl import Workbook

from server.models import Household


def registered(db, community):
    rows = db.session.execute(db.select(Household).filter_by(community_id=community.id))
    return sorted((h.building, h.unit, h.room) for h in rows.scalars())


def run(app, *args):
    return app.test_cli_runner().invoke(args=["import-households", *args])


def test_imports_a_csv_as_committees_write_it(app, db, org, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("楼号,单元,室号\n1号楼,1单元,101室\n１号楼,1,102\n2,,201\n", encoding="utf-8")
    result = run(app, "XH-TP-001", str(path))
    assert result.exit_code == 0, result.output
    assert "新增 3 户" in result.output
    assert registered(db, org.community) == [("1", "1", "101"), ("1", "1", "102"),
                                             ("2", "", "201")]


def test_gbk_csv_from_excel_is_read(app, db, org, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes("楼号,室号\n3号楼,301\n".encode("gbk"))
    assert run(app, "XH-TP-001", str(path)).exit_code == 0
    assert registered(db, org.community) == [("3", "", "301")]


def test_imports_xlsx_with_numeric_cells(app, db, org, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["楼栋", "单元", "房号"])
    sheet.append([5, 2, 502.0])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    result = run(app, "xh-tp-001", str(path))
    assert result.exit_code == 0, result.output
    assert registered(db, org.community) == [("5", "2", "502")]


def test_importing_twice_adds_nothing_new(app, db, org, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("楼号,室号\n1,101\n", encoding="utf-8")
    run(app, "XH-TP-001", str(path))
    result = run(app, "XH-TP-001", str(path))
    assert "新增 0 户，已存在 1 户" in result.output
    assert len(registered(db, org.community)) == 1


def test_bad_rows_are_reported_and_nothing_is_imported(app, db, org, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("楼号,室号\n1,101\n,102\n2,\n3," + "9" * 30 + "\n", encoding="utf-8")
    result = run(app, "XH-TP-001", str(path))
    assert result.exit_code != 0
    assert "第 3 行：缺少楼号" in result.output
    assert "第 4 行：缺少室号" in result.output
    assert "第 5 行：室号过长" in result.output
    assert registered(db, org.community) == []


def test_missing_header_is_explained(app, db, org, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("姓名,电话\n张三,123\n", encoding="utf-8")
    result = run(app, "XH-TP-001", str(path))
    assert result.exit_code != 0 and "表头" in result.output


def test_unknown_community_and_file_type_are_errors(app, org, tmp_path):
    path = tmp_path / "register.txt"
    path.write_text("x", encoding="utf-8")
    assert "未找到小区代码" in run(app, "NOPE", str(path)).output
    assert "只支持" in run(app, "XH-TP-001", str(path)).output


def test_a_corrupt_workbook_is_explained_as_the_console_does(app, db, org, tmp_path):
    # The command runs the console's import (households.import_file): same checks, same words.
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"not a workbook")
    result = run(app, "XH-TP-001", str(path))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "无法读取该文件" in result.output and "第 0 行" not in result.output
    assert registered(db, org.community) == []


def test_addresses_read_as_residents_write_them():
    from server.services.households import display_address
    assert display_address("1号楼", "1", "101") == "1号楼1单元101室"
    assert display_address("3", "", "502室") == "3号楼502室"
    assert display_address("5幢", "2单元", "301") == "5幢2单元301室"
