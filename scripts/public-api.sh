#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# public-api.sh INCDIR: print the public rump API, one name per line, sorted.
#
# Called by namespace.sh and check-object.sh.  The public API is the set of
# names declared in INCDIR/*.h (rumpsrc/include/rump) that match
# `\brump_[A-Za-z0-9_]*\s*\(`, i.e. every rump_* identifier followed by an
# opening parenthesis: function declarations and function-like macros.
# Comments are stripped first so prose mentioning rump_init() does not count.
set -eu

INCDIR=${1:?usage: public-api.sh INCDIR}

set -- "$INCDIR"/*.h
[ -e "$1" ] || exit 0

# sed: drop // comments and /* ... */ comments (also multi-line ones).
sed -e 's://.*$::' "$@" |
	sed -e ':a' -e 's:/\*[^*]*\*\+\([^/*][^*]*\*\+\)*/::g' -e '/\/\*/{N;ba' -e '}' |
	grep -o '\brump_[A-Za-z0-9_]*[[:space:]]*(' |
	sed -e 's/[[:space:]]*($//' |
	LC_ALL=C sort -u
