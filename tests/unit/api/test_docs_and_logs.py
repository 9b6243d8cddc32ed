"""The API docs work without internet access, and tokens never reach the server's log."""

from __future__ import annotations

import logging

from api_harness import Api

from aitrader.api.server import RedactTokens


def test_the_docs_page_loads_swagger_ui_from_the_server_itself(api: Api) -> None:
    page = api.client.get("/docs")
    assert page.status_code == 200
    assert "/docs-static/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text and "cdn." not in page.headers["content-security-policy"]
    js = api.client.get("/docs-static/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert api.client.get("/docs-static/swagger-ui.css").status_code == 200


def test_a_websocket_handshake_line_keeps_its_path_but_not_its_token() -> None:
    record = logging.LogRecord(
        "uvicorn.error", logging.INFO, __file__, 1, '%s - "WebSocket %s" [accepted]',
        ("127.0.0.1:5000", "/ws?token=eyJhbGciOi.secret.part&topics=pnl"), None)
    assert RedactTokens().filter(record) is True
    line = record.getMessage()
    assert "eyJhbGciOi" not in line
    assert "/ws?token=***&topics=pnl" in line
