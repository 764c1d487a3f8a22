"""The payroll bridge: performance pay and bonus batches that payroll pulls (issue #5)."""
