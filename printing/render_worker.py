"""The render helper process: `python -m printing.render_worker`, started by `RenderHost`.

It reads jobs from stdin and writes answers to stdout, one frame each: a 4-byte big-endian
length, then a pickle (both ends are this program, on a pipe nobody else holds). A job is
``(name, args)`` from `printing.render_jobs.JOBS`; the answer ``("ok", result)`` or
``("error", exception type name, the traceback's code lines)`` - never the exception's message
or local values, which may quote the citizen's records. End of stdin (the kiosk closed the
pipe or died) ends the process. Nothing of a job is kept for the next one.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import traceback

HEADER = struct.Struct(">I")
MAX_FRAME = 256 * 1024 * 1024


def read_frame(stream) -> bytes | None:
    """One frame's bytes; None at end of stream (also mid-frame: the other end went away)."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (n,) = HEADER.unpack(head)
    if n > MAX_FRAME:
        raise ValueError(f"frame of {n} bytes")
    data = stream.read(n)
    return data if len(data) == n else None


def write_frame(stream, payload: bytes) -> None:
    stream.write(HEADER.pack(len(payload)) + payload)
    stream.flush()


def serve(rfile, wfile) -> int:
    from printing.render_jobs import JOBS, forget

    while True:
        frame = read_frame(rfile)
        if frame is None:
            return 0
        try:
            name, args = pickle.loads(frame)
            reply = ("ok", JOBS[name](*args))
        except Exception as exc:  # noqa: BLE001 - told to the kiosk, which decides
            reply = ("error", type(exc).__name__,
                     "".join(traceback.format_tb(exc.__traceback__)))
        finally:
            frame = name = args = None  # noqa: F841 - the citizen's records go now
        try:
            write_frame(wfile, pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            reply = None
            forget()


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # the frames own stdin/stdout; anything printed by a library goes to stderr instead
    rfile, wfile = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr
    try:
        return serve(rfile, wfile)
    except (BrokenPipeError, KeyboardInterrupt):
        return 0


if __name__ == "__main__":
    sys.exit(main())
