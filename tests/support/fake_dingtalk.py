"""A fake DingTalk on 127.0.0.1: the Stream gateway, the OpenAPI calls Whistle makes, fault knobs.

It runs an aiohttp app on **its own thread and event loop** (shared/reference/dingtalk-platform.md
§7.1): the SDK's open-connection call is a blocking request, so a server on the client's loop
could not answer it. Tests call in with `await fake.call(coro)`.

Everything it receives is recorded for assertions: frames ACKed, messages sent through the
sessionWebhook and the OpenAPI, cards created and updated, tokens issued.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import uuid4

from aiohttp import WSMsgType, web

T = TypeVar("T")

CLIENT_ID = "dingwhistletest"
CLIENT_SECRET = "fake-secret"
CHATBOT_TOPIC = "/v1.0/im/bot/messages/get"
CARD_TOPIC = "/v1.0/card/instances/callback"


@dataclass
class Knobs:
    """Faults to inject; tests set them through `fake.knobs`."""

    fail_open: int = 0  # answer open-connection with 500 this many times
    throttle_sends: int = 0  # answer this many OpenAPI/webhook sends with a flow-control error
    fail_sends: int = 0  # answer this many sends with a 500
    drop_acks: bool = False  # read ACKs but do not record them (as a lost ACK looks)
    redeliver_after: float | None = None  # push a frame again once if unACKed this long (s)
    token_expire_in: int = 7200


@dataclass
class Sent:
    """One message as DingTalk received it from the bot."""

    via: str  # session | group | single | card_create | card_update
    conversation: str | None
    body: dict[str, Any]
    at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        """The readable text, whichever way it was sent."""
        body = self.body
        if self.via == "session":
            kind = body.get("msgtype")
            return str((body.get(kind) or {}).get("text") or (body.get(kind) or {}).get("content"))
        if self.via in ("group", "single"):
            params = json.loads(body.get("msgParam") or "{}")
            return str(params.get("text") or params.get("content") or "")
        data = (body.get("cardData") or {}).get("cardParamMap") or {}
        return json.dumps(data, ensure_ascii=False)


class FakeDingTalk:
    def __init__(self) -> None:
        self.knobs = Knobs()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.sockets: list[web.WebSocketResponse] = []
        self.tickets: set[str] = set()
        self.opens = 0
        self.open_attempts = 0
        self.pushed = 0
        self._background: set[asyncio.Task[None]] = set()
        self.subscriptions: list[dict[str, Any]] = []
        self.tokens_issued = 0
        self.acks: dict[str, dict[str, Any]] = {}
        self._ack_waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.sent: list[Sent] = []
        self.cards: dict[str, dict[str, str]] = {}
        self._ids = itertools.count(1)

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> str:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=10)
        return self.base_url

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1.0/gateway/connections/open", self._open)
        app.router.add_get("/connect", self._connect)
        app.router.add_post("/v1.0/oauth2/accessToken", self._token)
        app.router.add_post("/robot/sendBySession", self._session_send)
        app.router.add_post("/v1.0/robot/groupMessages/send", self._group_send)
        app.router.add_post("/v1.0/robot/oToMessages/batchSend", self._single_send)
        app.router.add_post("/v1.0/card/instances/createAndDeliver", self._card_create)
        app.router.add_put("/v1.0/card/instances", self._card_update)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        async def shutdown() -> None:
            for socket in list(self.sockets):
                await socket.close()
            if self.runner is not None:
                await self.runner.cleanup()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the fake's loop from the test's loop."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, self.loop))

    # --- the Stream gateway ----------------------------------------------------------------

    async def _open(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.open_attempts += 1
        if self.knobs.fail_open > 0:
            self.knobs.fail_open -= 1
            return web.json_response({"code": "ServiceUnavailable"}, status=500)
        if body.get("clientId") != CLIENT_ID or body.get("clientSecret") != CLIENT_SECRET:
            return web.json_response({"code": "InvalidAuthentication"}, status=401)
        self.opens += 1
        self.subscriptions = body.get("subscriptions", [])
        ticket = uuid4().hex
        self.tickets.add(ticket)
        return web.json_response(
            {"endpoint": f"ws://127.0.0.1:{self.port}/connect", "ticket": ticket}
        )

    async def _connect(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self.tickets:
            return web.Response(status=401)
        self.tickets.discard(ticket)  # one connection per ticket
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.sockets.append(socket)
        try:
            async for frame in socket:
                if frame.type is not WSMsgType.TEXT:
                    continue
                ack = json.loads(frame.data)
                message_id = (ack.get("headers") or {}).get("messageId", "")
                if self.knobs.drop_acks:
                    continue
                self.acks[message_id] = ack
                waiter = self._ack_waiters.pop(message_id, None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(ack)
        finally:
            if socket in self.sockets:
                self.sockets.remove(socket)
        return socket

    async def wait_connected(self, count: int = 1, timeout: float = 15) -> None:
        """Until at least `count` connections have been opened and one socket is live."""
        deadline = time.monotonic() + timeout
        while not (self.opens >= count and self.sockets):
            if time.monotonic() > deadline:
                msg = f"no Stream connection #{count} within {timeout} s"
                raise TimeoutError(msg)
            await asyncio.sleep(0.01)

    async def push(
        self,
        frame_type: str,
        topic: str,
        data: dict[str, Any],
        *,
        message_id: str | None = None,
        wait_ack: bool = True,
        timeout: float = 10,
    ) -> dict[str, Any] | None:
        """Send one frame to the newest socket; return its ACK (or None without waiting)."""
        if not self.sockets:
            msg = "no connected client"
            raise RuntimeError(msg)
        message_id = message_id or f"frame-{next(self._ids)}"
        frame = {
            "specVersion": "1.0",
            "type": frame_type,
            "headers": {
                "appId": "fake-app",
                "connectionId": "fake-connection",
                "contentType": "application/json",
                "messageId": message_id,
                "time": str(int(time.time() * 1000)),
                "topic": topic,
            },
            "data": json.dumps(data, ensure_ascii=False),
        }
        waiter: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._ack_waiters[message_id] = waiter
        text = json.dumps(frame, ensure_ascii=False)
        await self.sockets[-1].send_str(text)
        self.pushed += 1
        if self.knobs.redeliver_after is not None:
            task = asyncio.create_task(
                self._redeliver(message_id, text, self.knobs.redeliver_after)
            )
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        if not wait_ack:
            return None
        return await asyncio.wait_for(waiter, timeout)

    async def _redeliver(self, message_id: str, text: str, delay: float) -> None:
        """DingTalk pushes an unacknowledged frame again (reference §1.4), same messageId."""
        await asyncio.sleep(delay)
        if message_id not in self.acks and self.sockets:
            await self.sockets[-1].send_str(text)
            self.pushed += 1

    async def push_chatbot(self, data: dict[str, Any], **options: Any) -> dict[str, Any] | None:
        return await self.push("CALLBACK", CHATBOT_TOPIC, data, **options)

    async def push_card_callback(
        self, data: dict[str, Any], **options: Any
    ) -> dict[str, Any] | None:
        return await self.push("CALLBACK", CARD_TOPIC, data, **options)

    async def push_system(self, topic: str, data: dict[str, Any]) -> dict[str, Any] | None:
        return await self.push("SYSTEM", topic, data)

    async def drop_connection(self) -> None:
        """An abrupt close from the server side, as a network fault looks."""
        for socket in list(self.sockets):
            await socket.close(code=1011, message=b"fake abrupt close")

    def chatbot_payload(
        self,
        text: str,
        *,
        sender: str,
        conversation: str,
        msg_id: str | None = None,
        group: bool = True,
        **extra: Any,
    ) -> dict[str, Any]:
        """A chatbot message shaped as DingTalk sends it (reference §2)."""
        now = int(time.time() * 1000)
        data: dict[str, Any] = {
            "conversationId": conversation,
            "conversationType": "2" if group else "1",
            "chatbotCorpId": "dingfakecorp",
            "chatbotUserId": "$:LWCP_v1:$bot",
            "msgId": msg_id or f"msg{uuid4().hex}",
            "senderNick": sender,
            "senderStaffId": sender,
            "senderId": f"$:LWCP_v1:${sender}",
            "senderCorpId": "dingfakecorp",
            "isAdmin": False,
            "isInAtList": True,
            "sessionWebhook": f"{self.base_url}/robot/sendBySession?session={conversation}",
            "sessionWebhookExpiredTime": now + 5_400_000,
            "createAt": now,
            "robotCode": CLIENT_ID,
            "msgtype": "text",
            "text": {"content": f" {text}"},
        }
        if group:
            data["conversationTitle"] = conversation
        return data | extra

    def card_callback_payload(
        self, out_track_id: str, action: str, *, user: str, conversation: str
    ) -> dict[str, Any]:
        """A button press on a card (reference §3.6)."""
        content = {"cardPrivateData": {"actionIds": ["button"], "params": {"action": action}}}
        return {
            "type": "actionCallback",
            "outTrackId": out_track_id,
            "corpId": "dingfakecorp",
            "userId": user,
            "userIdType": 1,
            "spaceType": "IM_GROUP",
            "spaceId": conversation,
            "extension": "{}",
            "content": json.dumps(content, ensure_ascii=False),
        }

    # --- OpenAPI ---------------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("appKey") != CLIENT_ID or body.get("appSecret") != CLIENT_SECRET:
            return web.json_response({"code": "InvalidAuthentication"}, status=401)
        self.tokens_issued += 1
        return web.json_response(
            {
                "accessToken": f"fake-token-{self.tokens_issued}",
                "expireIn": self.knobs.token_expire_in,
            }
        )

    def _authorised(self, request: web.Request) -> bool:
        token = request.headers.get("x-acs-dingtalk-access-token", "")
        return token == f"fake-token-{self.tokens_issued}" and self.tokens_issued > 0

    def _refusal(self, request: web.Request, *, token: bool = True) -> web.Response | None:
        """What DingTalk would answer instead of doing the call: no token, or a set fault."""
        if token and not self._authorised(request):
            return web.json_response({"code": "InvalidAuthentication"}, status=401)
        return self._fault()

    def _fault(self) -> web.Response | None:
        if self.knobs.fail_sends > 0:
            self.knobs.fail_sends -= 1
            return web.json_response({"code": "InternalError"}, status=500)
        if self.knobs.throttle_sends > 0:
            self.knobs.throttle_sends -= 1
            return web.json_response(
                {"code": "Forbidden.AccessDenied.QpsLimitForApi", "message": "流控"}, status=403
            )
        return None

    async def _session_send(self, request: web.Request) -> web.Response:
        refused = self._refusal(request, token=False)
        if refused is not None:
            return refused
        body = await request.json()
        self.sent.append(Sent("session", request.query.get("session"), body))
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _group_send(self, request: web.Request) -> web.Response:
        refused = self._refusal(request)
        if refused is not None:
            return refused
        body = await request.json()
        self.sent.append(Sent("group", body.get("openConversationId"), body))
        return web.json_response({"processQueryKey": uuid4().hex})

    async def _single_send(self, request: web.Request) -> web.Response:
        refused = self._refusal(request)
        if refused is not None:
            return refused
        body = await request.json()
        self.sent.append(Sent("single", ",".join(body.get("userIds", [])), body))
        return web.json_response({"processQueryKey": uuid4().hex, "flowControlledStaffIdList": []})

    async def _card_create(self, request: web.Request) -> web.Response:
        refused = self._refusal(request)
        if refused is not None:
            return refused
        body = await request.json()
        track = body.get("outTrackId", "")
        self.cards[track] = dict((body.get("cardData") or {}).get("cardParamMap") or {})
        space = str(body.get("openSpaceId", ""))
        # A group card is filed under the group's id, a 1:1 card under `robot:<userId>`.
        target = space.rsplit(".", 1)[-1]
        conversation = target if "IM_GROUP." in space else f"robot:{target}"
        self.sent.append(Sent("card_create", conversation, body))
        return web.json_response(
            {
                "success": True,
                "result": {
                    "outTrackId": track,
                    "deliverResults": [
                        {"spaceType": "IM_GROUP", "spaceId": space, "success": True}
                    ],
                },
            }
        )

    async def _card_update(self, request: web.Request) -> web.Response:
        refused = self._refusal(request)
        if refused is not None:
            return refused
        body = await request.json()
        track = body.get("outTrackId", "")
        if track not in self.cards:
            return web.json_response({"code": "param.cardNotExist"}, status=400)
        values = (body.get("cardData") or {}).get("cardParamMap") or {}
        by_key = (body.get("cardUpdateOptions") or {}).get("updateCardDataByKey")
        self.cards[track] = {**self.cards[track], **values} if by_key else dict(values)
        self.sent.append(Sent("card_update", None, body))
        return web.json_response({"success": True, "result": True})

    # --- assertions helpers ----------------------------------------------------------------

    def sent_to(self, conversation: str) -> list[Sent]:
        return [s for s in self.sent if s.conversation == conversation]

    async def wait_sent(self, count: int, timeout: float = 15) -> list[Sent]:
        """Until at least `count` messages have been delivered to the fake."""
        deadline = time.monotonic() + timeout
        while len(self.sent) < count:
            if time.monotonic() > deadline:
                texts = [s.text[:40] for s in self.sent]
                msg = f"{len(self.sent)} of {count} messages within {timeout} s: {texts}"
                raise TimeoutError(msg)
            await asyncio.sleep(0.02)
        return list(self.sent)
