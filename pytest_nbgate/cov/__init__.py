"""Coverage of the code a notebook runs: kernel side, per-cell data, the report."""
