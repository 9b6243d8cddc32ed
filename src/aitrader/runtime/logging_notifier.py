"""The default alert channel: a warning on the ``aitrader.risk`` logger (real channels are
adapters in ``alerts/``)."""

from __future__ import annotations

import logging

log = logging.getLogger("aitrader.risk")


class LoggingNotifier:
    """Implements the Notifier port by logging each alert; keeps the last ones for status."""

    def __init__(self, keep: int = 100) -> None:
        self.sent: list[tuple[str, str]] = []
        self._keep = keep

    def notify(self, subject: str, body: str) -> None:
        """Log the alert."""
        log.warning("ALERT %s: %s", subject, body.replace("\n", " | "))
        self.sent.append((subject, body))
        del self.sent[: -self._keep]
