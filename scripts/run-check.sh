#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# run-check.sh: the stages of `make check`, each recorded, then the summary.
#
# Called by the `check` target of the top-level Makefile (and so by
# .ci/run).  Stages: deps -> all -> check-build -> test-user -> test-asan ->
# test-tsan -> test-guest (test-tsan builds and runs in ~15 s on two
# cores: cheap enough to run every time).  Each stage's output goes to the
# terminal and to build/results/<stage>.log.  A stage that fails without
# printing a FAIL: line (a compile error, a crash) gets
# `FAIL: check.<stage>: exited <code>`.
# Every stage runs even after an earlier one failed (each is a make target
# and rebuilds only what it needs), so a broken demo does not hide the
# userspace results.  The last line printed is the summary line
# `N passed, M failed`; the exit status is non-zero if anything failed.
set -u

cd "$(dirname "$0")/.."
MAKE=${MAKE:-make}
R=build/results
rm -rf "$R"
mkdir -p "$R"

stage() {
	name=$1
	shift
	log=$R/$name.log
	rcf=$R/.$name.rc
	echo "==================== $name: $*"
	{ "$@" 2>&1; echo $? > "$rcf"; } | tee "$log"
	rc=$(cat "$rcf" 2>/dev/null || echo 1)
	rm -f "$rcf"
	if [ "$rc" -ne 0 ] && ! tr -d '\r' < "$log" | grep -q '^FAIL: '; then
		echo "FAIL: check.$name: exited $rc" | tee -a "$log"
	fi
}

start=$(date +%s)
stage deps scripts/deps.sh
stage all $MAKE --no-print-directory all
stage check-build $MAKE --no-print-directory check-build
stage test-user $MAKE --no-print-directory test-user
stage test-asan $MAKE --no-print-directory test-asan
stage test-tsan $MAKE --no-print-directory test-tsan
stage test-guest $MAKE --no-print-directory test-guest
echo "check: $(($(date +%s) - start)) s"
exec scripts/summarize.sh "$R"/deps.log "$R"/all.log "$R"/check-build.log \
	"$R"/test-user.log "$R"/test-asan.log "$R"/test-tsan.log \
	"$R"/test-guest.log
