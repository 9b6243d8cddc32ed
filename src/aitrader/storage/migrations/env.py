"""Alembic environment: uses the connection handed over by migrate.py, or the URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from aitrader.storage import auth_models as _auth_models  # noqa: F401 - registers the tables
from aitrader.storage import (
    ml_models,  # noqa: F401  (registers the model registry tables)
    risk_models,  # noqa: F401 - registers the risk tables
)
from aitrader.storage.db import make_engine
from aitrader.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      compare_type=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    with make_engine(config.get_main_option("sqlalchemy.url") or "").connect() as conn:
        _run(conn)
