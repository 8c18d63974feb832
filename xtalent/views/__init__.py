"""What the screens display, computed without a terminal (and unit-tested in tests/test_views.py).

- `dashboard`: one row per engagement, urgency order, sort, incremental search, filters.
- `engagement`: the facts of one engagement's overview, targets, structure and warnings.
- `matrix`: the know-how items × receiving staff matrix with each cell's stage.
- `load`: the log and its monthly load against the contracted time (data for a small chart).
- `signals`: the pitfall findings and metrics every view shares, evaluated once per engagement.
"""
