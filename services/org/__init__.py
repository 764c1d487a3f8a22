"""Org service: employees, the org tree, employment status and leave, as dated history."""
