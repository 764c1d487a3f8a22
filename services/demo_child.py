"""Run one ``ccperf`` command as a child of the demo that cannot outlive it.

``python -m services.demo_child <fd> <ccperf arguments…>``: ``fd`` is the read end of a
pipe whose write end only the demo holds. A watcher thread blocks reading it; when it
reads end of file, the demo has closed it (asking this child to stop) or has died (the
kernel closes the descriptors of any process that exits, even on SIGKILL). Either way
the watcher sends SIGTERM to this process's main thread, so ``ccperf serve`` drains as it
does on SIGTERM (a command without a SIGTERM handler simply ends), and exits the process
outright if that has not happened within ``STOP_GRACE`` seconds.

Why a pipe and not ``prctl(PR_SET_PDEATHSIG)``: the death signal needs ``preexec_fn``,
which the subprocess documentation calls unsafe once the parent has threads (the demo
has gRPC's), fires when the *thread* that forked the child ends rather than the process,
misses a parent that died before the child called prctl, and is Linux only. The pipe has
none of these holes, and the same end of file also carries the demo's ordinary request
to stop. The signal goes to the main thread by ``pthread_kill``: a process-directed
signal that the kernel hands to another thread does not wake a main thread blocked in a
lock wait, and the server would not notice it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

STOP_GRACE = 10.0
"""Seconds a child has, once the demo is gone or asked it to stop, before it exits anyway."""


def watch(fd: int) -> None:
    """Block until ``fd`` reads end of file, then stop this process (see the module doc)."""
    try:
        while os.read(fd, 1):
            pass
    except OSError:
        pass
    main = threading.main_thread().ident
    assert main is not None
    signal.pthread_kill(main, signal.SIGTERM)
    time.sleep(STOP_GRACE)
    os._exit(128 + signal.SIGTERM)


def main(argv: list[str]) -> None:
    fd = int(argv[0])
    threading.Thread(target=watch, args=(fd,), name="demo-parent-watch", daemon=True).start()
    from services.cli import main as ccperf  # noqa: PLC0415 (after the watch: imports are slow)

    ccperf(argv[1:], prog_name="ccperf")


if __name__ == "__main__":
    main(sys.argv[1:])
