"""Split labelled examples into a training part and a held-out evaluation part.

Deterministic: within each label (an item code, or empty for chat that is no report), rows
are ordered by the SHA-256 of their text and every fifth one, starting from the first, is
held out (at least one per label). Re-running on the same rows yields the same split, so a
new example moves at most its own label's split.

Usage: python scripts/split_heldout.py SOURCE.csv... --train-dir data/examples \
           --heldout data/evaluation/heldout.csv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from collections import defaultdict
from pathlib import Path

HELDOUT_EVERY = 5  # 20 %


def read_rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return [
            (row["text"].strip(), (row["item_code"] or "").strip())
            for row in csv.DictReader(file)
            if row["text"].strip()
        ]


def split(rows: list[tuple[str, str]]) -> tuple[set[int], list[int]]:
    """Indices kept for training and indices held out."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, (_, label) in enumerate(rows):
        by_label[label].append(index)
    held: list[int] = []
    for indices in by_label.values():
        ordered = sorted(indices, key=lambda i: hashlib.sha256(rows[i][0].encode()).hexdigest())
        held.extend(ordered[::HELDOUT_EVERY])
    return set(range(len(rows))) - set(held), sorted(held)


def write(path: Path, rows: list[tuple[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["text", "item_code"])
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("--train-dir", type=Path, required=True)
    parser.add_argument("--heldout", type=Path, required=True)
    args = parser.parse_args()
    held_rows: list[tuple[str, str]] = []
    for source in args.sources:
        rows = read_rows(source)
        kept, held = split(rows)
        write(args.train_dir / source.name, [rows[i] for i in sorted(kept)])
        held_rows.extend(rows[i] for i in held)
        print(f"{source.name}: {len(kept)} train, {len(held)} held out")
    write(args.heldout, held_rows)
    print(f"{args.heldout}: {len(held_rows)} rows")


if __name__ == "__main__":
    main()
