"""Test helpers for our tests and users' own: engine factories, scripted strategies, bars."""
