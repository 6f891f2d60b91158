"""Named crash points for crash-safety tests: `SQBOT_CRASH_AT=<label>` kills the process at that point.

Labels: `intent-stored` (intent written, platform not yet called), `platform-answered` (the platform accepted
the write, the store does not know yet), `between-posts` (a thread part-way), `smtp-accepted` (the mail server
took the digest, the store does not know yet), `followup-written` (a follow-up confirmed in `sqbot review` is
stored, nothing is sent yet). Production never sets the variable; a check costs one lookup.
"""

from __future__ import annotations

import os
import sys


def crash_point(label: str) -> None:
    wanted = os.environ.get("SQBOT_CRASH_AT")
    if wanted and label in wanted.split(","):
        sys.stderr.write(f"sqbot: crash point {label!r} reached: exiting 137 (SQBOT_CRASH_AT)\n")
        sys.stderr.flush()
        os._exit(137)
