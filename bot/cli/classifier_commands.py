"""`whistle train`, `classify`, `who-owns` and `evaluate`: the classifier from the command line."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from bot.catalog import NoListError, load_current_catalog
from bot.classifier_runtime import (
    LoadedClassifier,
    heldout_file,
    load_for_current_list,
    shipped_examples_dir,
    train_from_database,
)
from bot.cli.common import CliError, err, load_settings, out, print_json, run
from bot.database import open_database
from bot.settings import Settings
from classifier import artifact
from classifier.engine import Prediction
from classifier.evaluation import (
    EvaluationInputError,
    evaluate_corpus,
    evaluate_reports,
    read_corpus,
    read_test_file,
)
from classifier.lookup import OwnerAnswer, lookup
from models.repositories.lists import ListRepository

JsonOption = Annotated[bool, typer.Option("--json", help="以 JSON 输出，便于程序读取。")]
NO_LIST = "尚未导入责任清单。请先运行：whistle import-list 清单文件夹（或 whistle demo）"


def train_command(
    examples: Annotated[
        list[Path] | None,
        typer.Option(
            "--examples",
            help="另外的样例文件夹（内含 text,item_code 两列的 CSV），可重复；内置样例总会使用。",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """训练分类模型：用当前清单、内置样例和已确认的案件，训练后保存到 WHISTLE_HOME。"""
    settings = load_settings()
    folders = [shipped_examples_dir(), *(examples or [])]
    for folder in folders[1:]:
        if not folder.is_dir():
            raise typer.BadParameter(f"不是文件夹：{folder}", param_hint="--examples")
    run(_train(settings, folders, as_json=as_json))


async def _train(settings: Settings, folders: list[Path], *, as_json: bool) -> None:
    with _spinner(disable=as_json) as progress:
        task = progress.add_task("准备", total=None)

        def step(message: str) -> None:
            progress.update(task, description=message)

        async with open_database(settings) as database, database.sessions() as session:
            try:
                outcome = await train_from_database(
                    ListRepository(session), example_dirs=folders, progress=step
                )
            except NoListError as error:
                raise CliError(NO_LIST) from error
        metrics: dict[str, object] = {"calibration": outcome.classifier.calibration.as_dict()}
        heldout = heldout_file()
        if heldout.is_file():
            step("用留出样例评估")
            reports = read_test_file(heldout, {i.code for i in outcome.classifier.catalog.items})
            metrics["heldout"] = evaluate_reports(outcome.classifier, reports)
        step("保存模型")
        meta = replace(outcome.meta, metrics=metrics)
        artifact.save(outcome.classifier, meta, settings.effective_model_dir)
    if as_json:
        print_json(
            {
                "model_dir": str(settings.effective_model_dir),
                **_meta_json(meta),
                "skipped_examples": outcome.skipped_examples,
            }
        )
        return
    counts = meta.training_counts
    out.print(
        f"[bold green]模型已训练并保存[/]：{settings.effective_model_dir}（{meta.model_id}）"
    )
    out.print(
        f"清单第 {meta.list_version} 版，{len(meta.labels)} 个类别；训练文本：清单自身 "
        f"{counts.get('list', 0)} 条，样例 {counts.get('example', 0)} 条，"
        f"已确认案件 {counts.get('case', 0)} 条"
    )
    calibration = meta.metrics.get("calibration") or {}
    if calibration.get("cv_item_top1") is not None:
        out.print(
            f"交叉验证（{calibration['examples']} 条样例，{calibration['folds']} 折）："
            f"事项首选正确率 {calibration['cv_item_top1']}，"
            f"部门正确率 {calibration['cv_department_top1']}；"
            f"置信度校准温度 {calibration['temperature']:.3f}"
        )
    if "heldout" in metrics:
        h = metrics["heldout"]
        out.print(
            f"留出样例（{h['n']} 条）：事项首选正确率 {h['item_top1']}，"
            f"前三命中率 {h['item_top3']}，部门正确率 {h['department_top1']}"
        )
    for line in outcome.skipped_examples[:10]:
        err.print(f"[yellow]已跳过[/] {line}")


def _meta_json(meta: artifact.ModelMeta) -> dict[str, object]:
    data = asdict(meta)
    data["label_count"] = len(data.pop("labels"))
    return data


def _spinner(*, disable: bool) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=disable,
    )


def classify_command(
    text: Annotated[
        str, typer.Argument(help="要分类的问题描述（一条上报内容）。", show_default=False)
    ],
    top: Annotated[int, typer.Option("--top", min=1, max=10, help="列出前几个候选事项。")] = 3,
    as_json: JsonOption = False,
) -> None:
    """把一条问题描述归到清单事项和牵头部门；把握不足时“弃权”，转指挥中心（非标准事项）。"""
    settings = load_settings()
    run(_classify(settings, text, top, as_json=as_json))


async def _classify(settings: Settings, text: str, top: int, *, as_json: bool) -> None:
    async with open_database(settings) as database, database.sessions() as session:
        loaded = await _load(settings, ListRepository(session))
    prediction = loaded.classifier.predict(text, top=top)
    if as_json:
        print_json({**prediction.as_json(), "model_id": loaded.meta.model_id})
    else:
        _print_prediction(prediction)


async def _load(settings: Settings, repository: ListRepository) -> LoadedClassifier:
    try:
        return await load_for_current_list(settings, repository)
    except artifact.ModelUnavailableError as error:
        raise CliError(str(error)) from error


def _print_prediction(prediction: Prediction) -> None:
    out.print(f"规范化文本：{prediction.normalized_text or '（空）'}")
    if prediction.abstained:
        reasons = {
            "empty": "内容为空或过短",
            "not_a_report": "看起来不是问题上报",
            "low_confidence": f"牵头部门把握不足（{prediction.confidence:.0%}）",
        }
        out.print(
            f"[bold yellow]弃权[/]（{reasons.get(prediction.abstain_reason or '', '')}）："
            "按非标准事项转县社会治理指挥中心派单。"
        )
    table = Table("排名", "编码", "事项", "牵头部门", "配合部门", "得分")
    for rank, item in enumerate(prediction.items, start=1):
        table.add_row(
            str(rank),
            item.code,
            item.name,
            item.lead_department,
            "、".join(item.cooperating_departments) or "无",
            f"{item.score:.3f}",
        )
    if prediction.items:
        out.print(table)


def who_owns_command(
    query: Annotated[
        str,
        typer.Argument(
            help="如：谁负责秸秆焚烧 / 违建归谁管 / D03-007 / 城管", show_default=False
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """查询某类问题归哪个部门管：按事项编码、部门名称或别名、问题描述查找。"""
    settings = load_settings()
    run(_who_owns(settings, query, as_json=as_json))


async def _who_owns(settings: Settings, query: str, *, as_json: bool) -> None:
    async with open_database(settings) as database, database.sessions() as session:
        repository = ListRepository(session)
        try:
            catalog = await load_current_catalog(repository)
        except NoListError as error:
            raise CliError(NO_LIST) from error
        try:
            classifier = (await load_for_current_list(settings, repository)).classifier
        except artifact.ModelUnavailableError:
            classifier = None  # names and keywords still answer; the model ranks better
    answer = lookup(query, catalog, classifier)
    if as_json:
        print_json(answer.as_json())
    else:
        _print_answer(answer)


def _print_answer(answer: OwnerAnswer) -> None:
    if answer.matched == "none":
        out.print("没有找到对应的清单事项。可以换个说法，或联系县社会治理指挥中心。")
        return
    if answer.department is not None:
        out.print(
            f"[bold]{answer.department.name}[/]（{answer.department.short_name}）"
            f"牵头 {len(answer.items)} 项，配合 {len(answer.cooperating_items)} 项："
        )
    for entry in answer.items:
        item = entry.item
        out.print(f"[bold]{item.code} {item.name}[/]（{item.kind}）")
        out.print(f"  牵头部门：{item.lead_department}")
        out.print(f"  配合部门：{'、'.join(item.cooperating_departments) or '无'}")
        out.print(f"  镇街职责：{item.township_duty}")
        out.print(
            f"  时限：派单后 {item.response_hours} 小时内签收，{item.resolve_days} 个工作日内办结"
        )
        out.print(f"  依据：{'、'.join(item.legal_basis) or '无'}")


def evaluate_command(
    test: Annotated[Path, typer.Option("--test", help="测试文件（CSV）。", show_default=False)],
    train: Annotated[
        Path | None,
        typer.Option("--train", help="另一语料的训练文件：给出时用同一流程只在它上面训练新模型。"),
    ] = None,
    text_column: Annotated[
        str, typer.Option("--text-column", help="文本所在列（配合 --train）。")
    ] = "text",
    label_column: Annotated[
        str, typer.Option("--label-column", help="标签所在列（配合 --train）。")
    ] = "label",
    as_json: JsonOption = False,
) -> None:
    """评估分类效果：默认用已训练的模型评估 text,item_code 测试文件；
    给出 --train 时用同一流程在外部语料上训练并评估。"""
    settings = load_settings()
    if train is not None:
        try:
            train_texts, train_labels = read_corpus(train, text_column, label_column)
            test_texts, test_labels = read_corpus(test, text_column, label_column)
        except EvaluationInputError as error:
            raise typer.BadParameter(str(error)) from error
        with _spinner(disable=as_json) as progress:
            progress.add_task(f"在 {len(train_texts)} 条文本上训练并评估", total=None)
            result = evaluate_corpus(train_texts, train_labels, test_texts, test_labels)
        _print_metrics(result, as_json=as_json)
        return
    run(_evaluate(settings, test, as_json=as_json))


async def _evaluate(settings: Settings, test: Path, *, as_json: bool) -> None:
    async with open_database(settings) as database, database.sessions() as session:
        loaded = await _load(settings, ListRepository(session))
    try:
        reports = read_test_file(test, {item.code for item in loaded.classifier.catalog.items})
    except EvaluationInputError as error:
        raise CliError(str(error)) from error
    with Progress(
        TextColumn("评估"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=as_json,
    ) as progress:
        task = progress.add_task("评估", total=len(reports))
        result = evaluate_reports(
            loaded.classifier,
            reports,
            load_seconds=loaded.load_seconds,
            progress=lambda done, _total: progress.update(task, completed=done),
        )
    _print_metrics(result, as_json=as_json)


def _print_metrics(result: dict[str, object], *, as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    table = Table("指标", "数值", title="评估结果", title_justify="left")
    for key, value in result.items():
        if key != "per_label":
            table.add_row(key, str(value))
    out.print(table)
    per_label = result.get("per_label")
    if isinstance(per_label, dict):
        labels = Table("类别", "precision", "recall", "f1", "support")
        for label, row in per_label.items():
            labels.add_row(label, *(str(row[k]) for k in ("precision", "recall", "f1", "support")))
        out.print(labels)
