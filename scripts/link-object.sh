#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# link-object.sh FLAVOUR OUT PUBINCDIR KEEP_REGEX OBJ...: link a flavour's
# objects into one namespaced relocatable object.
#
# Called by the top-level Makefile for build/<flavour>/rumpkernel.o and
# build/<flavour>/ktest-kernel.o.  Steps:
#  1. `ld -r -d`: one relocatable object; -d allocates COMMON symbols, which
#     the kernel's module loader rejects (kbuild-notes.md).
#  2. objcopy: drop .comment (the compiler's ident string, which modpost warns
#     about in a module); in the kern flavour also .note.GNU-stack (modules
#     have no stack-executability note; userspace links keep it so the
#     linker does not assume an executable stack).
#  3. namespace.sh: every defined global outside the public API (and
#     KEEP_REGEX) becomes rumpns_<name>.
# (objtool, for the kern flavour, already ran on each object: see Makefile.)
set -eu

FL=${1:?usage: link-object.sh FLAVOUR OUT PUBINCDIR KEEP_REGEX OBJ...}
OUT=${2:?}
PUBINC=${3:?}
KEEP=${4-}
shift 4
LD=${LD:-ld}
OBJCOPY=${OBJCOPY:-objcopy}

here=$(dirname "$0")
tmp=$OUT.ld.o
strip=$OUT.strip.o

"$LD" -r -d -o "$tmp" "$@"

rmsec="--remove-section=.comment"
if [ "$FL" = kern ]; then
	rmsec="$rmsec --remove-section=.note.GNU-stack"
fi
# shellcheck disable=SC2086  # two options in one variable
"$OBJCOPY" $rmsec "$tmp" "$strip"
"$here/namespace.sh" "$strip" "$OUT" "$PUBINC" "$KEEP"
rm -f "$tmp" "$strip"
