#!/usr/bin/env python3
# The include graph of src/ (issue 9): no include goes up across layers
# (common <- engine <- app, common <- engine <- worker, common <- server),
# and within a part no two
# modules (a .c with its .h, -private.h and -actions.c) include each other,
# directly or round about. Nothing outside src/server includes the server.
# A -private.h (jsw-sqlite-store-private.h) is included only by its own
# object's files: X.c and X-<concern>.c, as Epiphany's history tables.
# Subfolders (src/server/sources/) belong to their part.
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else '.'
layers = {'common': {'common'}, 'engine': {'common', 'engine'},
          'app': {'common', 'engine', 'app'}, 'server': {'common', 'server'},
          'worker': {'common', 'engine', 'worker'}}
checked_for_circles = set(layers)
include = re.compile(r'^#include "([^"]+)"', re.M)

def files_of(part):
    """The part's files, its subfolders' (src/server/sources/) included, as
    paths below src/PART."""
    top = os.path.join(root, 'src', part)
    for folder, _, names in sorted(os.walk(top)):
        for name in sorted(names):
            yield os.path.relpath(os.path.join(folder, name), top)


where = {}  # header name -> part
for part in layers:
    for path in files_of(part):
        if path.endswith('.h'):
            where[os.path.basename(path)] = part


def module(name):
    base = name.rsplit('.', 1)[0]
    for suffix in ('-private', '-actions'):
        base = base[:-len(suffix)] if base.endswith(suffix) else base
    return base


problems = []
graph = {}
for part in layers:
    for path in files_of(part):
        name = os.path.basename(path)
        if not name.endswith(('.c', '.h', '.cc')):
            continue
        with open(os.path.join(root, 'src', part, path), encoding='utf-8') as source:
            text = source.read()
        for header in include.findall(text):
            target = where.get(header)
            if target is None:
                continue
            if header.endswith('-private.h'):
                owner = header[:-len('-private.h')]
                base = name.rsplit('.', 1)[0]
                if base != owner and not base.startswith(owner + '-'):
                    problems.append(f'src/{part}/{path} includes {header}, private to {owner}')
            if target not in layers[part]:
                problems.append(f'src/{part}/{path} includes {header} of src/{target}: upward across layers')
            elif target == part and module(header) != module(name):
                graph.setdefault((part, module(name)), set()).add((part, module(header)))


def circle_from(start):
    stack, path = [(start, iter(graph.get(start, ())))], [start]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            path.pop()
        elif child == start:
            return path + [start]
        elif child not in path:
            stack.append((child, iter(graph.get(child, ()))))
            path.append(child)
    return None


seen = set()
for node in sorted(graph):
    if node[0] not in checked_for_circles:
        continue
    circle = circle_from(node)
    if circle and frozenset(circle) not in seen:
        seen.add(frozenset(circle))
        problems.append('include circle in src/%s: %s' % (node[0], ' -> '.join(m for _, m in circle)))

for problem in problems:
    print(problem)
if not problems:
    print('no include circle in src/%s; no include upward across layers; -private.h headers included only by their own object' % ', src/'.join(sorted(checked_for_circles)))
sys.exit(1 if problems else 0)
