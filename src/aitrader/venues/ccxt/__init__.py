"""CCXT connector: crypto exchanges behind the Venue port (imports core, portfolio-free, ccxt)."""
