"""ccxt logs every request at DEBUG, headers included (the API key, signatures): each venue
gives its ccxt client a logger of its own whose filter blanks the venue's credentials."""

from __future__ import annotations

import logging
from collections.abc import Iterable

REDACTED = "***"


class SecretRedactor(logging.Filter):
    """Replaces each configured secret in a record's message with ``***``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; rewrite it when it mentions a secret."""
        if not self._secrets:
            return True
        message = record.getMessage()
        if any(s in message for s in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, REDACTED)
            record.msg = message
            record.args = None
        return True


def redacted_logger(venue_name: str, secrets: Iterable[str]) -> logging.Logger:
    """The logger a venue's ccxt client writes to, credentials blanked."""
    logger = logging.getLogger(f"aitrader.trading.ccxt.{venue_name}")
    for old in [f for f in logger.filters if isinstance(f, SecretRedactor)]:
        logger.removeFilter(old)
    logger.addFilter(SecretRedactor(secrets))
    return logger
