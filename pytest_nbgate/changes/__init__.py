"""Changed-only runs: which notebooks a pull request touches (``--nbgate-changed REF``)."""
