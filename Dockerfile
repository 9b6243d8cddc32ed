# syntax=docker/dockerfile:1
# aitrader: the API + dashboard + paper trading (`aitrader up`), or a Celery worker
# (`aitrader worker`) from the same image. compose.yaml runs both against PostgreSQL and Redis.
#   docker build -t aitrader .        (EXTRAS=api for a smaller image: no ML/research/brokers)

# --- the dashboard's static files ---------------------------------------------------------------
FROM node:20-bookworm-slim AS dashboard
WORKDIR /frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
RUN npm run build

# --- the Python service -------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ARG EXTRAS=all
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# a C compiler for the mypyc build of the engine core (scripts/build_native.py)
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src/ src/
COPY scripts/ scripts/
COPY config/ config/
RUN python -m venv .venv \
    && .venv/bin/pip install -e ".[${EXTRAS}]" \
    && .venv/bin/python scripts/build_native.py --require
COPY --from=dashboard /frontend/dist/ frontend/dist/
RUN useradd --system --create-home --uid 10001 aitrader \
    && mkdir -p var \
    && chown aitrader var
USER aitrader
# var/ holds the SQLite file (when DATABASE_URL is not set), bar files, models, backups and
# numba's compiled-kernel cache; mount a volume there
ENV PATH=/app/.venv/bin:$PATH \
    HOST=0.0.0.0 \
    PORT=8000 \
    NUMBA_CACHE_DIR=/app/var/numba-cache
VOLUME ["/app/var"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/healthz', timeout=4)"]
CMD ["aitrader", "up"]
