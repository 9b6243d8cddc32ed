"""Market data logic written against ports: columnar bars, validation, resampling, gap detection
and replay feeds. File formats and HTTP live in adapters (storage/, venues/).

May import: core, numpy, pandas.
"""
