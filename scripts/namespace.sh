#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# namespace.sh IN OUT PUBINCDIR [KEEP_REGEX]: rename the rump kernel's
# internal symbols into the rumpns_ namespace.
#
# Called by the top-level Makefile on each flavour's linked object
# (build/<flavour>/rumpkernel.o, build/<flavour>/ktest-kernel.o).  Every
# DEFINED global symbol X of IN is renamed rumpns_X, except
#   - the public API: the names scripts/public-api.sh finds in PUBINCDIR
#     (rumpsrc/include/rump/*.h),
#   - names matching the extended regex KEEP_REGEX (e.g. '^ktest_'),
#   - names already starting with rumpns_.
# Undefined symbols (rumpuser_* hypercalls, compiler helpers) and local
# symbols are left alone.  Because IN is one `ld -r` object, a definition and
# every reference to it are the same symbol-table entry, so a single rename
# also redirects compiler-emitted calls (memcpy, memset) to rumpns_memcpy...
# The rename map is kept as OUT.map for inspection.
set -eu

IN=${1:?usage: namespace.sh IN OUT PUBINCDIR [KEEP_REGEX]}
OUT=${2:?usage: namespace.sh IN OUT PUBINCDIR [KEEP_REGEX]}
PUBINC=${3:?usage: namespace.sh IN OUT PUBINCDIR [KEEP_REGEX]}
KEEP=${4:-}
NM=${NM:-nm}
OBJCOPY=${OBJCOPY:-objcopy}

here=$(dirname "$0")
map=$OUT.map
pub=$OUT.public

"$here/public-api.sh" "$PUBINC" > "$pub"

# nm -P: "name type value size"; --defined-only -g: defined globals only.
"$NM" -P -g --defined-only "$IN" | awk -v keep="$KEEP" -v pubfile="$pub" '
	BEGIN {
		while ((getline n < pubfile) > 0)
			public[n] = 1
	}
	{
		name = $1
		if (name in public)
			next
		if (name ~ /^rumpns_/)
			next
		if (keep != "" && name ~ keep)
			next
		if (seen[name]++)
			next
		print name " rumpns_" name
	}' > "$map"

rm -f "$pub"
"$OBJCOPY" --redefine-syms="$map" "$IN" "$OUT"
