"""Access tokens already verified, so a client that sends the same token on every request pays
for the HMAC check and the claims' parsing once. Keyed by the exact token string (a token
changed by one character is a different key and is verified afresh); an entry is used only
while the token is unexpired, by the claims' own ``exp``. What the token does not say —
whether its session is still open, whether its user is still active — is checked on every
request by the caller, never cached here."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

C = TypeVar("C")


class VerifiedTokenCache(Generic[C]):
    """At most ``capacity`` verified tokens (least recently used dropped first); thread-safe."""

    def __init__(self, capacity: int = 4096,
                 clock: Callable[[], float] = time.time) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, was {capacity}")
        self.capacity = capacity
        self._clock = clock
        self._items: OrderedDict[str, tuple[int, C]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> C | None:
        """The claims of a token verified before and not expired since, else None."""
        with self._lock:
            item = self._items.get(token)
            if item is None:
                return None
            expires_s, claims = item
            if expires_s <= self._clock():  # PyJWT's rule: expired once now >= exp
                del self._items[token]
                return None
            self._items.move_to_end(token)
            return claims

    def put(self, token: str, expires_s: int, claims: C) -> None:
        """Remember a token that has just passed verification."""
        with self._lock:
            self._items[token] = (expires_s, claims)
            self._items.move_to_end(token)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every token (e.g. when the signing key changes)."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
