"""Runtime settings, read from `WHISTLE_*` environment variables.

Built once by the command line (never at import time) and passed down, so tests construct
`Settings(...)` directly and importing a module never needs production secrets.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_FILE = "whistle.db"


# Not "classifier": with WHISTLE_HOME at the repository root that is the source package.
MODEL_FOLDER = "whistle-model"


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="WHISTLE_", extra="ignore")

    home: Path = Field(
        default_factory=Path.cwd,
        description="Working folder: the default SQLite database and trained models live here.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; default sqlite+aiosqlite:///$WHISTLE_HOME/whistle.db.",
    )
    log_level: str = Field(default="WARNING", description="Python logging level name.")
    model_dir: Path | None = Field(
        default=None, description="Trained classifier folder; default $WHISTLE_HOME/whistle-model."
    )
    abstain_min_confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description=(
            "Abstain when the calibrated probability that the top item's lead department is "
            "right falls below this (default 0.5, stored with the model)."
        ),
    )

    working_hours: str = Field(
        default="08:30-12:00,13:30-17:30",
        description="Working periods of a day (local time): when reminders may be sent.",
    )

    @field_validator("working_hours")
    @classmethod
    def _readable_hours(cls, value: str) -> str:
        from bot.work_calendar import parse_working_hours

        parse_working_hours(value)  # refuse a bad value at start, with the reason
        return value

    @field_validator("database_url", "model_dir", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """`WHISTLE_DATABASE_URL=` (set but empty) means the default, as shells intend."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            msg = f"WHISTLE_LOG_LEVEL={value!r} 无效，应为 DEBUG/INFO/WARNING/ERROR/CRITICAL"
            raise ValueError(msg)
        return level

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file inside `home`."""
        if self.database_url is not None:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.home / DEFAULT_DATABASE_FILE).resolve()}"

    @property
    def effective_model_dir(self) -> Path:
        return self.model_dir or self.home / MODEL_FOLDER
