"""The REST API and websocket (FastAPI): app, deps, routers per resource, schemas, auth, ws and
errors (domain error → HTTP status). Talks to the running engine only through
``runtime.service.TradingService``. May import runtime, storage and lower tiers; never tasks
or cli (task runners are handed in through the ``TaskQueue`` port)."""
