"""Example strategies that double as regression tests."""
