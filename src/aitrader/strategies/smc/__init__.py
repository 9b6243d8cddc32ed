"""Smart Money Concepts: market structure found on closed bars only, and a strategy trading it.

``structures`` holds the value types, one tracker module per concept (``swings``, ``structure``,
``fair_value_gaps``, ``supply_demand``, ``sweeps``, ``dealing_range``), ``analyzer`` runs them
together one closed bar at a time (the batch ``analyze`` is the same loop over arrays), and
``strategy`` trades the zones. Nothing here ever reads a bar after the one being closed.

May import: core, indicators, data (like every strategies family).
"""
