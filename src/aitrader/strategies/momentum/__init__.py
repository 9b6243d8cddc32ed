"""Momentum family: trend following (EMA cross + ADX), mean reversion (Bollinger/RSI/z-score),
Donchian breakout with volume confirmation, and a higher-timeframe filter over a lower-timeframe
entry. Each decides on a bar's close with the streaming indicators; market orders fill at the
next bar's open.

May import: core, indicators, data, strategies.base.
"""
