"""Our own async DingTalk OpenAPI client (aiohttp): token, webhook and OpenAPI sends, cards.

Not the SDK's helpers: those are blocking `requests` calls without timeouts that would stall
the event loop (reference §3.2, §4). Every call here has a timeout and classifies failures so
the outbox knows whether to retry (network, 5xx, flow control) or give up (a bad request).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.channels.dingtalk.config import DingTalkSettings

log = logging.getLogger(__name__)

TOKEN_PATH = "/v1.0/oauth2/accessToken"  # noqa: S105 - a URL path, not a secret
GROUP_SEND_PATH = "/v1.0/robot/groupMessages/send"
SINGLE_SEND_PATH = "/v1.0/robot/oToMessages/batchSend"
CARD_CREATE_PATH = "/v1.0/card/instances/createAndDeliver"
CARD_UPDATE_PATH = "/v1.0/card/instances"
TOKEN_HEADER = "x-acs-dingtalk-access-token"  # noqa: S105 - a header name
TOKEN_MARGIN_SECONDS = 300  # refresh five minutes early, as the SDK does
_FLOW_CONTROL_CODES = ("QpsLimit", "FlowControl", "90018", "90019", "90002", "130101")


class DeliveryError(Exception):
    """A send that did not go through; `retryable` says whether trying later can help."""

    def __init__(self, message: str, *, retryable: bool, throttled: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.throttled = throttled


@dataclass(frozen=True, slots=True)
class CardSpace:
    """Where a card goes: a group (by conversation id) or a 1:1 chat with the bot (by user id)."""

    open_space_id: str
    private: bool

    @classmethod
    def for_group(cls, open_conversation_id: str) -> CardSpace:
        return cls(f"dtv1.card//IM_GROUP.{open_conversation_id}", private=False)

    @classmethod
    def for_user(cls, user_id: str) -> CardSpace:
        return cls(f"dtv1.card//IM_ROBOT.{user_id}", private=True)


class DingTalkClient:
    def __init__(self, settings: DingTalkSettings, *, timeout_seconds: float = 10) -> None:
        self.settings = settings
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()
        self.tokens_fetched = 0

    async def __aenter__(self) -> DingTalkClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    # --- token ------------------------------------------------------------------------------

    async def token(self) -> str:
        """The cached access token; one request at a time refreshes it."""
        if self._token and time.monotonic() < self._token_expires:
            return self._token
        async with self._token_lock:
            if self._token and time.monotonic() < self._token_expires:
                return self._token
            body = {
                "appKey": self.settings.client_id,
                "appSecret": self.settings.client_secret.get_secret_value(),
            }
            data = await self._request("POST", self.settings.api_base + TOKEN_PATH, body)
            token = data.get("accessToken")
            if not isinstance(token, str) or not token:
                msg = "token response without accessToken"
                raise DeliveryError(msg, retryable=True)
            expire_in = float(data.get("expireIn") or 7200)
            self._token = token
            self._token_expires = time.monotonic() + max(expire_in - TOKEN_MARGIN_SECONDS, 0)
            self.tokens_fetched += 1
            return token

    def forget_token(self) -> None:
        self._token = None
        self._token_expires = 0.0

    # --- sends ------------------------------------------------------------------------------

    async def send_by_session(self, webhook: str, body: dict[str, Any]) -> None:
        """Reply through the conversation's sessionWebhook (no token needed while valid)."""
        data = await self._request("POST", webhook, body)
        code = data.get("errcode", 0)
        if code not in (0, "0"):
            text = f"sessionWebhook errcode {code}: {data.get('errmsg')}"
            throttled = str(code) in ("130101", "90030")
            raise DeliveryError(text, retryable=True, throttled=throttled)

    async def send_group(
        self, open_conversation_id: str, msg_key: str, params: dict[str, Any]
    ) -> None:
        await self._openapi(
            "POST",
            GROUP_SEND_PATH,
            {
                "robotCode": self.settings.effective_robot_code,
                "openConversationId": open_conversation_id,
                "msgKey": msg_key,
                "msgParam": json.dumps(params, ensure_ascii=False),
            },
        )

    async def send_single(self, user_ids: list[str], msg_key: str, params: dict[str, Any]) -> None:
        data = await self._openapi(
            "POST",
            SINGLE_SEND_PATH,
            {
                "robotCode": self.settings.effective_robot_code,
                "userIds": user_ids[:20],
                "msgKey": msg_key,
                "msgParam": json.dumps(params, ensure_ascii=False),
            },
        )
        if data.get("flowControlledStaffIdList"):
            msg = f"flow-controlled: {data['flowControlledStaffIdList']}"
            raise DeliveryError(msg, retryable=True, throttled=True)

    async def create_card(
        self,
        out_track_id: str,
        template_id: str,
        params: dict[str, str],
        space: CardSpace,
        at_users: dict[str, str],
    ) -> None:
        """Create and deliver an interactive card whose buttons call back over Stream."""
        body: dict[str, Any] = {
            "cardTemplateId": template_id,
            "outTrackId": out_track_id,
            "cardData": {"cardParamMap": params},
            "callbackType": "STREAM",
            "openSpaceId": space.open_space_id,
        }
        if space.private:
            body["imRobotOpenSpaceModel"] = {"supportForward": False}
            body["imRobotOpenDeliverModel"] = {
                "spaceType": "IM_ROBOT",
                "robotCode": self.settings.effective_robot_code,
            }
        else:
            deliver: dict[str, Any] = {"robotCode": self.settings.effective_robot_code}
            if at_users:
                deliver["atUserIds"] = at_users  # {userId: nick}
            body["imGroupOpenSpaceModel"] = {"supportForward": True}
            body["imGroupOpenDeliverModel"] = deliver
        data = await self._openapi("POST", CARD_CREATE_PATH, body)
        results = (data.get("result") or {}).get("deliverResults") or []
        failed = [r for r in results if not r.get("success")]
        if not results or failed:
            # HTTP 200 alone is not delivery (reference §3.5).
            msg = f"card {out_track_id} not delivered: {failed or 'no deliverResults'}"
            raise DeliveryError(msg, retryable=True)

    async def update_card(self, out_track_id: str, params: dict[str, str]) -> None:
        await self._openapi(
            "PUT",
            CARD_UPDATE_PATH,
            {
                "outTrackId": out_track_id,
                "cardData": {"cardParamMap": params},
                "cardUpdateOptions": {"updateCardDataByKey": True},
            },
        )

    # --- plumbing ---------------------------------------------------------------------------

    async def _openapi(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """An OpenAPI call with the token; a 401 refreshes the token once and retries."""
        for attempt in (1, 2):
            token = await self.token()
            try:
                return await self._request(
                    method, self.settings.api_base + path, body, {TOKEN_HEADER: token}
                )
            except _Unauthorised:
                self.forget_token()
                if attempt == 2:
                    msg = f"{path}: unauthorised after a fresh token"
                    raise DeliveryError(msg, retryable=False) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _request(
        self,
        method: str,
        url: str,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        try:
            async with self._http().request(method, url, json=body, headers=headers) as response:
                text = await response.text()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as error:
            msg = f"{method} {_path(url)}: {type(error).__name__}: {error}"
            raise DeliveryError(msg, retryable=True) from error
        if status == 401:
            raise _Unauthorised
        data = _json(text)
        if status == 429 or any(code in text for code in _FLOW_CONTROL_CODES):
            msg = f"{_path(url)} flow-controlled ({status}): {text[:200]}"
            raise DeliveryError(msg, retryable=True, throttled=True)
        if status >= 500:
            msg = f"{_path(url)} server error {status}: {text[:200]}"
            raise DeliveryError(msg, retryable=True)
        if status >= 400:
            msg = f"{_path(url)} refused {status}: {text[:200]}"
            raise DeliveryError(msg, retryable=False)
        return data


class _Unauthorised(Exception):
    pass


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _path(url: str) -> str:
    """The URL without its query: a sessionWebhook's query is a credential, never logged."""
    return url.split("?", 1)[0]
