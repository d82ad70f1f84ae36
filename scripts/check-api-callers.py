#!/usr/bin/env python3
"""Every function a shared library exports has a caller outside the tests: code in another
file of the tree (cmd/, the libraries; read from the compiled objects with nm, so it is what
the linker sees) or an example under examples/c/. A public function only tests call is dead
weight that the ABI must keep: give it a caller, drop it, or list it with the reason in
ALLOW (one "name  reason" a line; # comments). A listed name that has gained a caller, or
that is no longer exported, is reported too, so the list stays true.

usage: check-api-callers.py ALLOW EXAMPLES_DIR LIB.so... -- OBJS_LIST...
OBJS_LIST: files naming the non-test objects one a line (tests/CMakeLists.txt generates them
from $<TARGET_OBJECTS>). Exits 1 with one line a problem."""
import os
import re
import subprocess
import sys


def nm(args, path):
    return subprocess.run(['nm'] + args + [path], check=True, capture_output=True,
                          text=True).stdout.splitlines()


def main(argv):
    if '--' not in argv or len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    cut = argv.index('--')
    allow_path, examples, libs, lists = argv[1], argv[2], argv[3:cut], argv[cut + 1:]
    exported = set()
    for lib in libs:
        for line in nm(['-D', '--defined-only'], lib):
            parts = line.split()
            if len(parts) == 3 and parts[1] == 'T':
                exported.add(parts[2].split('@')[0])
    objs = []
    for lst in lists:
        with open(lst) as f:
            objs.extend(line.strip() for line in f if line.strip())
    used = set()
    for i in range(0, len(objs), 200):  # one nm for many objects
        out = subprocess.run(['nm', '-u'] + objs[i:i + 200], check=True, capture_output=True,
                             text=True).stdout
        used.update(line.split()[-1] for line in out.splitlines()
                    if line.split() and not line.endswith(':'))
    words = set()
    for name in sorted(os.listdir(examples)):
        if name.endswith('.c'):
            with open(os.path.join(examples, name)) as f:
                words.update(re.findall(r'\b[a-z_][a-z0-9_]*\b', f.read()))
    allow = {}
    with open(allow_path) as f:
        for n, line in enumerate(f, 1):
            line = line.split('#', 1)[0].strip()
            if line:
                name, _, why = line.partition(' ')
                if not why.strip():
                    print(f'{allow_path}:{n}: {name}: give the reason it is kept')
                    return 1
                allow[name] = why.strip()
    bad = 0
    for name in sorted(exported - used - words):
        if name not in allow:
            print(f'{name}: exported, but only tests call it (give it a caller, drop it, '
                  f'or list it in {os.path.basename(allow_path)} with the reason)')
            bad += 1
    for name in sorted(allow):
        if name not in exported:
            print(f'{name}: listed in {os.path.basename(allow_path)} but not exported: drop the line')
            bad += 1
        elif name in used or name in words:
            print(f'{name}: listed in {os.path.basename(allow_path)} but now has a caller: drop the line')
            bad += 1
    print(f'{len(exported)} exported functions, {len(exported - used - words)} without a caller '
          f'outside the tests ({len(allow)} listed), {bad} problems')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
