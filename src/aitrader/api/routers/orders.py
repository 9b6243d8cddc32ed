"""Orders: place (idempotent with an Idempotency-Key), list with filters, get, cancel."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from aitrader.api.auth.roles import Role
from aitrader.api.context import ApiContext
from aitrader.api.deps import Ctx, Trader, Viewer, caller_with_role
from aitrader.api.errors import ResourceConflict, ResourceNotFound
from aitrader.api.query_models import documented_parameters, parse_query
from aitrader.api.schemas.orders import (
    OrderCreate,
    OrderDetail,
    OrderFilters,
    OrderPage,
    OrderPublic,
)
from aitrader.runtime import service_ops as ops

router = APIRouter(prefix="/api/orders", tags=["orders"])
OrderIdPath = Annotated[str, Path(min_length=1, max_length=128)]
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_\-\.:]+$",
    description="retries with the same key return the first response; no second order")]
_LISTS = frozenset({"status"})


@router.post("", response_model=OrderPublic, status_code=201,
             responses={409: {"description": "the key was used for a different request"}})
def place_order(body: OrderCreate, me: Trader, ctx: Ctx, response: Response,
                idempotency_key: IdempotencyKey = None) -> Any:
    """Place a manual order on an account; its state follows in GET and on the websocket."""
    coid: str | None = None
    request_hash = hashlib.sha256(body.model_dump_json().encode()).hexdigest()
    if idempotency_key is not None:
        stored = ctx.idempotency.get(me.user_id, idempotency_key)
        if stored is not None:
            return _replay(stored, request_hash, response)
        digest = hashlib.sha256(f"{me.user_id}:{idempotency_key}".encode()).hexdigest()
        coid = f"{ops.MANUAL}-k{digest[:24]}"
    spec = ops.ManualOrder(**body.model_dump())
    snapshot = ctx.service.call(lambda e: ops.place_order(e, spec, coid))
    public = OrderPublic.model_validate(snapshot)
    if idempotency_key is not None:
        stored = ctx.idempotency.put(me.user_id, idempotency_key, request_hash, 201,
                                     public.model_dump(mode="json"))
        if stored.request_hash != request_hash or stored.response["client_order_id"] != \
                public.client_order_id:
            return _replay(stored, request_hash, response)
    return public


def _replay(stored: Any, request_hash: str, response: Response) -> Any:
    if stored.request_hash != request_hash:
        raise ResourceConflict("Idempotency-Key was already used with a different request body")
    response.status_code = stored.status_code
    response.headers["Idempotent-Replayed"] = "true"
    return OrderPublic.model_validate(stored.response)


@router.get("", response_model=OrderPage,
            openapi_extra={"parameters": documented_parameters(OrderFilters)})
async def list_orders(_: Viewer, request: Request) -> Response:
    """Orders of the running system (also those of earlier runs), newest first."""
    return await _order_page(request)


async def list_orders_plain(request: Request) -> Response:
    """GET /api/orders as served: the hottest route, as a plain Starlette endpoint matched
    before FastAPI's routers (see ``plain_routes``), so a request skips FastAPI's routing and
    dependency resolution (~0.2 ms). The same caller check as ``Viewer``, the same query
    reading and the same answer as ``list_orders``, which documents it."""
    await caller_with_role(request, Role.VIEWER)
    return await _order_page(request)


def plain_routes() -> list[Route]:
    """The routes the app puts before its routers."""
    route = Route("/api/orders", list_orders_plain, methods=["GET"], include_in_schema=False)
    route.methods = {"GET"}  # no implicit HEAD: the documented route answers GET only
    return [route]


async def _order_page(request: Request) -> Response:
    # the query and context are read here, not by FastAPI's dependency machinery (see
    # aitrader.api.query_models)
    query = parse_query(OrderFilters, request, _LISTS)
    ctx: ApiContext = request.app.state.ctx
    filters: dict[str, Any] = {
        "status": [s.value for s in query.status] if query.status else None,
        "account_id": query.account_id, "strategy_id": query.strategy_id,
        "instrument_id": query.instrument_id,
        "side": None if query.side is None else query.side.value, "since_ns": query.since_ns,
        "until_ns": query.until_ns, "limit": query.limit, "offset": query.offset}
    limit, offset = query.limit, query.offset
    view = ctx.service.orders  # the in-memory read model, unless the journal outgrew it
    if not view.complete:
        rows, more = await run_in_threadpool(lambda: ctx.orders.list(**filters))
        page = OrderPage(items=[OrderPublic.model_validate(r) for r in rows], limit=limit,
                         offset=offset, next_offset=offset + limit if more else None)
        return Response(page.model_dump_json(), media_type="application/json")
    rows, more = view.list(**filters)
    # the page is assembled from per-order JSON cached until the order changes (the hot path)
    items = b",".join(view.encoded(rows, _encode))
    tail = {"limit": limit, "offset": offset, "next_offset": offset + limit if more else None}
    body = b'{"items":[' + items + b"]," + json.dumps(tail, separators=(",", ":"))[1:].encode()
    return Response(body, media_type="application/json")


def _encode(row: dict[str, Any]) -> bytes:
    return OrderPublic.model_validate(row).model_dump_json().encode()


@router.get("/{client_order_id}", response_model=OrderDetail)
def get_order(client_order_id: OrderIdPath, _: Viewer, ctx: Ctx) -> OrderDetail:
    """One order with its event history."""
    row = ctx.orders.get(client_order_id)
    if row is None:
        raise ResourceNotFound(f"unknown order {client_order_id}")
    return OrderDetail.model_validate(row)


@router.delete("/{client_order_id}", response_model=OrderPublic, status_code=202)
async def cancel_order(client_order_id: OrderIdPath, _: Trader, ctx: Ctx) -> OrderPublic:
    """Ask the venue to cancel; the confirmation follows as an order event."""
    snapshot = await ctx.service.acall(lambda e: ops.cancel_order(e, client_order_id))
    return OrderPublic.model_validate(snapshot)
