"""A local HTTP + websocket server on 127.0.0.1 that answers like an exchange, replaying recorded
payloads (ccxt's own static fixtures, see :class:`CcxtFixtures`).

Point a ccxt client at it by rewriting its ``urls['api']`` (``CcxtVenueConfig.endpoint_override``
does that): ``https://api.kraken.com/0/private/AddOrder`` then arrives here as
``/api.kraken.com/0/private/AddOrder``. Routes match on the end of the path; each route replays
its replies in order and repeats the last one. A reply can also drop the connection without an
answer (a link lost in the middle of a request) or answer with an HTTP error status.
"""

from __future__ import annotations

import asyncio
import copy
import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    body: str
    headers: dict[str, str]
    received_s: float = 0.0  # time.monotonic() on arrival


@dataclass(frozen=True)
class Reply:
    """An answer: a JSON-able ``body`` (or text), an HTTP status, or a dropped connection."""

    body: Any = None
    status: int = 200
    drop: bool = False
    delay_s: float = 0.0


Responder = Callable[[RecordedRequest], Reply]


@dataclass
class _Route:
    suffix: str
    method: str | None
    replies: list[Reply | Responder]
    served: int = 0

    def next(self) -> Reply | Responder:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


@dataclass
class _Socket:
    suffix: str
    messages: list[Any]
    hang_up_after: int | None
    received: list[str] = field(default_factory=list)
    connections: int = 0


