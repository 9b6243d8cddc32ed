"""Entry point of the ``aitrader`` command."""

from __future__ import annotations

import typer

from aitrader.cli.backtest_cmd import backtest
from aitrader.cli.data_cmd import data_app
from aitrader.cli.optimize_cmd import optimize
from aitrader.cli.report_cmd import report
from aitrader.cli.strategies_cmd import strategies
from aitrader.cli.up_cmd import up

app = typer.Typer(
    name="aitrader",
    help="Backtest, paper-trade and live-trade the same strategy code.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("backtest")(backtest)
app.command("strategies")(strategies)
app.command("up")(up)
app.add_typer(data_app, name="data")
app.command("optimize")(optimize)
app.command("report")(report)


@app.command("version")
def version() -> None:
    """Print the installed version."""
    from aitrader import __version__

    typer.echo(__version__)


if __name__ == "__main__":
    app()
