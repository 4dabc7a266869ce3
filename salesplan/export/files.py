"""Write output files safely: atomically, with the user's permissions, and without debris.

A file is written to a hidden temporary file beside its destination and
renamed over it, so a crash, a full disk, Ctrl-C or SIGTERM leaves the old
file intact and no temporary file behind (nothing is written to the
system's temp folder).  A symlink is followed: its target is replaced and
the link stays.  The new file gets the permissions any new file of the user
gets (``0o666`` less the umask), not the ``0o600`` of a temporary file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import threading
from pathlib import Path
from typing import Iterator

from salesplan.errors import InputError

__all__ = ["atomic_write", "check_writable", "destination"]


def destination(path: str | Path) -> Path:
    """The file that writing ``path`` replaces: the target of a symlink, else ``path`` itself.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    pathlib.Path
        Absolute path.
    """
    path = Path(path)
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return Path(os.path.abspath(path))


def check_writable(path: str | Path, *, what: str = "--out") -> Path:
    """Make sure ``path`` can be written, before any work is done.

    Parameters
    ----------
    path : str or Path
        The file to be written (its folders need not exist yet).
    what : str
        Names the option or argument in the error.

    Returns
    -------
    pathlib.Path
        The file that will be replaced (a symlink's target).

    Raises
    ------
    InputError
        ``path`` is a folder, a parent is a file, or the folder that would
        hold it cannot be written (permissions, a read-only file system);
        a trial file is created and removed to find out.
    """
    dest = destination(path)
    if dest.is_dir():
        raise InputError(f"{what} {path}", ["is a folder; give a file name such as plan-2027.xlsx"])
    parent = dest.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(f"{what} {path}", [f"{parent} is a file, not a folder"])
    probe = parent / f".{dest.name}.{secrets.token_hex(4)}.check"
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise InputError(f"{what} {path}", [f"cannot write in {parent}: {exc.strerror}"]) from None
    os.unlink(probe)
    return dest


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Inside the block, SIGTERM raises ``KeyboardInterrupt`` (so ``finally`` clauses run), as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def atomic_write(path: str | Path, data: bytes) -> Path:
    """Replace ``path`` by ``data`` in one step.

    Parameters
    ----------
    path : str or Path
        Destination; its folders are created.  A symlink is followed.
    data : bytes
        The whole content.

    Returns
    -------
    pathlib.Path
        ``path`` as given.

    Raises
    ------
    OSError
        The file could not be written; the old one is left as it was and
        no temporary file remains.
    KeyboardInterrupt
        Ctrl-C or SIGTERM during the write (same guarantees).
    """
    dest = destination(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".{dest.name}.{secrets.token_hex(6)}.tmp"
    with _terminate_as_interrupt():
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)  # the umask applies
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, dest)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return Path(path)
