"""The composition root: settings (YAML + environment), and the builders that pick every
implementation for backtest, paper and live nodes. The only package that chooses adapters.

May import: every package below research/.
"""
