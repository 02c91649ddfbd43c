#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# check-includes.sh RUMPSRC_DIR ASM_DIR HYP_INCLUDE_DIR: check that the rump
# kernel includes no host header (design.md, invariant 3).
#
# Called by `make check-build`.  For every #include in RUMPSRC_DIR/**/*.[ch]
# and ASM_DIR/**/*.[hS]:
#   - `linux/...` and `asm/...` (Linux headers) are always refused;
#   - <name> must resolve to RUMPSRC_DIR/include/name, or be one of the host
#     contracts in HYP_INCLUDE_DIR: rump/rumpuser.h (the hypercalls) or
#     rump/rumpvif.h (the virtual interface's host side; it includes only
#     rumpuser.h);
#   - "name" must resolve next to the including file or as <name> above.
# So a libc name (stdio.h, pthread.h, ...) passes only if the rump kernel
# ships its own header by that name.  Prints PASS:/FAIL: lines (suite
# `build`; one FAIL per offending include), exits non-zero on failure.
set -u

SRC=${1:?usage: check-includes.sh RUMPSRC_DIR ASM_DIR HYP_INCLUDE_DIR}
ASMD=${2:?}
HYPINC=${3:?}
INC=$SRC/include
fails=0
n=0

files=$( { find "$SRC" -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null
	find "$ASMD" -type f \( -name '*.S' -o -name '*.h' \) 2>/dev/null; } |
	LC_ALL=C sort)

for f in $files; do
	n=$((n + 1))
	dir=$(dirname "$f")
	# "lineno kind name": kind is < or "
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"]\)\([^>"]*\)[>"].*/\1 \2/p;
		s/^[[:space:]]*#[[:space:]]*include_next.*/! include_next/p' "$f" |
	while read -r kind name; do
		why=
		case "$name" in
		linux/*|asm/*|asm-generic/*|uapi/*)
			why="Linux header" ;;
		esac
		if [ -z "$why" ]; then
			case "$kind" in
			'<')
				if [ -f "$INC/$name" ]; then
					:
				elif { [ "$name" = rump/rumpuser.h ] ||
				    [ "$name" = rump/rumpvif.h ]; } &&
				    [ -f "$HYPINC/$name" ]; then
					:
				else
					why="not in $INC (host header?)"
				fi ;;
			'"')
				if [ -f "$dir/$name" ] || [ -f "$INC/$name" ]; then
					:
				elif { [ "$name" = rump/rumpuser.h ] ||
				    [ "$name" = rump/rumpvif.h ]; } &&
				    [ -f "$HYPINC/$name" ]; then
					:
				else
					why="does not resolve inside the rump kernel"
				fi ;;
			*)
				why="#include_next is not allowed" ;;
			esac
		fi
		if [ -n "$why" ]; then
			echo "FAIL: build.includes.$(echo "$f" | tr '/' '_'): #include $name: $why"
		fi
	done
done > "${TMPDIR:-/tmp}/check-includes.$$"

if [ -s "${TMPDIR:-/tmp}/check-includes.$$" ]; then
	cat "${TMPDIR:-/tmp}/check-includes.$$"
	fails=1
else
	echo "PASS: build.includes.host_free"; echo "includes: $n files checked"
fi
rm -f "${TMPDIR:-/tmp}/check-includes.$$"
[ "$fails" -eq 0 ]
