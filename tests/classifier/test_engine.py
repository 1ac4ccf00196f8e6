"""The trained demo classifier: routes reports, abstains on chat, treats scripts alike."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from classifier.catalog import Catalog
from classifier.engine import NOT_A_REPORT, Classifier, Thresholds, department_decision
from classifier.pipeline import PipelineParams, build_pipeline, fit, probabilities
from classifier.tokenize import DomainTokenizer
from classifier.training import LabelledText, assemble, train


def test_road_occupation_by_shop_goes_to_enforcement(trained: Classifier) -> None:
    prediction = trained.predict("东关村村口电动车店把车都摆到人行道上了")
    assert not prediction.abstained
    assert prediction.top is not None
    assert prediction.top.code == "D04-002"
    assert prediction.top.lead_department == "县综合行政执法局"
    assert prediction.top.cooperating_departments == ("县市场监督管理局",)


@pytest.mark.parametrize("text", ["今天天气不错", "收到，辛苦了", "👍", "", "好的"])
def test_chat_is_not_a_report(trained: Classifier, text: str) -> None:
    assert trained.predict(text).abstained


def test_traditional_classifies_like_simplified(trained: Classifier) -> None:
    simplified = trained.predict("柳河镇河头村地里有人烧麦秸秆，浓烟很大")
    traditional = trained.predict("柳河鎮河頭村地裡有人燒麥秸稈，濃煙很大")
    assert traditional.normalized_text == simplified.normalized_text
    assert traditional.items == simplified.items
    assert simplified.top is not None
    assert simplified.top.code == "D01-001"


def test_voice_transcript_with_fillers_classifies(trained: Classifier) -> None:
    prediction = trained.predict(
        "嗯那个就是我们村那个路灯嗯晚上都不亮了好几天了然后老人出门不方便"
    )
    assert prediction.top is not None
    assert prediction.top.code in {"D08-008", "D04-009"}


def test_items_are_ranked_and_scores_are_probabilities(trained: Classifier) -> None:
    prediction = trained.predict("河里有死猪漂着，臭得很", top=5)
    scores = [item.score for item in prediction.items]
    assert len(scores) == 5
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert prediction.items[0].code == "D08-001"


def test_thresholds_decide_abstention(trained: Classifier) -> None:
    text = "东关村村口电动车店把车都摆到人行道上了"
    lenient = trained.with_thresholds(Thresholds(min_confidence=0.0))
    accepted = lenient.predict(text)
    assert not accepted.abstained
    just_above = float(np.nextafter(accepted.confidence, 2.0))
    strict = trained.with_thresholds(replace(trained.thresholds, min_confidence=just_above))
    refused = strict.predict(text)
    assert refused.abstained
    assert refused.abstain_reason == "low_confidence"
    assert refused.items == accepted.items  # the candidates still go to the dispatcher


def test_confidence_is_the_lead_departments_share(trained: Classifier) -> None:
    """Items of one department pool their probability: the whistle reaches it either way."""
    prediction = trained.predict("东关社区门口电动车店把车都摆到人行道上了", top=128)
    assert prediction.top is not None
    owner = prediction.top.lead_department
    share = sum(item.score for item in prediction.items if item.lead_department == owner)
    expected = trained.calibration.department_confidence(share)
    assert prediction.confidence == pytest.approx(expected, abs=1e-6)


def test_the_department_with_the_most_mass_wins_over_the_single_best_item() -> None:
    """Two items of one department at 0.3 each beat one item of another at 0.35."""
    scores = np.array([0.35, 0.3, 0.3, 0.05])
    department_of = np.array([0, 1, 1, -1])
    assert department_decision(scores, department_of) == (1, pytest.approx(0.6))
    chat = np.array([0.2, 0.1, 0.1, 0.6])
    assert department_decision(chat, department_of) == (3, 0.0)


def test_calibration_sharpens_probabilities(trained: Classifier) -> None:
    """Out-of-fold calibration found the raw probabilities too flat (temperature below 1)."""
    calibration = trained.calibration
    assert calibration.folds == 4
    assert calibration.examples > 1000
    assert 0.01 < calibration.temperature < 1.0
    assert calibration.cv_department_top1 is not None
    assert calibration.cv_department_top1 >= calibration.cv_item_top1


def test_keyword_match_can_decide_a_terse_report(demo_catalog: Catalog) -> None:
    """With a list-only model, a bare keyword still finds its item through rapidfuzz."""
    model = train(demo_catalog, assemble(demo_catalog))
    item = demo_catalog.item("D04-010")
    assert item is not None
    assert "井盖丢了" in item.keywords
    prediction = model.predict("井盖丢了")
    assert prediction.top is not None
    assert prediction.top.code == "D04-010"
    no_keywords = model.with_thresholds(replace(model.thresholds, keyword_weight=0.0))
    assert no_keywords.predict("井盖丢了").method == "model"


def test_huge_message_is_classified_from_its_head(trained: Classifier) -> None:
    text = "东关社区门口电动车店把车摆到人行道上，影响通行。" + "补充说明。" * 2000
    prediction = trained.predict(text)
    assert prediction.top is not None
    assert prediction.top.code == "D04-002"
    assert len(prediction.normalized_text) > 1000


def test_prediction_json_contract(trained: Classifier) -> None:
    data = trained.predict("工地半夜还在打桩，吵得睡不着").as_json()
    assert set(data) >= {"abstained", "items", "method", "normalized_text"}
    assert set(data["items"][0]) >= {
        "code",
        "name",
        "lead_department",
        "cooperating_departments",
        "score",
    }
    assert isinstance(data["items"][0]["cooperating_departments"], list)


def test_fast_probabilities_equal_scikit_learns(trained: Classifier) -> None:
    texts = ["东关社区门口电动车店占道", "河头村有人烧秸秆", "今天天气不错", "路灯坏了好几天"]
    fast = probabilities(trained.pipeline, texts)
    reference = trained.pipeline.predict_proba(texts)
    assert np.allclose(fast, reference, atol=1e-5)
    sharper = probabilities(trained.pipeline, texts, temperature=0.5)
    assert np.allclose(sharper.sum(axis=1), 1.0)
    assert (sharper.max(axis=1) > fast.max(axis=1)).all()


def test_fast_probabilities_for_two_classes() -> None:
    pipeline = fit(
        build_pipeline(DomainTokenizer(()), PipelineParams()),
        ["路灯坏了", "路灯不亮", "垃圾没人清", "垃圾堆满了"],
        ["灯", "灯", "垃圾", "垃圾"],
    )
    texts = ["路灯坏", "垃圾多", "别的"]
    assert np.allclose(probabilities(pipeline, texts), pipeline.predict_proba(texts), atol=1e-5)


def test_chat_label_waits_for_enough_reports(demo_catalog: Catalog) -> None:
    """Against the list's text alone, a not-a-report label would learn "any sentence"."""
    chat = [LabelledText(text, NOT_A_REPORT) for text in ("收到", "辛苦了", "好的谢谢")]
    fresh = assemble(demo_catalog, chat)
    assert NOT_A_REPORT not in fresh.labels
    assert fresh.counts["example"] == 0
    codes = [item.code for item in demo_catalog.items]
    reports = [LabelledText(f"第{i}条上报内容", codes[i % len(codes)]) for i in range(60)]
    seasoned = assemble(demo_catalog, [*chat, *reports])
    assert fresh.labels[0] in seasoned.labels
    assert seasoned.labels.count(NOT_A_REPORT) == 3
    assert seasoned.counts["example"] == 63


def test_list_only_model_is_uncalibrated_and_still_ranks(demo_catalog: Catalog) -> None:
    model = train(demo_catalog, assemble(demo_catalog))
    assert model.calibration.temperature == 1.0
    assert model.calibration.folds == 0
    prediction = model.predict("东关社区门口电动车店把车都摆到人行道上了")
    assert prediction.top is not None
    assert "D04-002" in {item.code for item in prediction.items}
