#!/bin/bash
# tools/testing/run-tests.sh - run host test programs as one KTAP document.
#
# usage: run-tests.sh PROG...
#
# Each PROG prints its own KTAP; here it becomes an indented subtest, and a
# copy is kept in PROG.ktap. A program fails when it exits non-zero or stops
# before its "# Totals:" line (a crash outside any test). The last two lines
# count tests, not programs:
#   # Totals: pass:N fail:N skip:N
#   host-tests: N passed, N failed, N skipped
# Exit status: 1 if any test or program failed, else 0.
set -u

echo "KTAP version 1"
echo "1..$#"
i=0 pass=0 fail=0 skip=0 status=0
for prog in "$@"; do
	i=$((i + 1))
	name=$(basename "$prog")
	name=${name%-test}
	log=$prog.ktap
	echo "    # Subtest: $name"
	"$prog" 2>&1 | tee "$log" | sed 's/^/    /'
	rc=${PIPESTATUS[0]}
	totals=$(grep -E '^# Totals: pass:[0-9]+ fail:[0-9]+ skip:[0-9]+$' "$log" | tail -n 1)
	if [ -n "$totals" ]; then
		read -r p f s <<<"$(echo "$totals" | sed -E 's/.*pass:([0-9]+) fail:([0-9]+) skip:([0-9]+)/\1 \2 \3/')"
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	else
		echo "# $name: exited with status $rc before reporting totals"
		fail=$((fail + 1))
	fi
	if [ "$rc" -eq 0 ] && [ -n "$totals" ]; then
		echo "ok $i $name"
	else
		echo "not ok $i $name"
		status=1
	fi
done
echo "# Totals: pass:$pass fail:$fail skip:$skip"
echo "host-tests: $pass passed, $fail failed, $skip skipped"
exit $status
