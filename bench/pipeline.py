"""DingTalk pipeline throughput and latency: Whistle against an echo bot on the same transport.

Both run the real `dingtalk-stream` SDK against the fake DingTalk of `tests/support/` (its own
thread, loopback). Latency is from the frame's push at the fake to the reply arriving at the
fake's sessionWebhook.

(a) echo: an SDK handler that posts the text straight back (aiohttp) — the transport's limit;
(b) whistle: the full pipeline on SQLite — inbox, ACK, classification, a new case, the outbox,
    delivery — for grid-worker reports.

Usage: python bench/pipeline.py [--messages 300] [--model-dir DIR]
Without --model-dir the demo-county model is trained first (about two minutes).
Prints one JSON object. Targets: Whistle ≥ 50 % of the echo throughput, p99 < 250 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dingtalk_stream  # noqa: E402
from dingtalk_stream import AckMessage  # noqa: E402

from bot.catalog import catalog_from_content  # noqa: E402
from bot.channels.dingtalk.channel import DingTalkChannel  # noqa: E402
from bot.channels.dingtalk.config import DingTalkSettings  # noqa: E402
from bot.channels.dingtalk.inbound import CHANNEL  # noqa: E402
from bot.demo_setup import demo_list, ensure_demo_county  # noqa: E402
from classifier import artifact  # noqa: E402
from classifier.engine import Classifier  # noqa: E402
from classifier.training import assemble, example_paths, read_examples, train  # noqa: E402
from handlers.turn import Services  # noqa: E402
from models import schema  # noqa: E402
from models.db import make_engine, make_sessionmaker  # noqa: E402
from tests.support.fake_dingtalk import CLIENT_ID, CLIENT_SECRET, FakeDingTalk  # noqa: E402

TARGETS = {"throughput_ratio": 0.5, "whistle_p99_ms": 250.0}
REPORTS = (
    "东关社区门口那家电动车店把车全摆到人行道上了，行人只能走机动车道",
    "河头村西头有人在空地上烧垃圾，塑料味呛得人睁不开眼",
    "村口的路灯坏了好几天了，晚上黑乎乎的",
    "小区楼下的饭店油烟直接排到楼道里，熏得没法开窗",
)


def load_classifier(model_dir: Path | None) -> Classifier:
    if model_dir is not None:
        classifier, _meta = artifact.load(model_dir, current_list_hash=None)
        return classifier
    catalog = catalog_from_content(demo_list(), version_id=1)
    examples = read_examples(example_paths(ROOT / "data" / "examples"), catalog)
    return train(catalog, assemble(catalog, examples.examples))


class _Echo(dingtalk_stream.ChatbotHandler):
    def __init__(self, http: aiohttp.ClientSession) -> None:
        super().__init__()
        self.http = http

    async def process(self, callback: dingtalk_stream.CallbackMessage) -> tuple[int, Any]:
        data = callback.data
        body = {"msgtype": "text", "text": {"content": data["text"]["content"].strip()}}
        async with self.http.post(data["sessionWebhook"], json=body) as response:
            await response.read()
        return AckMessage.STATUS_OK, "OK"


async def _push_all(fake: FakeDingTalk, payloads: list[dict[str, Any]]) -> list[float]:
    pushed: list[float] = []
    for payload in payloads:
        pushed.append(time.monotonic())
        await fake.call(fake.push_chatbot(payload, wait_ack=False))
    return pushed


async def _wait(fake: FakeDingTalk, conversation: str, count: int, within_s: float) -> None:
    deadline = time.monotonic() + within_s
    while len(fake.sent_to(conversation)) < count:
        if time.monotonic() > deadline:
            msg = f"{len(fake.sent_to(conversation))} of {count} replies within {within_s} s"
            raise TimeoutError(msg)
        await asyncio.sleep(0.005)


def _summary(pushed: list[float], delivered: list[float]) -> dict[str, float]:
    latencies = sorted((d - p) * 1000 for p, d in zip(pushed, delivered, strict=True))
    span = max(delivered) - min(pushed)
    return {
        "messages": len(pushed),
        "per_second": round(len(pushed) / span, 1),
        "latency_ms_p50": round(statistics.median(latencies), 1),
        "latency_ms_p99": round(latencies[int(0.99 * (len(latencies) - 1))], 1),
    }


async def echo_run(n: int) -> dict[str, float]:
    fake = FakeDingTalk()
    fake.start()
    dingtalk_stream.DingTalkStreamClient.OPEN_CONNECTION_API = (
        fake.base_url + "/v1.0/gateway/connections/open"
    )
    client = dingtalk_stream.DingTalkStreamClient(
        dingtalk_stream.Credential(CLIENT_ID, CLIENT_SECRET)
    )
    async with aiohttp.ClientSession() as http:
        client.register_callback_handler(dingtalk_stream.ChatbotMessage.TOPIC, _Echo(http))
        task = asyncio.create_task(client.start())
        try:
            await fake.call(fake.wait_connected())
            conversation = "cid-echo"
            payloads = [
                fake.chatbot_payload(f"echo {i}", sender="gw1", conversation=conversation)
                for i in range(n)
            ]
            pushed = await _push_all(fake, payloads)
            await _wait(fake, conversation, n, 120)
            by_text = {s.text: s.at for s in fake.sent_to(conversation)}
            delivered = [by_text[f"echo {i}"] for i in range(n)]
            return _summary(pushed, delivered)
        finally:
            await client.stop()
            await task
            fake.stop()


async def whistle_run(n: int, classifier: Classifier) -> dict[str, float]:
    fake = FakeDingTalk()
    fake.start()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        await schema.upgrade(engine)
        sessions = make_sessionmaker(engine)
        async with sessions.begin() as session:
            await ensure_demo_county(session, channels=(CHANNEL,))
        settings = DingTalkSettings(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            api_base=fake.base_url,
            sends_per_minute=1_000_000,
        )
        channel = DingTalkChannel(
            settings, sessions, Services(classifier, lambda: datetime.now(UTC))
        )
        stop = asyncio.Event()
        task = asyncio.create_task(channel.run(stop))
        try:
            await fake.call(fake.wait_connected())
            conversation = "cid-vg-dongguan"
            payloads = [
                fake.chatbot_payload(
                    f"{REPORTS[i % len(REPORTS)]}（第{i}次）",
                    sender="gw1",
                    conversation=conversation,
                )
                for i in range(n)
            ]
            pushed = await _push_all(fake, payloads)
            await _wait(fake, conversation, n, 600)
            # One chat's replies keep their order: the i-th receipt answers the i-th report.
            delivered = [s.at for s in fake.sent_to(conversation)][:n]
            return _summary(pushed, delivered)
        finally:
            stop.set()
            await task
            await engine.dispose()
            fake.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--model-dir", type=Path)
    options = parser.parse_args()
    classifier = load_classifier(options.model_dir)
    classifier.warm()
    echo = await echo_run(options.messages)
    whistle = await whistle_run(options.messages, classifier)
    ratio = round(whistle["per_second"] / echo["per_second"], 3)
    print(
        json.dumps(
            {
                "echo": echo,
                "whistle": whistle,
                "throughput_ratio": ratio,
                "targets": TARGETS,
                "meets_targets": ratio >= TARGETS["throughput_ratio"]
                and whistle["latency_ms_p99"] < TARGETS["whistle_p99_ms"],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
