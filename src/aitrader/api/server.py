"""Build the API's context over running service parts, make sure a first admin exists, and
serve with uvicorn."""

from __future__ import annotations

import logging
import re
import secrets
from pathlib import Path
from typing import Any

import uvicorn

from aitrader.api.app import create_app
from aitrader.api.auth.roles import Role
from aitrader.api.auth.service import AuthService
from aitrader.api.auth.tokens import TokenIssuer
from aitrader.api.config import ApiSettings, resolve_secrets
from aitrader.api.context import ApiContext, TaskQueue
from aitrader.runtime.gc_tuning import freeze_startup_heap
from aitrader.runtime.service_build import ServiceParts


def build_context(parts: ServiceParts, tasks: TaskQueue,
                  settings: ApiSettings | None = None) -> ApiContext:
    """Secrets (refused when default outside dev), auth and repositories."""
    settings = settings or ApiSettings()
    data_dir = parts.settings.env.data_dir
    keys = resolve_secrets(settings, data_dir)
    auth = AuthService(parts.store.sessions, TokenIssuer(keys.jwt_key,
                                                         settings.access_token_ttl_s),
                       settings.session_idle_timeout_s, settings.session_max_s)
    return ApiContext(settings, keys, parts, auth, tasks, data_dir)


def ensure_first_admin(ctx: ApiContext) -> str | None:
    """With no user yet: create AITRADER_ADMIN_USER / AITRADER_ADMIN_PASSWORD, or an 'admin'
    with a generated password. Returns what to tell the person starting the server (the
    generated password is shown this once and never stored in plaintext)."""
    if ctx.auth.users.count() > 0:
        return None
    s = ctx.settings
    if s.admin_user and s.admin_password is not None:
        ctx.auth.create_user(s.admin_user, s.admin_password.get_secret_value(), Role.ADMIN)
        return f"created admin user {s.admin_user!r} from AITRADER_ADMIN_USER"
    password = secrets.token_urlsafe(15)
    ctx.auth.create_user("admin", password, Role.ADMIN)
    return (f"created the first admin: username 'admin', password '{password}' (shown once; "
            "change it with `aitrader users passwd admin` or create your own admin with "
            "`aitrader users create NAME --role admin`)")


def serve(ctx: ApiContext, host: str, port: int, log_level: str = "info") -> None:
    """Run uvicorn until Ctrl-C (TLS when AITRADER_TLS_CERTFILE/KEYFILE are set)."""
    app = create_app(ctx)
    s = ctx.settings
    ssl: dict[str, Any] = {}
    if s.tls_certfile is not None and s.tls_keyfile is not None:
        ssl = {"ssl_certfile": str(s.tls_certfile), "ssl_keyfile": str(s.tls_keyfile)}
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level.lower(),
                            proxy_headers=False, server_header=False, access_log=False, **ssl)
    # uvicorn logs each websocket handshake with its query string, where the token travels
    logging.getLogger("uvicorn.error").addFilter(RedactTokens())
    server = uvicorn.Server(config)
    config.load()  # uvicorn's protocol classes and app wrappers, imported before the freeze
    freeze_startup_heap()  # the start-up heap out of the collector's way (the p99 pauses)
    server.run()


class RedactTokens(logging.Filter):
    """Replaces ``token=...`` / ``api_key=...`` values in log records with ``***``."""

    _PATTERN = re.compile(r"((?:token|api_key|access_token)=)[^&\s\"']+")

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the message and its arguments in place; never drops a record."""
        if isinstance(record.args, tuple):
            record.args = tuple(self._PATTERN.sub(r"\1***", a) if isinstance(a, str) else a
                                for a in record.args)
        if isinstance(record.msg, str):
            record.msg = self._PATTERN.sub(r"\1***", record.msg)
        return True


def url_of(ctx: ApiContext, host: str, port: int) -> str:
    """Where the dashboard and API answer."""
    scheme = "https" if ctx.settings.tls_certfile is not None else "http"
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - display only
    return f"{scheme}://{shown}:{port}"


def dist_present(settings: ApiSettings) -> bool:
    """True when the dashboard has been built."""
    return Path(settings.frontend_dist, "index.html").is_file()
