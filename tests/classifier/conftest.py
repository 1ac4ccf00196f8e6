"""One classifier trained on the demo county (list + shipped examples), shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import catalog_from_content
from classifier.catalog import Catalog
from classifier.engine import Classifier
from classifier.training import assemble, example_paths, read_examples, train
from models.list_source import ListContent, load_list_source

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo_catalog() -> Catalog:
    content = load_list_source(REPO / "data" / "county-demo")
    assert isinstance(content, ListContent)
    return catalog_from_content(content, version_id=1)


@pytest.fixture(scope="session")
def trained(demo_catalog: Catalog) -> Classifier:
    examples = read_examples(example_paths(REPO / "data" / "examples"), demo_catalog)
    return train(demo_catalog, assemble(demo_catalog, examples.examples))
