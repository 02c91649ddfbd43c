#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ffsbad.sh [TAG]: FFS on damaged disks inside the qemu guest (busybox
# sh): mount or I/O errors, never an oops.
#
# Started by tests/guest/foundation.sh (MODE=all) in the same boot as
# ffs.sh.  `make test-guest` puts the images of scripts/mkffsbad.sh in
# the initramfs as /guest/bad/*.img with /guest/bad/list (`<image>
# <refuse|any>` per line).  rump.ko is loaded once; for each image
# rump_ffswalk.ko dev=/guest/bad/<image> (demos/ffs/rump_ffswalk.c:
# read-only mount and walk of everything, then a forced read-write mount
# with a few changes, through the rump API) is loaded and unloaded.  The
# images are files of the initramfs, so the writes change only them.
# One line per case, suite `guest.ffsbad` (`guest.<TAG.>ffsbad.<case>`):
#   <image>    the module loaded and said "done:", no oops, BUG or
#              WARNING in the kernel log since the previous image, and
#              for a `refuse` image the read-only mount was refused
#              (the rump kernel's lines of a failure are shown, indented)
#   no_leaks   rmmod rump at the end prints the zero leak line
# Exits non-zero if any case failed.

TAG=${1:+$1.}
KO=/guest/rump.ko
WALK=/guest/rump_ffswalk.ko
LIST=/guest/bad/list
LEAK0='leak report: 0 allocations (0 bytes), 0 threads live'
OOPS='BUG:|Oops|WARNING:|Call Trace|general protection|Kernel panic|rump kernel panicked'
nfail=0

pass() { echo "PASS: guest.${TAG}ffsbad.$1${2:+ ($2)}"; }
fail() { echo "FAIL: guest.${TAG}ffsbad.$1: $2"; nfail=$((nfail + 1)); }
klog_new() {
	dmesg -c > /tmp/klog.new
	cat /tmp/klog.new >> /tmp/klog.all
}
show() { grep -E 'rump_ffswalk:|rump: ' /tmp/klog.new | sed -e 's/^\[ *[0-9.]*\] //' -e 's/^/  /' | head -n 30; }

if [ ! -f $LIST ] || [ ! -f $WALK ]; then
	fail setup "no $LIST or $WALK in the image (make test-guest makes them)"
	exit 1
fi
klog_new
if ! insmod $KO 2> /tmp/insmod.err; then
	fail setup "insmod rump.ko: $(cat /tmp/insmod.err)"
	exit 1
fi
while read -r img expect; do
	[ -n "$img" ] || continue
	klog_new
	insmod $WALK dev=/guest/bad/"$img" 2> /tmp/insmod.err
	rc=$?
	klog_new
	done_line=$(grep 'rump_ffswalk: done:' /tmp/klog.new)
	if [ $rc -ne 0 ]; then
		fail "$img" "insmod rump_ffswalk.ko: $(cat /tmp/insmod.err)"
		show
	elif grep -qE "$OOPS" /tmp/klog.new; then
		fail "$img" "$(grep -E "$OOPS" /tmp/klog.new | head -n 1)"
		show
	elif [ -z "$done_line" ]; then
		fail "$img" "no 'rump_ffswalk: done:' line"
		show
	elif [ "$expect" = refuse ] && echo "$done_line" | grep -q 'ro mount 0,'; then
		fail "$img" "mounted, but must be refused: ${done_line#*rump_ffswalk: }"
		show
	else
		pass "$img" "${done_line#*rump_ffswalk: done: }"
	fi
	grep -q '^rump_ffswalk ' /proc/modules && rmmod rump_ffswalk
done < $LIST
klog_new
if rmmod rump 2> /tmp/rmmod.err; then
	klog_new
	if grep -qF "$LEAK0" /tmp/klog.new; then
		pass no_leaks
	else
		fail no_leaks "no zero leak line after rmmod rump"
		sed 's/^/  klog: /' /tmp/klog.new | tail -n 15
	fi
else
	fail no_leaks "rmmod rump: $(cat /tmp/rmmod.err)"
fi
[ $nfail -eq 0 ]
