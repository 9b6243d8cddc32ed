"""Every error as one JSON shape ``{"code", "detail", "errors"}`` with the right status; domain
errors are mapped here and only here (routers raise domain errors or :class:`ApiError`)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from aitrader.core import errors as de
from aitrader.ml import errors as me
from aitrader.runtime.service import ServiceStopped
from aitrader.runtime.service_ops import Conflict, NotFound
from aitrader.storage.auth_repository import DuplicateName

log = logging.getLogger("aitrader.system")


class ErrorBody(BaseModel):
    """What every error response carries."""

    code: str
    detail: str
    errors: list[dict[str, Any]] | None = None


class ApiError(Exception):
    """An error the API itself raises, with its status and a stable code."""

    status = 400
    code = "bad_request"

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers


class Unauthorized(ApiError):
    """No or bad credentials."""

    status, code = 401, "unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, {"WWW-Authenticate": "Bearer"})


class Forbidden(ApiError):
    """Authenticated, but the role or scope does not allow it."""

    status, code = 403, "forbidden"


class ResourceNotFound(ApiError):
    """No such resource."""

    status, code = 404, "not_found"


class ResourceConflict(ApiError):
    """The request clashes with the current state."""

    status, code = 409, "conflict"


class PayloadTooLarge(ApiError):
    """An upload over the limit."""

    status, code = 413, "payload_too_large"


class InvalidInput(ApiError):
    """Input that passed the schema but breaks a rule."""

    status, code = 422, "invalid"


class TooManyRequests(ApiError):
    """A rate limit was hit."""

    status, code = 429, "rate_limited"


# domain error → (status, code); the first matching class in this order wins
_DOMAIN: list[tuple[type[Exception], int, str]] = [
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (DuplicateName, 409, "conflict"),
    (ServiceStopped, 503, "engine_unavailable"),
    (me.UntrustedModelError, 403, "untrusted_model"),
    (me.ModelFormatError, 422, "invalid_model"),
    (me.FeatureMismatchError, 422, "feature_mismatch"),
    (me.RegistryError, 409, "model_registry_conflict"),
    (de.InvalidOrder, 422, "invalid_order"),
    (de.StrategyError, 422, "invalid_strategy"),
    (de.ConfigError, 422, "invalid_config"),
    (de.DataError, 422, "invalid_data"),
    (de.RateLimited, 503, "venue_rate_limited"),
    (de.VenueUnavailable, 503, "venue_unavailable"),
    (de.AuthenticationFailed, 502, "venue_auth_failed"),
    (de.OrderRejected, 422, "order_rejected"),
    (de.VenueError, 502, "venue_error"),
    (de.PersistenceError, 503, "storage_unavailable"),
    (de.AitraderError, 400, "error"),
]


def error_response(status: int, code: str, detail: str,
                   errors: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON error body."""
    body = ErrorBody(code=code, detail=detail, errors=errors).model_dump(exclude_none=True)
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    async def on_api_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)  # noqa: S101 - registered for ApiError only
        return error_response(exc.status, exc.code, exc.detail, headers=exc.headers)

    async def on_domain(_: Request, exc: Exception) -> JSONResponse:
        for cls, status, code in _DOMAIN:
            if isinstance(exc, cls):
                if status >= 500:
                    log.warning("%s: %s", type(exc).__name__, exc)
                return error_response(status, code, str(exc))
        return error_response(400, "error", str(exc))  # pragma: no cover - AitraderError last

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for it only
        items = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""),
                  "type": e.get("type", "")} for e in exc.errors()]
        summary = "; ".join(f"{'.'.join(str(p) for p in i['loc'])}: {i['msg']}" for i in items)
        return error_response(422, "validation_error", summary or "invalid request", items)

    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for it only
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail),
                              headers=getattr(exc, "headers", None))

    async def on_storage_refused(_: Request, exc: Exception) -> JSONResponse:
        # the database refused a value the schemas let through (a NUL, a number out of range)
        log.warning("storage refused a value: %s", str(exc).splitlines()[0][:200])
        return error_response(422, "invalid_value",
                              "a value cannot be stored (control characters or a number out "
                              "of range)")

    async def on_unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error: %s", type(exc).__name__)
        return error_response(500, "internal_error", "internal error; see the server log")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(de.AitraderError, on_domain)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(DataError, on_storage_refused)
    app.add_exception_handler(Exception, on_unexpected)
