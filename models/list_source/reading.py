"""Reads the three tables of a list source into raw rows, keeping each cell's location.

A source is a folder with `departments.csv`, `townships.csv` and `responsibility_list.csv`, or
one XLSX workbook with sheets of the same names. Nothing is interpreted here: validation is
the next step, so every problem can be reported at once.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from models.list_source.records import ImportProblem

TABLE_NAMES = ("departments", "townships", "responsibility_list")


@dataclass(frozen=True, slots=True)
class RawRow:
    number: int  # spreadsheet row number, header = 1
    cells: dict[str, str]


@dataclass(frozen=True, slots=True)
class RawTable:
    source: str
    columns: tuple[str, ...]
    rows: tuple[RawRow, ...]


@dataclass(frozen=True, slots=True)
class RawSource:
    tables: dict[str, RawTable]
    problems: tuple[ImportProblem, ...]


def read_source(path: Path) -> RawSource:
    """Read a folder of CSV files or an XLSX workbook; missing parts become problems."""
    if path.is_dir():
        return _read_folder(path)
    if path.is_file() and path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _read_workbook(path)
    if path.is_file():
        reason = "不支持的文件类型：请给出包含三个 CSV 文件的文件夹，或一个 .xlsx 工作簿"
    else:
        reason = "路径不存在"
    return RawSource(tables={}, problems=(ImportProblem(str(path), None, None, reason),))


def _read_folder(folder: Path) -> RawSource:
    tables: dict[str, RawTable] = {}
    problems: list[ImportProblem] = []
    for name in TABLE_NAMES:
        file = folder / f"{name}.csv"
        if not file.is_file():
            problems.append(ImportProblem(file.name, None, None, "缺少此文件"))
            continue
        text, problem = _decode(file)
        if problem:
            problems.append(problem)
            continue
        tables[name] = _table_from_rows(file.name, list(csv.reader(io.StringIO(text))))
    return RawSource(tables=tables, problems=tuple(problems))


def _decode(file: Path) -> tuple[str, ImportProblem | None]:
    """UTF-8 (with or without BOM); GB18030 as fallback because Excel in China saves CSV so."""
    data = file.read_bytes()
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), None
    except UnicodeDecodeError:
        reason = "无法识别文件编码：请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”"
        return "", ImportProblem(file.name, None, None, reason)


def _table_from_rows(source: str, rows: list[list[str]]) -> RawTable:
    if not rows:
        return RawTable(source=source, columns=(), rows=())
    header = tuple(cell.strip() for cell in rows[0])
    raw_rows = []
    for index, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines (and Excel's trailing empty rows) carry nothing
        padded = list(row) + [""] * (len(header) - len(row))
        cells = {column: padded[i] for i, column in enumerate(header) if column}
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            cells["\0extra"] = "1"  # flagged for validation: more cells than headers
        raw_rows.append(RawRow(number=index, cells=cells))
    return RawTable(source=source, columns=header, rows=tuple(raw_rows))


def _read_workbook(path: Path) -> RawSource:
    # Imported here: openpyxl is only needed for workbooks and takes a while to import.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        reason = f"无法读取工作簿（{type(error).__name__}）：请确认它是 Excel .xlsx 文件"
        return RawSource(tables={}, problems=(ImportProblem(path.name, None, None, reason),))
    try:
        tables: dict[str, RawTable] = {}
        problems: list[ImportProblem] = []
        for name in TABLE_NAMES:
            source = f"{path.name} 的 {name} 工作表"
            if name not in workbook.sheetnames:
                found = "、".join(workbook.sheetnames) or "无"
                problems.append(
                    ImportProblem(source, None, None, f"缺少此工作表（现有工作表：{found}）")
                )
                continue
            sheet = workbook[name]
            rows = [
                [_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
            ]
            tables[name] = _table_from_rows(source, rows)
        return RawSource(tables=tables, problems=tuple(problems))
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A cell as the text a CSV would hold: 24.0 → "24", empty → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
