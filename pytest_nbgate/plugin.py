"""pytest entry point (filled in by the foundation)."""
