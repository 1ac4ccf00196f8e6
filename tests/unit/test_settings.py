"""Settings from the environment: defaults, empty values, bad values."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings


def test_defaults_put_everything_in_home(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert settings.effective_database_url == f"sqlite+aiosqlite:///{tmp_path / 'whistle.db'}"
    assert settings.effective_model_dir == tmp_path / "whistle-model"


def test_empty_environment_values_mean_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHISTLE_HOME", str(tmp_path))
    monkeypatch.setenv("WHISTLE_DATABASE_URL", "")
    monkeypatch.setenv("WHISTLE_MODEL_DIR", " ")
    settings = Settings()
    assert settings.database_url is None
    assert settings.effective_database_url.endswith("whistle.db")
    assert settings.effective_model_dir == tmp_path / "whistle-model"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHISTLE_DATABASE_URL", "postgresql+asyncpg://u:p@db/whistle")
    monkeypatch.setenv("WHISTLE_ABSTAIN_MIN_CONFIDENCE", "0.4")
    monkeypatch.setenv("WHISTLE_LOG_LEVEL", "info")
    settings = Settings()
    assert settings.effective_database_url == "postgresql+asyncpg://u:p@db/whistle"
    assert settings.abstain_min_confidence == 0.4
    assert settings.log_level == "INFO"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WHISTLE_LOG_LEVEL", "LOUD"),
        ("WHISTLE_ABSTAIN_MIN_CONFIDENCE", "2"),
        ("WHISTLE_ABSTAIN_MIN_CONFIDENCE", "x"),
    ],
)
def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()
