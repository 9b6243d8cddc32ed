"""``aitrader users``: create the first admin and manage users from the shell."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from aitrader.cli.extras import ExtrasGroup
from aitrader.core.errors import AitraderError

if TYPE_CHECKING:
    from aitrader.api.auth.service import AuthService

users_app = typer.Typer(help="Manage API users (the database from DATABASE_URL).",
                        no_args_is_help=True, cls=ExtrasGroup)


def _auth() -> AuthService:
    from aitrader.api.auth.service import AuthService
    from aitrader.api.auth.tokens import TokenIssuer
    from aitrader.runtime.env_settings import EnvSettings
    from aitrader.storage.db import session_factory
    from aitrader.storage.migrate import upgrade_to_head

    engine = upgrade_to_head(EnvSettings().database_url)
    # the token issuer is not used to manage users; any key will do here
    return AuthService(session_factory(engine), TokenIssuer("users-cli", 60), 60, 60)


@users_app.command("create")
def create(
    username: str = typer.Argument(..., help="login name"),
    role: str = typer.Option("viewer", help="admin, trader or viewer"),
    password: str = typer.Option(None, help="omit to be asked (hidden)"),
) -> None:
    """Create a user (use --role admin for the first admin)."""
    from aitrader.api.auth.roles import Role
    from aitrader.api.errors import ApiError

    try:
        parsed = Role(role)
    except ValueError:
        typer.echo(f"error: role must be admin, trader or viewer, was {role!r}", err=True)
        raise typer.Exit(2) from None
    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        row = _auth().create_user(username, password, parsed)
    except (AitraderError, ApiError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"created user {row.username!r} (id {row.id}, role {row.role})")


@users_app.command("list")
def list_users() -> None:
    """Every user with role and state."""
    for row in _auth().users.all():
        state = "active" if row.active else "disabled"
        typer.echo(f"{row.id:>4}  {row.username:<24} {row.role:<8} {state}")


@users_app.command("passwd")
def passwd(
    username: str = typer.Argument(...),
    password: str = typer.Option(None, help="omit to be asked (hidden)"),
) -> None:
    """Set a new password (ends the user's sessions)."""
    auth = _auth()
    row = auth.users.by_name(username)
    if row is None:
        typer.echo(f"error: unknown user {username!r}", err=True)
        raise typer.Exit(2)
    if password is None:
        password = typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    try:
        auth.update_user(row.id, password=password)
    except AitraderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"password of {username!r} changed")