class ExchangeServer:
    """Serves recorded exchange payloads over HTTP and websockets until :meth:`stop`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._routes: list[_Route] = []
        self._sockets: list[_Socket] = []
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._started = threading.Event()
        self._stopped: asyncio.Event | None = None

    # --- lifecycle ------------------------------------------------------------------------------
    def start(self) -> ExchangeServer:
        """Listen (port 0 picks a free port) on a background thread."""
        self._thread = threading.Thread(target=self._serve, name="exchange-server", daemon=True)
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError("exchange server did not start within 10 s")
        return self

    def stop(self) -> None:
        """Stop listening and join the thread."""
        if self._loop is not None and self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
        if self._thread is not None:
            self._thread.join(10)
        self._thread = None

    def __enter__(self) -> ExchangeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: the value for ``endpoint_override``."""
        return f"http://{self._host}:{self._port}"

    # --- script ---------------------------------------------------------------------------------
    def on(self, suffix: str, *replies: Reply | Responder, method: str | None = None) -> None:
        """Answer requests whose path ends with ``suffix``; the last reply repeats."""
        if not replies:
            raise ValueError(f"route {suffix!r} needs at least one reply")
        with self._lock:
            self._routes = [r for r in self._routes if (r.suffix, r.method) != (suffix, method)]
            self._routes.append(_Route(suffix, method, list(replies)))

    def on_websocket(self, suffix: str, messages: Sequence[Any],
                     hang_up_after: int | None = None) -> None:
        """Replay ``messages`` (JSON-able or text) to every websocket opened at ``suffix``;
        ``hang_up_after``: close each connection once it received that many messages."""
        with self._lock:
            self._sockets.append(_Socket(suffix, list(messages), hang_up_after))

    def websocket_log(self, suffix: str = "") -> tuple[int, list[str]]:
        """(connections opened, messages the clients sent) at ``suffix``."""
        with self._lock:
            found = [s for s in self._sockets if s.suffix == suffix]
            return (sum(s.connections for s in found),
                    [m for s in found for m in s.received])

    def requests(self, suffix: str = "") -> list[RecordedRequest]:
        """Requests received so far whose path ends with ``suffix``."""
        with self._lock:
            return [r for r in self._requests if r.path.endswith(suffix)]

    # --- serving --------------------------------------------------------------------------------
    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        loop.run_until_complete(self._main())
        loop.close()

    async def _main(self) -> None:
        self._stopped = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        server = site._server  # aiohttp exposes the bound port only here
        if server is not None and self._port == 0:
            sockets = getattr(server, "sockets", None) or []
            self._port = int(sockets[0].getsockname()[1])
        self._started.set()
        await self._stopped.wait()
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self._handle_ws(request)
        body = await request.text()
        form = dict(parse_qsl(body)) if "urlencoded" in request.content_type else {}
        recorded = RecordedRequest(request.method, request.path, dict(request.query), form, body,
                                   dict(request.headers), time.monotonic())
        with self._lock:
            self._requests.append(recorded)
            route = self._match(request.path, request.method)
            reply = route.next() if route is not None else None
        if reply is None:
            return web.Response(status=404, text=f"no recorded payload for {request.method} "
                                                 f"{request.path}")
        answer = reply(recorded) if callable(reply) else reply
        if answer.delay_s:
            await asyncio.sleep(answer.delay_s)
        if answer.drop:
            if request.transport is not None:
                request.transport.abort()  # the link dies before any answer
            raise asyncio.CancelledError
        text = answer.body if isinstance(answer.body, str) else json.dumps(answer.body)
        return web.Response(status=answer.status, text=text, content_type="application/json")

    def _match(self, path: str, method: str) -> _Route | None:
        best: _Route | None = None
        for route in self._routes:
            if path.endswith(route.suffix) and route.method in (None, method) and (
                    best is None or len(route.suffix) > len(best.suffix)):
                best = route
        return best

    async def _handle_ws(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            script = next((s for s in self._sockets if request.path.endswith(s.suffix)), None)

        ws = web.WebSocketResponse()
        await ws.prepare(request)
        if script is None:
            await ws.close()
            return ws
        with self._lock:
            script.connections += 1
        for message in script.messages:
            await ws.send_str(message if isinstance(message, str) else json.dumps(message))
        heard = 0
        async for msg in ws:
            if msg.type is WSMsgType.TEXT:
                with self._lock:
                    script.received.append(msg.data)
                heard += 1
                if script.hang_up_after is not None and heard >= script.hang_up_after:
                    await ws.close()
                    break
        return ws


class CcxtFixtures:
    """ccxt's recorded static fixtures: ``<root>/{request,response,markets,currencies}/<id>.json``
    (see ``shared/fixtures/README.md``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def has(self, exchange: str, *kinds: str) -> bool:
        """True when every listed kind of fixture exists for the exchange."""
        return all((self.root / kind / f"{exchange}.json").is_file() for kind in kinds)

    def _load(self, kind: str, exchange: str) -> dict[str, Any]:
        path = self.root / kind / f"{exchange}.json"
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def case(self, exchange: str, method: str, description: str | None = None) -> dict[str, Any]:
        """One recorded response case (deep copy): ``input``, ``httpResponse``, ``parsedResponse``.
        """
        cases = self._load("response", exchange)["methods"].get(method) or []
        for item in cases:
            if description is None or item.get("description") == description:
                return copy.deepcopy(item)
        raise KeyError(f"no {exchange} {method} response case {description!r} in {self.root}")

    def http_response(self, exchange: str, method: str,
                      description: str | None = None) -> Any:
        """The exchange's recorded response body of one case (a deep copy, free to patch)."""
        return self.case(exchange, method, description)["httpResponse"]

    def request_cases(self, exchange: str, method: str) -> list[dict[str, Any]]:
        """Recorded outgoing requests of a unified method (url, body)."""
        return list(self._load("request", exchange)["methods"].get(method) or [])

    def markets(self, exchange: str) -> dict[str, Any]:
        """Unified markets as ``load_markets()`` returns them (raw ``info`` included)."""
        return self._load("markets", exchange)

    def currencies(self, exchange: str) -> dict[str, Any]:
        """Unified currencies as ``fetch_currencies()`` returns them."""
        return self._load("currencies", exchange)


def json_reply(body: Mapping[str, Any] | Sequence[Any], status: int = 200) -> Reply:
    """A JSON reply."""
    return Reply(body, status)
