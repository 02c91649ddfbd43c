#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# summarize.sh LOG...: count the result lines of a `make check` run.
#
# Called by scripts/run-check.sh with build/results/*.log.  Counts lines
# beginning `PASS: ` and `FAIL: ` across all logs (carriage returns from
# the guest serial console ignored), prints every FAIL line again, and ends
# with exactly one line `N passed, M failed`.  Exits non-zero if M > 0 or if
# no result line was found at all (then it reports that as one failure).
set -u

[ "$#" -gt 0 ] || { echo "0 passed, 1 failed"; exit 1; }

all=$(cat "$@" 2>/dev/null | tr -d '\r')
pass=$(printf '%s\n' "$all" | grep -c '^PASS: ')
fail=$(printf '%s\n' "$all" | grep -c '^FAIL: ')

echo
echo "==================== summary ===================="
if [ "$pass" -eq 0 ] && [ "$fail" -eq 0 ]; then
	echo "FAIL: check.results: no PASS/FAIL line in any suite"
	fail=1
fi
if [ "$fail" -gt 0 ]; then
	echo "Failures:"
	printf '%s\n' "$all" | grep '^FAIL: '
fi
for f in "$@"; do
	p=$(tr -d '\r' < "$f" | grep -c '^PASS: ')
	m=$(tr -d '\r' < "$f" | grep -c '^FAIL: ')
	printf '  %-28s %4d passed %4d failed\n' "$(basename "$f" .log)" "$p" "$m"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
