"""The labelled sensitive-data set, generated at runtime (see :mod:`tests.labelled.generator`)."""
