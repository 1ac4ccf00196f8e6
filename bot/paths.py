"""Where the shipped data lives, in a source checkout and in an installed wheel."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_CHECKOUT_DATA = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The shipped `data/` folder.

    A checkout (and an editable install) reads the repository's `data/`; a wheel carries the
    same files as the top-level `whistle_data/` folder (see pyproject.toml).
    """
    if (_CHECKOUT_DATA / "county-demo").is_dir():
        return _CHECKOUT_DATA
    spec = importlib.util.find_spec("whistle_data")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    msg = "找不到 Whistle 自带的数据目录（data/）：安装包不完整，请重新安装"
    raise FileNotFoundError(msg)


def demo_county_dir() -> Path:
    return data_dir() / "county-demo"
