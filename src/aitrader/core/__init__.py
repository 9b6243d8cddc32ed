"""The trading domain, pure: ids, instruments, market data values, orders, fills, positions,
accounts, commands, events, errors and the ports adapters implement.

May import: the standard library and numpy only.
"""
