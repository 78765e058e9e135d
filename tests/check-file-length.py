#!/usr/bin/env python3
# No source file over 800 lines (issue 9, "no file over ~800 lines"): a
# file that long holds more than one concern, and is split by concern
# around a -private.h (docs/HACKING.md). Checked: the C, header,
# JavaScript and Python files in src/, resources/, tools/ and tests/.
# Prints every offender with its count, longest first.
import os
import sys

LIMIT = 800
root = sys.argv[1] if len(sys.argv) > 1 else '.'
folders = ('src', 'resources', 'tools', 'tests')
extensions = ('.c', '.h', '.js', '.mjs', '.py')

# Not code anyone reads as a whole: left out on purpose.
exempt = {
    'tests/fixtures': 'recorded pages and scripts of the job sites the adapters are tested against (fixture data)',
    'tests/server/boards': 'the job boards the feed syncer is tested against, generated data and its generator',
}
# Over the limit today and not split yet (issue 9 is open for them). Each is
# named with why; the list only shrinks. A file listed here that is back
# under the limit is reported, so that its line can go.
not_split_yet = {
}


def is_exempt(path):
    return any(path == folder or path.startswith(folder + '/') for folder in exempt)


def sources():
    for top in folders:
        for folder, dirs, names in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(d for d in dirs if d != 'node_modules' and not d.startswith('.'))
            for name in sorted(names):
                path = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, '/')
                if name.endswith(extensions) and not is_exempt(path):
                    yield path


def count_lines(path):
    with open(os.path.join(root, path), 'rb') as f:
        return sum(1 for _ in f)


counts = {path: count_lines(path) for path in sources()}
offenders = sorted(((n, p) for p, n in counts.items() if n > LIMIT and p not in not_split_yet), reverse=True)
for path, why in sorted(not_split_yet.items()):
    if path not in counts:
        print(f'note: {path} is listed as not split yet but no longer exists: drop its line')
    elif counts[path] <= LIMIT:
        print(f'note: {path} is {counts[path]} lines now, within the limit: drop its line from not_split_yet')
    else:
        print(f'known: {path} is {counts[path]} lines ({why})')
if offenders:
    print(f'{len(offenders)} source file(s) over {LIMIT} lines; split them by concern (docs/HACKING.md):')
    for n, path in offenders:
        print(f'  {path}: {n} lines')
    sys.exit(1)
print(f'{len(counts)} source files, none over {LIMIT} lines but the ones listed as not split yet')
