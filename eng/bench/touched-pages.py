#!/usr/bin/env python3
"""Which pages of its compressed assemblies an oxidized `lz4` app touches (issue 15, point 3).

    eng/bench/touched-pages.py EXECUTABLE [ARGS...]

Builds eng/bench/touched-pages.c (an LD_PRELOAD library) into artifacts/bench/, runs EXECUTABLE ARGS once with it (in
the executable's folder, stdin /dev/null), and prints, for the assemblies the host decoded whole into memfds, their
total size and how much of it a decoder working in independent blocks would have had to decode: the pages the runtime
touched (4 KiB), and the blocks holding them for blocks of 16 and 64 KiB. The kernel's fault-around is off for these
mappings while measuring (see the .c file), so a page counts only if the runtime read or wrote it. Exits 1 if the app
fails or decoded nothing.
"""
import os
import subprocess
import sys

repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
work = os.path.join(repo_root, "artifacts", "bench")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    os.makedirs(work, exist_ok=True)
    library = os.path.join(work, "touched-pages.so")
    subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-o", library,
                    os.path.join(repo_root, "eng", "bench", "touched-pages.c"), "-ldl"], check=True)
    output = os.path.join(work, "touched-pages.tsv")
    if os.path.exists(output):
        os.remove(output)
    executable = os.path.abspath(sys.argv[1])
    environment = dict(os.environ, LD_PRELOAD=library, TOUCHED_PAGES_OUTPUT=output)
    run = subprocess.run([executable] + sys.argv[2:], cwd=os.path.dirname(executable), env=environment,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    if run.returncode != 0 or not os.path.exists(output):
        sys.exit(f"{executable} exited with {run.returncode} (output: {os.path.exists(output)})")
    sizes, pages = {}, {}
    for line in open(output):
        fields = line.rstrip("\n").split("\t")
        name = fields[1].removesuffix(" (deleted)")
        if fields[0] == "file":
            sizes[name] = int(fields[2])
        else:
            first_page = int(fields[2]) // 4096
            touched = pages.setdefault(name, set())
            touched.update(first_page + int(index) for index in fields[4].split(",") if index)
    if not sizes:
        sys.exit("no decoded assembly was mapped: is this an `lz4` executable that loads compressed assemblies?")
    total = sum(sizes.values())
    print(f"decoded assemblies: {len(sizes)}, {total / 1e6:.1f} MB")
    for block in (4096, 16384, 65536):
        per_block = block // 4096
        needed = sum(min(len({page // per_block for page in touched}) * block, sizes[name])
                     for name, touched in pages.items())
        print(f"touched, in blocks of {block // 1024} KiB: {needed / 1e6:.1f} MB ({needed / total:.0%})")


main()
