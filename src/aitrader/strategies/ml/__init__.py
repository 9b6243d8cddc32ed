"""ML strategies: trade on a model's class probabilities through the Predictor port.

They never import ``aitrader.ml``: the runtime binds a Predictor and its FeatureSet.
May import: core, indicators, data, features, portfolio, strategies.
"""
