"""ccxt adapters: crypto exchanges through the ccxt library (history download, trading)."""
