#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# run-tests.sh FLAVOUR DIR: run every test program in DIR (build/<fl>/tests).
#
# Called by `make test-user`, `make test-asan`, `make test-tsan`.  Each
# program's output is passed through; for the asan and tsan flavours the
# result lines are tagged (`PASS: vfs.mount` -> `PASS: asan.vfs.mount`) so the
# summary tells the flavours apart.  A program that exits non-zero without
# printing a FAIL: line (a crash, a sanitizer abort) gets one:
# `FAIL: <flavour>.<program>: exited <code>`; one that prints no result at
# all gets `FAIL: <flavour>.<program>: printed no PASS/FAIL line`.  Each
# program runs under `timeout` (TEST_TIMEOUT seconds, default 600).
# Exits non-zero if anything failed.
set -u

FL=${1:?usage: run-tests.sh FLAVOUR DIR}
DIR=${2:?usage: run-tests.sh FLAVOUR DIR}
TMO=${TEST_TIMEOUT:-600}
status=0
out=$(mktemp /tmp/run-tests.XXXXXX)
trap 'rm -f "$out"' EXIT INT TERM

if [ "$FL" = user ]; then
	tag=
else
	tag="$FL."
fi

found=0
for t in "$DIR"/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	found=1
	name=$(basename "$t")
	echo "=== $FL: $name"
	timeout --kill-after=10 "$TMO" "$t" > "$out" 2>&1
	rc=$?
	sed -e 's/\r$//' -e "s/^\(PASS\|FAIL\): /\1: $tag/" "$out"
	if grep -q '^FAIL: ' "$out"; then
		status=1
	elif [ "$rc" -ne 0 ]; then
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			echo "FAIL: $FL.$name: exited $rc (timeout after ${TMO}s)"
		else
			echo "FAIL: $FL.$name: exited $rc"
		fi
		status=1
	elif ! grep -q '^PASS: ' "$out"; then
		echo "FAIL: $FL.$name: printed no PASS/FAIL line"
		status=1
	fi
done

[ "$found" = 1 ] || echo "run-tests: no test programs in $DIR"
exit "$status"
