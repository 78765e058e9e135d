#!/bin/sh
# Every source file with a translatable string is listed in po/POTFILES,
# and every listed file exists: otherwise its strings are never translated.
set -eu
cd "$1"
status=0
for file in $(grep -l -E '(^|[^A-Za-z0-9_])N?_\(' src/*/*.c src/*/*/*.c src/*/*.cc 2>/dev/null | sort); do
  if ! grep -qx "$file" po/POTFILES; then
    echo "po/POTFILES is missing $file"
    status=1
  fi
done
while read -r file; do
  case "$file" in ''|'#'*) continue ;; esac
  if [ ! -f "$file" ]; then
    echo "po/POTFILES lists $file, which does not exist"
    status=1
  fi
done < po/POTFILES
[ $status -eq 0 ] && echo "po/POTFILES lists every file with translatable strings"
exit $status
