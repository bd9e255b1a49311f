#!/usr/bin/env bash
# tools/check-format.sh - check that every C source and header matches the
# repository's .clang-format. With --fix, reformat them in place instead.
set -uo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.c' -o -name '*.h')
[ -n "$files" ] || exit 0
if [ "${1:-}" = "--fix" ]; then
	# shellcheck disable=SC2086
	clang-format -i --style=file $files
	exit 0
fi
bad=0
for f in $files; do
	if ! clang-format --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f   (fix: tools/check-format.sh --fix)"
		bad=1
	fi
done
exit $bad
