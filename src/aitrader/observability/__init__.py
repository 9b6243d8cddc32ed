"""Observability: logging set-up (and later the Prometheus exporter).

May import: core, indicators, data, features, portfolio, strategies, risk, engine.
"""
