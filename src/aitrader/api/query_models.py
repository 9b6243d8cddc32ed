"""A query-parameter model read straight from the request, for the hottest routes: FastAPI's own
handling of query parameters costs ~0.2 ms per request for nine fields (it re-derives each
field's shape on every call), a single pydantic validation ~20 µs. Errors and the OpenAPI
document stay what FastAPI would give for ``Annotated[Model, Query()]``."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def documented_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The OpenAPI parameters FastAPI documents for ``Annotated[model, Query()]`` (derived by
    FastAPI itself on a throwaway route, so both stay the same)."""

    async def probe(query: Any) -> None:
        """Never served."""

    probe.__annotations__ = {"query": Annotated[model, Query()], "return": None}
    router = APIRouter()
    router.add_api_route("/probe", probe, methods=["GET"])
    schema = get_openapi(title="probe", version="0", routes=router.routes)
    params: list[dict[str, Any]] = schema["paths"]["/probe"]["get"]["parameters"]
    return params


def parse_query(model: type[M], request: Request, lists: frozenset[str] = frozenset()) -> M:
    """The model from the query string: the last value of a repeated key, every value of the
    keys in ``lists``; unknown keys ignored. RequestValidationError as FastAPI raises it."""
    params = request.query_params
    data: dict[str, Any] = dict(params)
    for key in lists:
        if key in data:
            data[key] = params.getlist(key)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])}
                                      for e in exc.errors(include_url=False)]) from None
