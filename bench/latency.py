"""Classifier speed and memory on one core: load time, per-message p50/p99, peak RSS.

Trains the demo-county model once (list + shipped examples) into a temporary folder, then
measures a fresh process that loads it and classifies every shipped example one at a time,
as the bot does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = {"classify_ms_p99": 5.0, "load_seconds": 2.0, "peak_rss_mb": 400.0}

MEASURE = r"""
import json, os, sys, time

def peak_rss_mb():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)

os.sched_setaffinity(0, {0})
sys.path.insert(0, sys.argv[2])
from pathlib import Path
import numpy as np
from classifier import artifact
started = time.perf_counter()
classifier, meta = artifact.load(Path(sys.argv[1]), current_list_hash=None)
classifier.warm()
load_seconds = time.perf_counter() - started
texts = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
for text in texts[:50]:
    classifier.predict(text)
timings = []
for text in texts:
    t = time.perf_counter()
    classifier.predict(text)
    timings.append((time.perf_counter() - t) * 1000)
print(json.dumps({
    "messages": len(texts),
    "load_seconds": round(load_seconds, 3),
    "classify_ms_p50": round(float(np.percentile(timings, 50)), 3),
    "classify_ms_p99": round(float(np.percentile(timings, 99)), 3),
    "classify_ms_max": round(max(timings), 3),
    "peak_rss_mb": peak_rss_mb(),
}))
"""


def main() -> None:
    from bot.catalog import catalog_from_content
    from classifier import artifact
    from classifier.training import assemble, example_paths, read_examples, train
    from models.list_source import load_list_source

    catalog = catalog_from_content(load_list_source(ROOT / "data" / "county-demo"))
    examples = read_examples(example_paths(ROOT / "data" / "examples"), catalog)
    training_set = assemble(catalog, examples.examples)
    classifier = train(catalog, training_set)
    texts = [example.text for example in examples.examples] or [
        item.description for item in catalog.items
    ]
    with tempfile.TemporaryDirectory() as folder:
        model_dir = Path(folder) / "model"
        meta = artifact.ModelMeta(
            model_id="bench",
            trained_at="",
            libraries=artifact.library_versions(),
            list_version=None,
            list_content_hash=catalog.content_hash,
            data_hash="",
            labels=list(classifier.labels),
            thresholds={},
            params={},
            training_counts={},
            metrics={},
        )
        artifact.save(classifier, meta, model_dir)
        size_mb = sum(p.stat().st_size for p in model_dir.iterdir()) / 2**20
        texts_file = Path(folder) / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        env = {
            **os.environ,
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        measured = subprocess.run(  # noqa: S603 - our own measurement script
            [sys.executable, "-c", MEASURE, str(model_dir), str(ROOT), str(texts_file)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    result = json.loads(measured.stdout)
    report = {
        "benchmark": "classifier_latency",
        "cores": 1,
        "model_mb": round(size_mb, 1),
        "labels": len(classifier.labels),
        **result,
        "targets": TARGETS,
        "meets_targets": all(result[key] < limit for key, limit in TARGETS.items()),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
