"""``aitrader ml ...`` (train, export-onnx, ab, retrain) and ``aitrader models ...`` (registry)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from aitrader.cli.extras import ExtrasGroup
from aitrader.core.errors import AitraderError

if TYPE_CHECKING:  # imported lazily at run time: the CLI starts without the ML libraries
    from aitrader.ml.registry import ModelRegistry

ml_app = typer.Typer(help="Train, export, A/B-test and retrain ML models.", no_args_is_help=True,
                     cls=ExtrasGroup)
models_app = typer.Typer(help="The model registry: list, show, promote, delete, import, export.",
                         no_args_is_help=True, cls=ExtrasGroup)

_STORE = typer.Option(None, "--store", help="model store dir (default: $AITRADER_DATA_DIR/models)")


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(1)


def _registry(store: Path | None) -> ModelRegistry:
    from aitrader.runtime.env_settings import EnvSettings
    from aitrader.runtime.ml_wiring import open_model_registry

    env = EnvSettings()
    return open_model_registry(env.database_url, store or env.data_dir / "models")


@ml_app.command("train")
def train_cmd(config: Path = typer.Option(..., "--config", "-c", help="training YAML"),
              out: Path | None = typer.Option(None, help="output dir (default from config)"),
              register: bool = typer.Option(True, help="register the model (stage staging)"),
              store: Path | None = _STORE) -> None:
    """Train with walk-forward/purged CV; write model files and report.json/report.html."""
    from aitrader.ml.train_config import TrainConfig
    from aitrader.runtime.ml_wiring import train_from_config

    try:
        cfg = TrainConfig.from_file(config)
        run = train_from_config(cfg, _registry(store) if register else None, out)
    except AitraderError as exc:
        raise _fail(exc) from None
    typer.echo(f"{'model':<22}{'accuracy':>10}{'log_loss':>10}{'f1':>8}{'net_ret':>10}"
               "   (out-of-sample means)")
    for ev in run.result.evaluations:
        m = ev.mean
        mark = " *" if ev.algorithm == run.result.best else ""
        typer.echo(f"{ev.algorithm + mark:<22}{m['accuracy']:>10.4f}{m['log_loss']:>10.4f}"
                   f"{m['f1']:>8.4f}{m.get('net_return', float('nan')):>10.4f}")
    typer.echo(f"report: {run.report_path} (+ report.html)")
    for line in run.artifacts.get("registered", []):
        typer.echo(f"registered: {line}")


@ml_app.command("export-onnx")
def export_onnx_cmd(name: str, version: int = typer.Option(..., "--version", "-v"),
                    store: Path | None = _STORE) -> None:
    """Export a registered scikit-learn/LightGBM version to ONNX and register it as NAME-onnx."""
    import tempfile

    from aitrader.ml.artifacts import export_onnx

    try:
        reg = _registry(store)
        v = reg.get(name, version)
        pred = reg.load(name, version)
        model = getattr(pred, "model", None)
        if model is None:
            raise AitraderError(f"model {name} v{version} is {v.format}; only sklearn/LightGBM "
                                "versions export to ONNX")
        import numpy as np

        meta = v.metadata.model_copy(update={"name": f"{name}-onnx", "format": "onnx"})
        with tempfile.TemporaryDirectory() as tmp:
            x = np.random.default_rng(0).normal(size=(256, len(meta.feature_names))) * 0.01
            path, diff = export_onnx(model, meta, x, Path(tmp) / "model.onnx")
            new = reg.register_file(path, trusted=False, source=f"ONNX of {name} v{version}")
    except AitraderError as exc:
        raise _fail(exc) from None
    typer.echo(f"registered {new.name} v{new.version} ({new.stage}); max |Δp| vs native {diff:.2e}")


def _version_ref(text: str) -> tuple[str, int | None]:
    name, _, version = text.partition(":")
    if version and not version.isdigit():
        raise typer.BadParameter(f"model must look like NAME or NAME:VERSION, was {text!r}")
    return name, int(version) if version else None


@ml_app.command("ab")
def ab_cmd(data: Path = typer.Option(..., "--data", "-d", help="bar file (CSV/parquet)"),
           champion: str = typer.Option(..., help="NAME[:VERSION] (default: production)"),
           challenger: str = typer.Option(..., help="NAME[:VERSION] (default: newest)"),
           timeframe: str = typer.Option("", help="resample to this timeframe first"),
           start: str = typer.Option("", help="first bar, ISO date/time UTC"),
           end: str = typer.Option("", help="end (exclusive), ISO date/time UTC"),
           period_bars: int = typer.Option(96, help="bars per period in the paired test"),
           alpha: float = typer.Option(0.05, help="significance level (one-sided)"),
           out: Path = typer.Option(Path("ab.json"), help="report JSON for models promote"),
           store: Path | None = _STORE) -> None:
    """Champion vs challenger in parallel backtests on the same bars; a paired test decides."""
    from aitrader.data.resample import resample
    from aitrader.data.timeframes import parse_timeframe
    from aitrader.runtime.backtest_files import load_backtest_bars
    from aitrader.runtime.ml_ab import run_ab_backtest

    try:
        reg = _registry(store)
        (c_name, c_ver), (n_name, n_ver) = _version_ref(champion), _version_ref(challenger)
        champ_v = reg.get(c_name, c_ver, None if c_ver else "production")
        chall_v = reg.get(n_name, n_ver)
        bars = load_backtest_bars(data, None, start or None, end or None)
        if timeframe and parse_timeframe(timeframe) != bars.timeframe_ns:
            bars = resample(bars, parse_timeframe(timeframe))
        report = run_ab_backtest(
            bars, reg.load(champ_v.name, champ_v.version), reg.load(chall_v.name, chall_v.version),
            champion_name=f"{champ_v.name}:{champ_v.version}",
            challenger_name=f"{chall_v.name}:{chall_v.version}", period_bars=period_bars,
            alpha=alpha)
    except AitraderError as exc:
        raise _fail(exc) from None
    out.write_text(json.dumps(report.to_dict(), indent=2))
    typer.echo(f"{report.champion} {report.champion_total_return:+.4%} vs {report.challenger} "
               f"{report.challenger_total_return:+.4%} over {report.periods} periods")
    typer.echo(f"{'PROMOTION ALLOWED' if report.promotion_allowed else 'KEEP CHAMPION'}: "
               f"{report.reason}\nreport: {out}")


@ml_app.command("backtest")
def backtest_cmd(model: str = typer.Option(..., help="NAME[:VERSION] (default: production, "
                                                  "else newest)"),
                 data: Path = typer.Option(..., "--data", "-d", help="bar file (CSV/parquet)"),
                 symbol: str = typer.Option("BTC/USDT"),
                 timeframe: str = typer.Option("", help="resample to this timeframe first"),
                 start: str = typer.Option("", help="first bar, ISO date/time UTC"),
                 end: str = typer.Option("", help="end (exclusive), ISO date/time UTC"),
                 param: list[str] = typer.Option([], "--param", "-p",
                                                 help="ml_classifier parameter name=value"),
                 fee: float = typer.Option(0.001, help="taker fee rate"),
                 out: Path = typer.Option(Path("runs/ml-backtest"), help="output folder"),
                 store: Path | None = _STORE) -> None:
    """Backtest the ml_classifier strategy with a registered model through the event engine."""
    from decimal import Decimal

    from aitrader.data.resample import resample
    from aitrader.data.timeframes import parse_timeframe
    from aitrader.ml.errors import RegistryError
    from aitrader.runtime.backtest_files import load_backtest_bars, write_backtest_outputs
    from aitrader.runtime.ml_wiring import run_ml_backtest

    params = {}
    for item in param:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"--param must look like name=value, was {item!r}")
        params[key.strip()] = value.strip()
    try:
        reg = _registry(store)
        name, version = _version_ref(model)
        try:
            v = reg.get(name, version, None if version else "production")
        except RegistryError:
            v = reg.get(name, version)
        bars = load_backtest_bars(data, None, start or None, end or None)
        if timeframe and parse_timeframe(timeframe) != bars.timeframe_ns:
            bars = resample(bars, parse_timeframe(timeframe))
        result = run_ml_backtest(bars, reg.load(v.name, v.version), params, symbol=symbol,
                                 fee_rate=Decimal(repr(fee)))
    except AitraderError as exc:
        raise _fail(exc) from None
    write_backtest_outputs(result, out)
    s = result.stats
    typer.echo(f"{v.name} v{v.version} ({v.format}) on {result.bars_processed} bars: "
               f"{len(result.trades)} trades, total return {s.total_return:+.4%}, "
               f"max drawdown {s.max_drawdown:.4%}; files in {out}")


@ml_app.command("retrain")
def retrain_cmd(config: Path = typer.Option(..., "--config", "-c"),
                store: Path | None = _STORE) -> None:
    """One scheduled check: retrain when due or drifted; the new version goes to staging."""
    from aitrader.ml.train_config import TrainConfig
    from aitrader.runtime.ml_retrain import retrain_once
    from aitrader.runtime.ml_wiring import load_training_bars

    try:
        cfg = TrainConfig.from_file(config)
        bars, _extra = load_training_bars(cfg)
        now = int(bars.ts_ns[-1] + bars.timeframe_ns)
        out = retrain_once(cfg, _registry(store), bars, now)
    except AitraderError as exc:
        raise _fail(exc) from None
    for reason in out.decision.reasons or ["not due, no drift"]:
        typer.echo(reason)
    if out.new_version is not None:
        typer.echo(f"new version {out.new_version.name} v{out.new_version.version} in "
                   f"{out.new_version.stage}; production unchanged")


@models_app.command("list")
def list_cmd(name: str | None = typer.Argument(None), store: Path | None = _STORE) -> None:
    """Every registered version."""
    try:
        versions = _registry(store).list(name)
    except AitraderError as exc:
        raise _fail(exc) from None
    typer.echo(f"{'name':<28}{'ver':>4}  {'stage':<11}{'format':<12}{'sha256':<14}created")
    for v in versions:
        created = time.strftime("%Y-%m-%d %H:%M", time.gmtime(v.created_ns / 1e9))
        typer.echo(f"{v.name:<28}{v.version:>4}  {v.stage:<11}{v.format:<12}"
                   f"{v.content_sha256[:12]:<14}{created}")


@models_app.command("show")
def show_cmd(name: str, version: int | None = typer.Option(None, "--version", "-v"),
             store: Path | None = _STORE) -> None:
    """One version as JSON (metadata, metrics, data range, hash, stage)."""
    try:
        v = _registry(store).get(name, version)
    except AitraderError as exc:
        raise _fail(exc) from None
    typer.echo(json.dumps({"name": v.name, "version": v.version, "stage": v.stage,
                           "format": v.format, "sha256": v.content_sha256, "file": v.file_path,
                           "data_start_ns": v.data_start_ns, "data_end_ns": v.data_end_ns,
                           "metrics": v.metrics, "source": v.source,
                           "metadata": v.metadata.model_dump(mode="json")}, indent=2))


@models_app.command("promote")
def promote_cmd(name: str, version: int = typer.Option(..., "--version", "-v"),
                stage: str = typer.Option("production", help="staging|production|archived"),
                ab_report: Path | None = typer.Option(
                    None, help="A/B report JSON that must allow the promotion"),
                store: Path | None = _STORE) -> None:
    """Move a version to a stage; to production only with a passing A/B report when given."""
    try:
        if ab_report is not None:
            report = json.loads(ab_report.read_text())
            if not report.get("promotion_allowed"):
                raise AitraderError(f"A/B gate: {report.get('reason', 'promotion not allowed')}")
        from aitrader.ml.registry import STAGES

        if stage not in STAGES:
            raise AitraderError(f"--stage must be one of {', '.join(STAGES)}, was {stage!r}")
        v = _registry(store).promote(name, version, stage)
    except (AitraderError, OSError, ValueError) as exc:
        raise _fail(exc) from None
    typer.echo(f"{v.name} v{v.version} is now {v.stage}")


@models_app.command("delete")
def delete_cmd(name: str, version: int = typer.Option(..., "--version", "-v"),
               force: bool = typer.Option(False, help="also delete a production version"),
               store: Path | None = _STORE) -> None:
    """Delete a version and its files."""
    try:
        _registry(store).delete(name, version, force=force)
    except AitraderError as exc:
        raise _fail(exc) from None
    typer.echo(f"deleted {name} v{version}")


@models_app.command("import")
def import_cmd(path: Path, meta: Path | None = typer.Option(None, help="metadata JSON file"),
               store: Path | None = _STORE) -> None:
    """Register a local model file (a trusted local path: pickles are accepted here)."""
    from aitrader.ml.model_metadata import ModelMetadata

    try:
        metadata = None if meta is None else ModelMetadata.from_json(meta.read_text(), str(meta))
        v = _registry(store).register_file(path, metadata, trusted=True, source=str(path))
    except (AitraderError, OSError) as exc:
        raise _fail(exc) from None
    typer.echo(f"registered {v.name} v{v.version} ({v.stage}, {v.format}, "
               f"sha256 {v.content_sha256[:12]})")


@models_app.command("export")
def export_cmd(name: str, version: int = typer.Option(..., "--version", "-v"),
               to: Path = typer.Option(Path("."), "--to"), store: Path | None = _STORE) -> None:
    """Copy a version's file and metadata sidecar out of the store."""
    try:
        out = _registry(store).export(name, version, to)
    except AitraderError as exc:
        raise _fail(exc) from None
    typer.echo(f"exported {out}")
