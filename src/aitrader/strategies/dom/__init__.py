"""Depth-of-market analysis on L2 books and a strategy trading order book imbalance.

``book_metrics`` holds pure functions of book levels (imbalance, microprice, liquidity near
mid, the cost of walking the book), ``walls`` finds large resting orders against a rolling
size distribution and reports them appearing and vanishing, ``impact`` is the square-root
market impact model calibrated on observed trades, and ``strategy`` trades imbalance with the
impact estimate as a filter. Everything reads only the book as it is now and what came before.

May import: core, indicators, data (like every strategies family).
"""
