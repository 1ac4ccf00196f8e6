"""Reading and validating a responsibility-list source (CSV folder or XLSX workbook).

Pure code: no database. `load_list_source(path)` returns the content or every problem.
"""

from __future__ import annotations

from pathlib import Path

from models.list_source.reading import read_source
from models.list_source.records import (
    TOWNSHIP_LEAD,
    DepartmentRecord,
    ImportProblem,
    ItemRecord,
    ListContent,
    TownshipRecord,
)
from models.list_source.validation import split_multi, validate


def load_list_source(path: Path) -> ListContent | list[ImportProblem]:
    return validate(read_source(path))


__all__ = [
    "TOWNSHIP_LEAD",
    "DepartmentRecord",
    "ImportProblem",
    "ItemRecord",
    "ListContent",
    "TownshipRecord",
    "load_list_source",
    "split_multi",
]
