"""The engine: clock, event bus, order manager (owner of orders) and the loop that drives
strategy → risk → venue and routes events back. Knows ports, never adapters.

May import: core, indicators, data, features, portfolio, strategies, risk (never pandas).
"""
