"""Risk: pre-trade checks, sizing, protective orders, circuit breakers and their configuration.

May import: core, indicators, data, features, portfolio.
"""
