"""Venues: implementations of the Venue port (simulated/, and the brokers), independent of each
other, each with the same file set.

May import: core, indicators, data, features, portfolio, strategies, risk, engine.
"""
