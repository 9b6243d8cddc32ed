"""Research path (tier T8): vectorized backtests with parity to the event engine, parameter
search, walk-forward validation, overfitting diagnostics and reports. May import runtime and
every lower tier."""
