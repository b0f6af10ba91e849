#!/usr/bin/env python3
"""Memory of idle instances, for eng/bench/startup.sh (issue 15).

    idle-memory.py INSTANCES MARKER DIRECTORY COMMAND [ARGS...]

Starts INSTANCES copies of COMMAND ARGS at once in DIRECTORY, each with its stdin on a pipe that stays open, waits
until every one has printed a line containing MARKER (hello world prints its arguments, then blocks reading stdin:
idle), waits one more second so that the runtime's background work settles, then reads each instance's
/proc/PID/smaps_rollup. Prints one line:
    PRIVATE_DIRTY_KB TOTAL_PSS_KB
the median Private_Dirty of the instances (memory no other process shares: heap, stacks, copies; shmem pages that
only this process maps count here too) and the sum of their Pss (a page shared by k processes counts 1/k in each).
Then closes every stdin and reaps the instances; exits 1, saying why on stderr, if one fails or times out.
"""
import os
import select
import statistics
import subprocess
import sys
import time


def rollup(pid):
    values = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                values[parts[0][:-1]] = int(parts[1])
    return values


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    instances, marker, directory, command = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    processes = [subprocess.Popen(command, cwd=directory, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True) for _ in range(instances)]
    try:
        waiting = {p.stdout.fileno(): p for p in processes}
        seen = {fd: "" for fd in waiting}
        deadline = time.monotonic() + 120
        while waiting:
            if time.monotonic() > deadline:
                sys.exit(f"idle-memory: {len(waiting)} instances did not print {marker!r} within 120 s")
            ready, _, _ = select.select(list(waiting), [], [], 1)
            for fd in ready:
                chunk = os.read(fd, 65536).decode(errors="replace")
                if not chunk:
                    sys.exit(f"idle-memory: an instance exited before printing {marker!r}: {seen[fd]!r}")
                seen[fd] += chunk
                if marker in seen[fd]:
                    del waiting[fd]
        time.sleep(1)
        rollups = [rollup(p.pid) for p in processes]
        print(statistics.median(r["Private_Dirty"] for r in rollups), sum(r["Pss"] for r in rollups))
    finally:
        for p in processes:
            try:
                p.stdin.close()
            except OSError:
                pass
        for p in processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


if __name__ == "__main__":
    main()
