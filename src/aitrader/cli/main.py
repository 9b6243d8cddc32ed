"""Entry point of the ``aitrader`` command."""

from __future__ import annotations

import typer

from aitrader.cli.api_cmd import api_app
from aitrader.cli.backtest_cmd import backtest
from aitrader.cli.data_cmd import data_app
from aitrader.cli.dom_cmd import book_backtest
from aitrader.cli.extras import ExtrasGroup
from aitrader.cli.lookahead_cmd import lookahead_check
from aitrader.cli.ml_cmd import ml_app, models_app
from aitrader.cli.optimize_cmd import optimize
from aitrader.cli.paper_live_cmd import paper_live
from aitrader.cli.report_cmd import report
from aitrader.cli.risk_cmd import risk_app
from aitrader.cli.smc_cmd import smc_annotate
from aitrader.cli.strategies_cmd import strategies
from aitrader.cli.up_cmd import up
from aitrader.cli.users_cmd import users_app
from aitrader.cli.worker_cmd import beat, worker

app = typer.Typer(
    name="aitrader",
    help="Backtest, paper-trade and live-trade the same strategy code.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=ExtrasGroup,
)
app.command("backtest")(backtest)
app.command("strategies")(strategies)
app.command("up")(up)
app.command("smc-annotate")(smc_annotate)
app.command("book-backtest")(book_backtest)
app.command("paper-live")(paper_live)
app.command("lookahead-check")(lookahead_check)
app.add_typer(data_app, name="data")
app.add_typer(risk_app, name="risk")
app.add_typer(ml_app, name="ml")
app.add_typer(models_app, name="models")
app.command("optimize")(optimize)
app.add_typer(users_app, name="users")
app.command("worker")(worker)
app.command("beat")(beat)
app.add_typer(api_app, name="api")
app.command("report")(report)


@app.command("version")
def version() -> None:
    """Print the installed version."""
    from aitrader import __version__

    typer.echo(__version__)


if __name__ == "__main__":
    app()
