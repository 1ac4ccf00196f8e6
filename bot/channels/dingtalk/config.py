"""DingTalk settings from `WHISTLE_DINGTALK_*` environment variables. Secrets never reach logs."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_BASE = "https://api.dingtalk.com"


class DingTalkSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WHISTLE_DINGTALK_", extra="ignore")

    client_id: str = Field(default="", description="The app's AppKey / Client ID.")
    client_secret: SecretStr = Field(default=SecretStr(""), description="AppSecret.")
    robot_code: str = Field(default="", description="Robot code; defaults to the client id.")
    # Redirects both the SDK's open-connection call and our own client: tests and staging
    # point the bot at a fake DingTalk with it.
    api_base: str = Field(default=DEFAULT_API_BASE)
    # Card-platform template for case cards (receipt, whistle, liaison, rating). Without it
    # cards go out as markdown with their text-command hints.
    card_template_id: str = Field(default="")
    sends_per_minute: int = Field(default=20, ge=1, description="Per conversation.")

    @field_validator("api_base")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/") or DEFAULT_API_BASE

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret.get_secret_value())

    @property
    def effective_robot_code(self) -> str:
        return self.robot_code or self.client_id

    def missing(self) -> list[str]:
        """The variables still to set, by name, for a clear refusal to start."""
        names = []
        if not self.client_id:
            names.append("WHISTLE_DINGTALK_CLIENT_ID")
        if not self.client_secret.get_secret_value():
            names.append("WHISTLE_DINGTALK_CLIENT_SECRET")
        return names
