#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# kver.sh: print the kernel version the modules are built for and booted in.
#
# Called by the top-level Makefile and the guest/bench scripts.  The answer is
# the newest version V that has both /lib/modules/V/build (headers to build
# against) and /boot/vmlinuz-V (an image to boot in qemu).  The build machine's
# own kernel (uname -r) is deliberately never consulted: it is not the kernel
# the modules run in.  KVER=<ver> in the environment overrides the search.
set -eu

if [ -n "${KVER:-}" ]; then
	printf '%s\n' "$KVER"
	exit 0
fi

best=
for dir in /lib/modules/*/build; do
	[ -d "$dir" ] || continue
	v=${dir%/build}
	v=${v#/lib/modules/}
	[ -f "/boot/vmlinuz-$v" ] || continue
	best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V | tail -n 1)
done

if [ -z "$best" ]; then
	echo "kver.sh: no kernel with both /lib/modules/V/build and /boot/vmlinuz-V;" \
	    "run scripts/deps.sh (linux-image-amd64, linux-headers-amd64)" >&2
	exit 1
fi
printf '%s\n' "$best"
