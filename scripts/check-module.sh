#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# check-module.sh KO HEADER...: check that the Linux hypervisor implements
# the whole hypercall interface: rumpuser.h and the virtual interface's
# host contract rumpvif.h (both passed by the Makefile).
#
# Called by `make check-build`.  Prints PASS:/FAIL: lines (suite `build`),
# exits non-zero on failure:
#   build.kern.module_exists     KO (rump.ko) was built
#   build.kern.module_hypercalls every rumpuser_*/rumpvif_* function declared
#                                in the HEADERs is DEFINED (global) in KO
#   build.kern.module_resolved   KO leaves no rumpuser_*, rumpvif_* or
#                                rumpns_* symbol
#                                undefined (the loader would refuse it)
set -u

KO=${1:?usage: check-module.sh KO HEADER...}
: "${2:?usage: check-module.sh KO HEADER...}"
shift
HDR="$*"
NM=${NM:-nm}
fails=0

if [ ! -f "$KO" ]; then
	echo "FAIL: build.kern.module_exists: $KO not built"
	exit 1
fi
echo "PASS: build.kern.module_exists"

# shellcheck disable=SC2086  # the header list
want=$(sed -e 's://.*$::' $HDR |
	grep -oE '\brump(user|vif)_[A-Za-z0-9_]*[[:space:]]*[(]' |
	sed 's/[[:space:]]*($//' | LC_ALL=C sort -u)
syms=$("$NM" -P "$KO")
missing=$(printf '%s\n' "$syms" | awk -v want="$want" '
	BEGIN { n = split(want, w, "\n") }
	$2 ~ /^[TW]$/ { have[$1] = 1 }
	END { for (i = 1; i <= n; i++) if (w[i] != "" && !(w[i] in have)) print w[i] }' |
	LC_ALL=C sort)
if [ -z "$want" ]; then
	echo "FAIL: build.kern.module_hypercalls: no rumpuser_* declarations found in $HDR"
	fails=$((fails + 1))
elif [ -z "$missing" ]; then
	echo "PASS: build.kern.module_hypercalls"
else
	echo "FAIL: build.kern.module_hypercalls: not defined in $KO:" \
	    "$(printf '%s\n' "$missing" | head -n 8 | tr '\n' ' ' | sed 's/ $//')"
	fails=$((fails + 1))
fi

unres=$(printf '%s\n' "$syms" | awk '$2 == "U" && $1 ~ /^(rumpuser_|rumpvif_|rumpns_)/ { print $1 }')
if [ -z "$unres" ]; then
	echo "PASS: build.kern.module_resolved"
else
	echo "FAIL: build.kern.module_resolved: undefined in $KO:" \
	    "$(printf '%s\n' "$unres" | head -n 8 | tr '\n' ' ' | sed 's/ $//')"
	fails=$((fails + 1))
fi

[ "$fails" -eq 0 ]
