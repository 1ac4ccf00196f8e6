"""Editable copies of the demo list, as a CSV folder or an XLSX workbook."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from openpyxl import Workbook

TABLES = ("departments", "townships", "responsibility_list")


def copy_list(source: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        shutil.copy(source / f"{name}.csv", target / f"{name}.csv")
    return target


def read_rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def write_rows(folder: Path, table: str, rows: list[dict[str, str]]) -> None:
    with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(folder: Path, table: str, code: str, column: str, value: str) -> int:
    """Change one cell of the row with `code`; returns that row's spreadsheet number."""
    rows = read_rows(folder, table)
    for index, row in enumerate(rows):
        if row["code"] == code:
            row[column] = value
            write_rows(folder, table, rows)
            return index + 2
    raise KeyError(code)


def to_workbook(folder: Path, target: Path, *, numbers_as_numbers: bool = True) -> Path:
    """The folder's three CSV files as one workbook, the way an official would keep it.

    With `numbers_as_numbers`, numeric cells become Excel numbers (as typed in Excel).
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in TABLES:
        sheet = workbook.create_sheet(name)
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as file:
            for row in csv.reader(file):
                sheet.append([_cell(value, numbers_as_numbers) for value in row])
    workbook.save(target)
    return target


def _cell(value: str, numbers_as_numbers: bool) -> str | int:
    return int(value) if numbers_as_numbers and value.isdigit() else value
