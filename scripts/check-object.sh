#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# check-object.sh FLAVOUR OBJ PUBINCDIR [KEEP_REGEX]: check the symbol table
# of a flavour's rump kernel object (design.md, invariant 2).
#
# Called by `make check-build`.  Prints one PASS:/FAIL: line per check
# (suite `build`) and exits non-zero if any failed:
#   build.<fl>.exists      OBJ exists
#   build.<fl>.namespace   every defined global is rumpns_*, public API
#                          (scripts/public-api.sh) or matches KEEP_REGEX
#   build.<fl>.undefined   every undefined symbol is a hypercall of the host
#                          contracts -- rumpuser_* (rumpuser.h) or rumpvif_*
#                          (rumpvif.h, the virtual interface's host side) --
#                          or on the flavour's allow-list
#                          scripts/undef-allow.<fl> (no list: nothing else
#                          allowed, as for `user`)
#   build.<fl>.no_common   no COMMON symbols (the module loader rejects them)
set -u

FL=${1:?usage: check-object.sh FLAVOUR OBJ PUBINCDIR [KEEP_REGEX]}
OBJ=${2:?}
PUBINC=${3:?}
KEEP=${4:-}
NM=${NM:-nm}
here=$(dirname "$0")
fails=0

pass() { echo "PASS: build.$FL.$1"; }
fail() { echo "FAIL: build.$FL.$1: $2"; fails=$((fails + 1)); }
# first few words of a list, for a one-line reason
few() { printf '%s\n' "$1" | head -n 8 | tr '\n' ' ' | sed 's/ $//'; }

if [ ! -f "$OBJ" ]; then
	fail exists "$OBJ not built"
	exit 1
fi
pass exists

pub=$("$here/public-api.sh" "$PUBINC")
syms=$("$NM" -P -g "$OBJ") || { fail namespace "nm failed on $OBJ"; exit 1; }

bad=$(printf '%s\n' "$syms" | awk -v keep="$KEEP" -v pub="$pub" '
	BEGIN { n = split(pub, a, "\n"); for (i = 1; i <= n; i++) p[a[i]] = 1 }
	$2 != "U" && $2 != "w" && $2 != "v" && NF >= 2 {
		if ($1 ~ /^rumpns_/ || ($1 in p) || (keep != "" && $1 ~ keep))
			next
		print $1
	}')
if [ -z "$bad" ]; then
	pass namespace
else
	fail namespace "non-namespaced globals: $(few "$bad")"
fi

allow=$here/undef-allow.$FL
re='^rump(user|vif)_[A-Za-z0-9_]+$'
if [ -f "$allow" ]; then
	extra=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$allow" |
		sed 's/.*/^(&)$/' | paste -sd'|' -)
	[ -z "$extra" ] || re="$re|$extra"
fi
undef=$(printf '%s\n' "$syms" | awk '$2 == "U" || $2 == "w" || $2 == "v" { print $1 }')
badu=$(printf '%s\n' "$undef" | sed '/^$/d' | grep -Ev "$re" || true)
if [ -z "$badu" ]; then
	pass undefined
else
	fail undefined "disallowed undefined symbols: $(few "$badu")"
fi

common=$(printf '%s\n' "$syms" | awk '$2 == "C" { print $1 }')
if [ -z "$common" ]; then
	pass no_common
else
	fail no_common "COMMON symbols: $(few "$common")"
fi

[ "$fails" -eq 0 ]
