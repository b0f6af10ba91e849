#!/usr/bin/env python3
"""Round-robin startup timer for A/B comparisons of a few executables (docs/performance.md).

    eng/bench/interleaved.py RUNS WARMUPS 'CMD [ARGS]' 'CMD [ARGS]' ...

Each run is posix_spawn + wait4 with stdin and stdout on /dev/null (like hyperfine -N). The commands take
turns, in alternating order, so that a burst of load from elsewhere lands on all of them instead of on one:
on a shared 2-core machine that matters more than the number of runs. Prints the median wall time, user
and system time (wait4's rusage, which is tick-grained), and the ratio to the first command.
"""
import os
import statistics
import sys
import time


def run_once(argv, devnull):
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        sys.exit(f"{' '.join(argv)} exited with status {status}")
    return wall * 1000, usage.ru_utime * 1000, usage.ru_stime * 1000


def main():
    runs, warmups, commands = int(sys.argv[1]), int(sys.argv[2]), [command.split() for command in sys.argv[3:]]
    devnull = os.open(os.devnull, os.O_RDWR)
    for argv in commands:
        for _ in range(warmups):
            run_once(argv, devnull)
    samples = [[] for _ in commands]
    for turn in range(runs):
        order = range(len(commands)) if turn % 2 == 0 else reversed(range(len(commands)))
        for i in order:
            samples[i].append(run_once(commands[i], devnull))
    baseline = statistics.median(sample[0] for sample in samples[0])
    for argv, runs_of_command in zip(commands, samples):
        wall, user, system = (statistics.median(sample[k] for sample in runs_of_command) for k in range(3))
        print(f"{wall:7.1f} ms  user {user:5.1f}  sys {system:5.1f}  x{wall / baseline:5.2f}  {' '.join(argv)}")


if __name__ == "__main__":
    main()
