#!/usr/bin/env python3
"""No circle between files: a.c uses a function or object defined in b.c and b.c (directly or
through others) uses one defined in a.c. Reads the symbols of the compiled objects (nm), so
the graph is what the linker sees, not what the headers promise.

usage: check-cycles.py NAME OBJS [NAME OBJS ...]
OBJS: a folder of one library's .o files, or a file listing them one a line (what
tests/CMakeLists.txt generates from $<TARGET_OBJECTS>, so stale objects never count). Prints each circle as "NAME: a.c -> b.c -> a.c" and exits 1 when there is one."""
import os
import subprocess
import sys


def objects(root):
    if os.path.isfile(root):
        with open(root) as f:
            yield from (line.strip() for line in f if line.strip())
        return
    for d, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith('.o'):
                yield os.path.join(d, f)


def symbols(path):
    out = subprocess.run(['nm', '-P', path], check=True, capture_output=True, text=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind == 'U':
            used.add(name)
        elif kind.isupper():
            defined.add(name)
    return defined, used


def name_of(path):
    rel = path.split('/src/', 1)[-1] if '/src/' in path else os.path.basename(path)
    return rel[:-2] if rel.endswith('.o') else rel


def circles(root):
    defs, uses = {}, {}
    for o in objects(root):
        n = name_of(o)
        defs[n], uses[n] = symbols(o)
    owner = {s: n for n, ds in defs.items() for s in ds}
    graph = {n: sorted({owner[s] for s in uses[n] if s in owner and owner[s] != n}) for n in defs}
    # Tarjan's strongly connected components
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out, graph


def main(argv):
    if len(argv) < 3 or len(argv) % 2 == 0:
        sys.stderr.write(__doc__)
        return 2
    found = 0
    for i in range(1, len(argv), 2):
        name, root = argv[i], argv[i + 1]
        comps, graph = circles(root)
        for comp in comps:
            found += 1
            members = set(comp)
            edges = ['%s -> %s' % (a, b) for a in comp for b in graph[a] if b in members]
            print('%s: circle between %s (%s)' % (name, ', '.join(comp), '; '.join(edges)))
    print('%d passed, %d failed' % (0 if found else 1, 1 if found else 0))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
