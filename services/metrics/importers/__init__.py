"""Readers that turn source systems' files into metrics events (``ccperf import …``)."""
