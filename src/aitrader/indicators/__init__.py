"""Indicators: numba batch kernels and streaming twins that give the same values.

May import: core, numpy, numba.
"""
