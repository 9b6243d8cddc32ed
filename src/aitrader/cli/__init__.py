"""The `aitrader` command line: parse, call runtime/research, print. Thin by design.

May import: every package.
"""
