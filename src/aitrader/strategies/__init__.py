"""Strategies: the base class, the registry and independent families (examples/, smc/,
momentum/, dom/, ml/). Strategies act through a StrategyContext the engine provides.

May import: core, indicators, data, features, portfolio.
"""
