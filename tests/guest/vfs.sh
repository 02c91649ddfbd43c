#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# vfs.sh [TAG]: the file system cases of rump.ko, run INSIDE the qemu guest
# (busybox sh).
#
# Started by tests/guest/foundation.sh (MODE=all) in the same boot, so the
# file system cases cost no extra qemu boot; scripts/guest-test.sh puts
# this script into the image as /guest/vfs.sh.  Modules are in /guest.
# One line per case, suite `guest.vfs` (`guest.<TAG.>vfs.<case>`):
#   demofs_ok       insmod rump_demofs.ko on rump.ko succeeds and the kernel
#                   log says "rump_demofs: ok" (the demo's lines are shown,
#                   indented)
#   demofs_unload   rmmod rump_demofs
#   <case>          each case of rump_vfstest.ko (demos/vfstest/vfstest.c),
#                   relayed from its "rump_vfstest: PASS|FAIL: ..." lines
#   vfstest_ran     rump_vfstest.ko printed results and its summary agrees
#   no_leaks        rmmod rump after both clients: the zero leak line
# Exits non-zero if any case failed.

TAG=${1:+$1.}
KO=/guest/rump.ko
DEMO=/guest/rump_demofs.ko
VT=/guest/rump_vfstest.ko
LEAK0='leak report: 0 allocations (0 bytes), 0 threads live'
nfail=0

pass() { echo "PASS: guest.${TAG}vfs.$1${2:+ ($2)}"; }
fail() { echo "FAIL: guest.${TAG}vfs.$1: $2"; nfail=$((nfail + 1)); }

# Kernel log lines since the previous call; the whole log is kept in
# /tmp/klog.all (the /init dumps it at the end).
klog_new() {
	dmesg -c > /tmp/klog.new
	cat /tmp/klog.new >> /tmp/klog.all
}
# the kernel log lines of one module, without timestamps, indented
klog_show() {
	grep -F "$1:" /tmp/klog.new | sed -e 's/^\[ *[0-9.]*\] //' -e 's/^/  /'
}
loaded() { grep -q "^$1 " /proc/modules; }

klog_new
if ! insmod $KO 2> /tmp/insmod.err; then
	fail demofs_ok "insmod rump.ko: $(cat /tmp/insmod.err)"
	fail no_leaks "rump.ko not loaded"
	exit 1
fi
klog_new

# --- the demo module
if [ ! -f $DEMO ]; then
	fail demofs_ok "$DEMO not in the image"
else
	insmod $DEMO 2> /tmp/insmod.err
	rc=$?
	klog_new
	klog_show rump_demofs
	if [ $rc -ne 0 ]; then
		fail demofs_ok "insmod rump_demofs.ko: $(cat /tmp/insmod.err)"
	elif ! grep -q 'rump_demofs: ok' /tmp/klog.new; then
		fail demofs_ok "no 'rump_demofs: ok' line"
	else
		pass demofs_ok
	fi
	if loaded rump_demofs; then
		if rmmod rump_demofs 2> /tmp/rmmod.err; then
			pass demofs_unload
		else
			fail demofs_unload "rmmod: $(cat /tmp/rmmod.err)"
		fi
	fi
	klog_new
fi

# --- the VFS test cases
if [ ! -f $VT ]; then
	fail vfstest_ran "$VT not in the image"
else
	insmod $VT 2> /tmp/insmod.err
	rc=$?
	klog_new
	# relay the result lines, with this script's tag
	sed -n -E 's/^.*rump_vfstest: (PASS|FAIL): guest\.vfs\./\1: guest.'"$TAG"'vfs./p' \
		/tmp/klog.new > /tmp/vfstest.res
	cat /tmp/vfstest.res
	nres=$(wc -l < /tmp/vfstest.res)
	nbad=$(grep -c '^FAIL: ' /tmp/vfstest.res)
	nfail=$((nfail + nbad))
	said=$(sed -n 's/.*rump_vfstest: done: \([0-9]*\) failed.*/\1/p' /tmp/klog.new | head -n 1)
	if [ "$nres" -eq 0 ]; then
		fail vfstest_ran "no result lines (insmod: $(cat /tmp/insmod.err))"
		klog_show rump_vfstest | tail -n 15
	elif [ "$said" != "$nbad" ]; then
		fail vfstest_ran "module says '${said:-nothing}' failed, relayed $nbad"
	elif [ $rc -ne 0 ] && [ "$nbad" -eq 0 ]; then
		fail vfstest_ran "insmod failed without a failed case: $(cat /tmp/insmod.err)"
	else
		pass vfstest_ran "$nres cases"
	fi
	loaded rump_vfstest && rmmod rump_vfstest
	klog_new
fi

# --- nothing left behind
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
