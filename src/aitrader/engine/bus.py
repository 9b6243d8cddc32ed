"""A synchronous, deterministic message bus with typed topics (the event's class)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

E = TypeVar("E")
Handler = Callable[[Any], None]


class MessageBus:
    """Handlers run in subscription order, synchronously, on the publisher's stack."""

    def __init__(self) -> None:
        self._handlers: dict[type, list[Handler]] = {}
        self._cache: dict[type, tuple[Handler, ...]] = {}

    def subscribe(self, topic: type[E], handler: Callable[[E], None]) -> None:
        """Call ``handler`` for every published instance of ``topic`` (and its subclasses)."""
        self._handlers.setdefault(topic, []).append(handler)
        self._cache.clear()

    def publish(self, message: object) -> None:
        """Deliver a message to every handler of its class and base classes."""
        kind = type(message)
        handlers = self._cache.get(kind)
        if handlers is None:
            handlers = tuple(h for base in kind.__mro__ for h in self._handlers.get(base, ()))
            self._cache[kind] = handlers
        for handler in handlers:
            handler(message)
