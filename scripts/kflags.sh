#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# kflags.sh V [OUTDIR]: print the code-generation flags kbuild uses for
# out-of-tree modules of kernel V, one line, on stdout.
#
# Called by the top-level Makefile to produce build/kern/kflags, which the
# kernel flavour of the rump kernel is compiled with (design.md, invariant 1:
# the flags are read from the installed kbuild, never copied by hand).  With
# OUTDIR it also writes OUTDIR/kcc (the compiler kbuild runs) and
# OUTDIR/objtool (kbuild's objtool command for module objects, without the
# object name).
#
# How: build a trivial module against /lib/modules/V/build with V=1 in a
# temporary directory, take the compiler command line that produced its .o
# and filter it.  What is kept, and why:
#   -m*            target ABI and code generation: code model (kernel), no red
#                  zone, no SSE/x87, stack alignment, retpoline / return-thunk
#                  / SLS hardening.  The object is linked into a module, so it
#                  must follow the kernel's ABI exactly.
#   -f*            code generation: no PIE/PIC, no jump tables, no unwind
#                  tables, CET off, auto-var init, strict-overflow semantics...
#   -O*, --param   optimisation level and tuning the kernel was built with.
#   -std=*         language dialect the kernel headers assume (harmless here).
#   -fstack-protector*  the kernel's canary ABI (%gs based on x86_64, with
#                  __stack_chk_fail resolved by the module loader).
# What is dropped, and why:
#   -I, -include, -isystem, -nostdinc, -D, -U
#                  Linux headers and configuration macros: the rump kernel
#                  must not see any Linux header (design.md, invariant 3).
#   -W*, -Wp,*     warnings (and the -Wp,-MMD dependency output): our own
#                  warning set applies; they do not change generated code.
#   -MD/-MMD/-MF, -o, -c, the source name
#                  per-invocation file handling.
#   -pg, -mfentry, -mrecord-mcount, -fpatchable-function-entry=*
#                  ftrace hooks: they call __fentry__ and need kbuild's mcount
#                  bookkeeping; a prebuilt object is not traced.
#   -fsanitize*, -fsanitize-coverage*
#                  KASAN/UBSAN/KCOV instrumentation calls Linux runtime symbols
#                  the rump kernel may not reference (invariant 2).
#   -fmacro-prefix-map=*
#                  rewrites __FILE__ paths of the Linux source tree; no effect
#                  on code.
#   -g*            debug-info format; the Makefile chooses its own -g.
set -eu

V=${1:?usage: kflags.sh V [OUTDIR]}
OUTDIR=${2:-}
KDIR=/lib/modules/$V/build

if [ ! -d "$KDIR" ]; then
	echo "kflags.sh: $KDIR missing (linux-headers for $V not installed?)" >&2
	exit 1
fi

tmp=$(mktemp -d /tmp/kflags.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

cat > "$tmp/kflagsprobe.c" <<'PROBE'
/* trivial module compiled only to read kbuild's compiler command line */
#include <linux/module.h>
static int __init kflagsprobe_init(void)
{
	return 0;
}
module_init(kflagsprobe_init);
MODULE_LICENSE("Dual BSD/GPL");
PROBE
echo 'obj-m += kflagsprobe.o' > "$tmp/Kbuild"

if ! make -C "$KDIR" M="$tmp" V=1 modules > "$tmp/log" 2>&1; then
	cat "$tmp/log" >&2
	echo "kflags.sh: probe module failed to build against $KDIR" >&2
	exit 1
fi

# The compile line: ends in "-c -o <tmp>/kflagsprobe.o <tmp>/kflagsprobe.c",
# followed on the same line by "; ./tools/objtool/objtool ..." when objtool
# is enabled.
line=$(grep -e "-c -o $tmp/kflagsprobe.o $tmp/kflagsprobe.c" "$tmp/log" | head -n 1)
if [ -z "$line" ]; then
	echo "kflags.sh: compiler command line not found in kbuild V=1 output" >&2
	exit 1
fi
ccpart=${line%%;*}

flags=
first=1
cc=
skipnext=0
# shellcheck disable=SC2086  # split the command line into words on purpose
set -f
for w in $ccpart; do
	if [ "$first" = 1 ]; then
		cc=$w
		first=0
		continue
	fi
	if [ "$skipnext" = 1 ]; then
		skipnext=0
		continue
	fi
	case "$w" in
	-include|-isystem|-o|-MF|-MT|-MQ)
		skipnext=1 ;;
	-I*|-D*|-U*|-W*|-nostdinc|-M*|-c|-g*)
		;;
	-pg|-mfentry|-mrecord-mcount|-fpatchable-function-entry=*)
		;;
	-fsanitize*|-fmacro-prefix-map=*|-ffile-prefix-map=*|-fdebug-prefix-map=*)
		;;
	-m*|-f*|-O*|--param*|-std=*)
		flags="$flags $w" ;;
	*)
		;;
	esac
done
set +f

if [ -n "$OUTDIR" ]; then
	printf '%s\n' "$cc" > "$OUTDIR/kcc"
	# objtool as kbuild runs it on module objects (path made absolute).
	ot=$(printf '%s\n' "$line" | sed -n 's/.*; *\(\.\/tools\/objtool\/objtool[^;]*\) --module .*/\1 --module/p' | head -n 1)
	if [ -n "$ot" ]; then
		printf '%s\n' "$KDIR/${ot#./}" > "$OUTDIR/objtool"
	else
		: > "$OUTDIR/objtool"
	fi
fi

printf '%s\n' "${flags# }"
