"""What the gate does for CI systems beyond reports: sharding a run over parallel jobs."""
