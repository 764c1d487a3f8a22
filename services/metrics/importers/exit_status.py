"""The exit status of ``ccperf import``: what a cron job or a script can rely on.

One table, read by the CLI (its ``--help`` and its exit) and by the generated
docs (``docs/csv-import.md``), so the documented codes are the ones returned.
"""

from __future__ import annotations

from enum import IntEnum


class ImportExit(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    INCOMPLETE = 3


EXIT_MEANINGS: dict[ImportExit, str] = {
    ImportExit.OK: "no line was malformed and no event rejected: every event was stored, "
    "or found stored before (importing a file again exits 0); what a queue_log leaves "
    "open at its end, and lines that carry no event, are reported but are not errors",
    ImportExit.FAILED: "the import stopped: the file was refused (a bad CSV header) or "
    "unreadable, no usable token, or the service failed (an error other than UNAVAILABLE, "
    "or UNAVAILABLE beyond --retry-for); what the service acknowledged stays stored, and "
    "importing again resumes safely",
    ImportExit.USAGE: "bad options or arguments (--kind, --timezone, --agent-map, a missing "
    "file); nothing was sent",
    ImportExit.INCOMPLETE: "the file was read to the end and every good event stored, but "
    "some lines were malformed (not sent) or some events rejected: the summary lists them "
    "by line and reason",
}


def import_exit(*, malformed: int, rejected: int) -> ImportExit:
    """The status of an import that ran to the end."""
    return ImportExit.INCOMPLETE if malformed or rejected else ImportExit.OK


def exit_status_table() -> list[str]:
    """The exit codes as Markdown table rows (header included)."""
    rows = ["| Exit status | Meaning |", "|---|---|"]
    rows += [f"| {int(code)} | {meaning} |" for code, meaning in EXIT_MEANINGS.items()]
    return rows
