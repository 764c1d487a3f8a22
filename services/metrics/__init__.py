"""The metrics service: ingests call-center data and computes the KPI catalog (issue #3)."""
