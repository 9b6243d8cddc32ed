"""The websocket ``/ws``: authenticated clients receive P&L, orders, fills, positions, breaker
events, strategy events and prices as JSON messages ``{"topic", "data"}``.

Authenticate with ``?token=<access token or API key>`` (browsers cannot set headers on a
websocket). Choose topics with ``?topics=order,fill`` (default: all). Events come from the
engine thread; each client has a bounded queue, and a slow client loses its oldest messages
rather than slowing the engine."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect

from aitrader.api.auth.roles import Role
from aitrader.api.context import ApiContext
from aitrader.api.errors import ApiError
from aitrader.runtime import service_ops as ops

log = logging.getLogger("aitrader.system")
TOPICS = frozenset({"pnl", "order", "fill", "position", "breaker", "strategy", "price"})
QUEUE_SIZE = 1000
router = APIRouter()


class EventHub:
    """Fans engine events out to websocket clients on the event loop."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._clients: dict[int, tuple[asyncio.Queue[dict[str, Any]], frozenset[str]]] = {}

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver onto ``loop`` (the server's)."""
        self._loop = loop

    def listener(self, topic: str, payload: dict[str, Any]) -> None:
        """Called on any thread by the service."""
        loop = self._loop
        if loop is not None and self._clients and not loop.is_closed():
            loop.call_soon_threadsafe(self._fan_out, topic, payload)

    def _fan_out(self, topic: str, payload: dict[str, Any]) -> None:
        message = {"topic": topic, "data": payload}
        for queue, topics in self._clients.values():
            if topic in topics:
                if queue.full():
                    queue.get_nowait()  # drop the oldest for this slow client
                queue.put_nowait(message)

    def join(self, topics: frozenset[str]) -> tuple[int, asyncio.Queue[dict[str, Any]]]:
        """A new client's id and queue."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        client_id = id(queue)
        self._clients[client_id] = (queue, topics)
        return client_id, queue

    def leave(self, client_id: int) -> None:
        """Forget a client."""
        self._clients.pop(client_id, None)

    @property
    def clients(self) -> int:
        """Connected clients."""
        return len(self._clients)


@router.websocket("/ws")
async def stream(
    websocket: WebSocket,
    token: Annotated[str | None, Query(max_length=4096)] = None,
    topics: Annotated[str | None, Query(max_length=200)] = None,
) -> None:
    """Authenticate, send a snapshot, then stream events until the client leaves."""
    ctx: ApiContext = websocket.app.state.ctx
    hub: EventHub = websocket.app.state.hub
    header = websocket.headers.get("authorization", "")
    bearer = token or (header[7:] if header.lower().startswith("bearer ") else None)
    try:
        principal = ctx.auth.authenticate(bearer, websocket.headers.get("x-api-key"))
        if not principal.allows(Role.VIEWER):
            raise ApiError("the read scope is needed")
    except ApiError as exc:
        await websocket.close(code=4401, reason=exc.detail[:120])
        return
    wanted = TOPICS if not topics else frozenset(t.strip() for t in topics.split(",")) & TOPICS
    await websocket.accept()
    client_id, queue = hub.join(wanted)
    try:
        snapshot = await ctx.service.acall(lambda e: {
            "accounts": ops.list_accounts(e),
            "positions": [p for a in e.portfolio.accounts()
                          for p in ops.account_positions(e, a.id)],
            "strategies": ops.list_strategies(e)})
        await websocket.send_json({"topic": "snapshot", "data": _jsonable(snapshot)})
        receiver = asyncio.create_task(_drain_client(websocket))
        while not receiver.done():
            getter = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
            if getter in done:
                await websocket.send_json(getter.result())
            else:
                getter.cancel()
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        hub.leave(client_id)
        with contextlib.suppress(Exception):
            await websocket.close()


async def _drain_client(websocket: WebSocket) -> None:
    """Read (and ignore) client messages until it disconnects."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            await websocket.receive_text()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # Decimals as exact strings
