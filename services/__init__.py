"""ccperf: contact-center performance management.

``common`` is the infrastructure every service shares; ``org`` is the
organisation (employees, leave, calendar) that all of them read;
``metrics``, ``appraisal`` and ``payroll_bridge`` are the three services.
"""
