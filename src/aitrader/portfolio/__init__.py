"""The accounting owner: applies fills to positions and balances; P&L, equity, exposure, and
performance statistics of equity curves.

May import: core, indicators, data, features (numpy only; never pandas).
"""
