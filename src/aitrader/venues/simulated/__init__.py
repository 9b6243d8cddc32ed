"""The simulated exchange: matching engine of every backtest and broker of paper accounts."""
