"""The Stream connection through the `dingtalk-stream` SDK: connect, receive, ACK — nothing else.

The SDK's handlers only hand the raw payload to the gate, which persists it before the handler
returns; the SDK then ACKs. Handling happens later on the channel's workers, so an ACK takes
milliseconds whatever the bot has to do.
"""

from __future__ import annotations

import logging
from typing import Any

import dingtalk_stream
import websockets.exceptions  # noqa: F401 - the SDK's except clause needs it loaded (reference §1.7)
from dingtalk_stream import AckMessage

from bot.channels.dingtalk.config import DingTalkSettings
from bot.channels.dingtalk.gate import InboundGate

log = logging.getLogger(__name__)

OPEN_CONNECTION_PATH = "/v1.0/gateway/connections/open"


class _ChatbotHandler(dingtalk_stream.ChatbotHandler):
    def __init__(self, gate: InboundGate) -> None:
        super().__init__()
        self.gate = gate

    async def process(self, callback: dingtalk_stream.CallbackMessage) -> tuple[int, Any]:
        await self.gate.chatbot_message(callback.data)
        return AckMessage.STATUS_OK, "OK"


class _CardHandler(dingtalk_stream.CallbackHandler):
    def __init__(self, gate: InboundGate) -> None:
        super().__init__()
        self.gate = gate

    async def process(self, callback: dingtalk_stream.CallbackMessage) -> tuple[int, Any]:
        await self.gate.card_callback(callback.data, callback.headers.message_id or "")
        # The card is updated from the outbox once the click has been handled.
        return AckMessage.STATUS_OK, {}


class _Client(dingtalk_stream.DingTalkStreamClient):
    connections_opened = 0

    def get_host_ip(self) -> str:
        return ""  # the SDK probes 8.8.8.8 for it; DingTalk does not need it

    def open_connection(self) -> dict[str, Any] | None:
        connection = super().open_connection()
        if connection:
            self.connections_opened += 1
        return connection


def stream_client(
    settings: DingTalkSettings, gate: InboundGate
) -> dingtalk_stream.DingTalkStreamClient:
    """A Stream client with our handlers, connecting through `settings.api_base`."""
    # The SDK reads this class attribute by the base class's name (reference §1.10), so it is
    # set there; WHISTLE_DINGTALK_API_BASE is one value per process anyway.
    dingtalk_stream.DingTalkStreamClient.OPEN_CONNECTION_API = (
        settings.api_base + OPEN_CONNECTION_PATH
    )
    credential = dingtalk_stream.Credential(
        settings.client_id, settings.client_secret.get_secret_value()
    )
    client = _Client(credential, logger=logging.getLogger("dingtalk_stream.client"))
    client.register_callback_handler(dingtalk_stream.ChatbotMessage.TOPIC, _ChatbotHandler(gate))
    client.register_callback_handler(
        dingtalk_stream.CallbackHandler.TOPIC_CARD_CALLBACK, _CardHandler(gate)
    )
    return client
