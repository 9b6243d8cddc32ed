"""ML features and targets: declarative feature sets computed by the same code in training and
live inference from closed bars only, targets (direction, triple barrier, future volatility),
purged/embargoed cross-validation splits and the lookahead (leakage) check.

Pure numpy/pandas. May import: core, indicators, data, numpy, pandas, pydantic.
"""
