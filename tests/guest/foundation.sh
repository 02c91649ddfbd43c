#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# foundation.sh MODE [TAG]: the foundation tests of rump.ko, run INSIDE the
# qemu guest (busybox sh) by the /init of scripts/mkinitramfs.sh.
#
# Started by `make test-guest` through scripts/guest-test.sh: once with
# MODE=all on 2 CPUs, once with MODE=basic TAG=smp1 on 1 CPU.  Modules are
# in /guest (rump.ko, rump_hello.ko).  One line per case, suite `guest`
# (`guest.<TAG.>case`).  Cases:
#   load_bootstrap   insmod rump.ko; dmesg: "rump kernel bootstrap complete
#                    in N us" (N printed)
#   unload_no_leak   rmmod rump; dmesg: the zero leak-report line
#   load_cycles_20   20 insmod/rmmod cycles, each with the zero leak line
#   modinfo_params   modinfo lists ncpu, hostname and verbose with text
#   bad_param        insmod rump.ko ncpu=-3 fails and leaves nothing loaded
#   ncpu_1, ncpu_2   insmod with ncpu=1 / ncpu=2 boots and unloads cleanly
#   hello_client     rump_hello.ko on top of rump.ko prints "rump_hello: ok"
#   panic_inject_1/2 echo 1|2 > .../panic_inject: the host survives, dmesg
#                    says "rump kernel panicked", rmmod works, zero leaks
#   console_ratelimit echo 5000 > .../test_console (a rump kernel printing
#                    in a loop): at most 1500 of the lines reach the host
#                    log, at least one does, rmmod is clean
# MODE=all then runs the file system cases of tests/guest/vfs.sh, the
# FFS cases of tests/guest/ffs.sh and the damaged-disk cases of
# tests/guest/ffsbad.sh in the same boot (suites guest.vfs, guest.ffs and
# guest.ffsbad; scripts/guest-test.sh puts them in /guest; ffs.sh needs
# the disks the Makefile's test-guest attaches to this boot, ffsbad.sh
# the damaged images it puts in the initramfs).
# Both modes then run the virtual interface cases of tests/guest/net.sh
# (suite guest.net), and MODE=all the network demo's cases of
# tests/guest/demonet.sh (suite guest.demonet).
# The script exits non-zero if any case failed.

MODE=${1:-all}
TAG=${2:+$2.}
KO=/guest/rump.ko
HELLO=/guest/rump_hello.ko
LEAK0='leak report: 0 allocations (0 bytes), 0 threads live'
nfail=0

pass() { echo "PASS: guest.$TAG$1${2:+ ($2)}"; }
fail() { echo "FAIL: guest.$TAG$1: $2"; nfail=$((nfail + 1)); }

# Kernel log lines since the previous call (the full log stays in
# /tmp/klog.all; the ring buffer is cleared so each case sees its own).
klog_new() {
	dmesg -c > /tmp/klog.new
	cat /tmp/klog.new >> /tmp/klog.all
}

loaded() { grep -q '^rump ' /proc/modules; }

# unload rump.ko if loaded; true if it unloaded and reported zero leaks
unload_checked() {
	rmmod rump 2> /tmp/rmmod.err || return 1
	klog_new
	grep -qF "$LEAK0" /tmp/klog.new
}

# Show the lines a failed case was looking at, prefixed so they are not
# mistaken for results.
show_klog() {
	sed 's/^/  klog: /' /tmp/klog.new | tail -n 15
}

case_load_unload() {
	klog_new
	if ! insmod $KO 2> /tmp/insmod.err; then
		fail load_bootstrap "insmod: $(cat /tmp/insmod.err)"
		fail unload_no_leak "not loaded"
		return
	fi
	klog_new
	us=$(sed -n 's/.*rump kernel bootstrap complete in \([0-9][0-9]*\) us.*/\1/p' /tmp/klog.new | head -n 1)
	if [ -n "$us" ]; then
		pass load_bootstrap "$us us"
	else
		fail load_bootstrap "no 'rump kernel bootstrap complete in N us' line"
		show_klog
	fi
	if unload_checked; then
		pass unload_no_leak
	else
		fail unload_no_leak "rmmod: $(cat /tmp/rmmod.err); no zero leak line"
		show_klog
	fi
}

case_cycles() {
	n=0
	i=0
	while [ $i -lt 20 ]; do
		i=$((i + 1))
		klog_new
		insmod $KO 2> /tmp/insmod.err || break
		unload_checked || break
		n=$((n + 1))
	done
	if [ $n -eq 20 ]; then
		pass load_cycles_20 "20/20 clean"
	else
		fail load_cycles_20 "only $n of 20 cycles clean (cycle $i: $(cat /tmp/insmod.err /tmp/rmmod.err 2>/dev/null | head -n 1))"
		show_klog
		loaded && rmmod rump
	fi
}

case_modinfo() {
	modinfo $KO > /tmp/modinfo.out 2>&1
	missing=
	for p in ncpu hostname verbose; do
		grep -qE "^parm:[[:space:]]+$p:[^[:space:]]" /tmp/modinfo.out || missing="$missing $p"
	done
	if [ -z "$missing" ]; then
		pass modinfo_params
	else
		fail modinfo_params "no described parameter:$missing"
		sed 's/^/  modinfo: /' /tmp/modinfo.out | grep parm
	fi
}

case_bad_param() {
	klog_new
	if insmod $KO ncpu=-3 2> /tmp/insmod.err; then
		fail bad_param "insmod ncpu=-3 succeeded"
		rmmod rump
	elif loaded || [ -d /sys/module/rump ]; then
		fail bad_param "insmod failed but rump is still loaded"
	else
		pass bad_param
	fi
	klog_new
}

case_ncpu() {
	klog_new
	if ! insmod $KO ncpu=$1 2> /tmp/insmod.err; then
		fail ncpu_$1 "insmod ncpu=$1: $(cat /tmp/insmod.err)"
		return
	fi
	klog_new
	if ! grep -q 'rump kernel bootstrap complete' /tmp/klog.new; then
		fail ncpu_$1 "no bootstrap line"
		show_klog
		loaded && rmmod rump
	elif ! unload_checked; then
		fail ncpu_$1 "unload not clean"
		show_klog
	else
		pass ncpu_$1
	fi
}

case_hello() {
	if [ ! -f $HELLO ]; then
		fail hello_client "$HELLO not in the image"
		return
	fi
	klog_new
	if ! insmod $KO 2> /tmp/insmod.err; then
		fail hello_client "insmod rump.ko: $(cat /tmp/insmod.err)"
		return
	fi
	if ! insmod $HELLO 2> /tmp/insmod.err; then
		fail hello_client "insmod rump_hello.ko: $(cat /tmp/insmod.err)"
		rmmod rump
		klog_new
		return
	fi
	rmmod rump_hello 2> /tmp/rmmod.err
	rc=$?
	klog_new
	cp /tmp/klog.new /tmp/klog.hello
	if [ $rc -ne 0 ]; then
		fail hello_client "rmmod rump_hello: $(cat /tmp/rmmod.err)"
	elif ! grep -q 'rump_hello: ok' /tmp/klog.hello; then
		fail hello_client "no 'rump_hello: ok' line"
		sed 's/^/  klog: /' /tmp/klog.hello | tail -n 15
		rmmod rump
	elif ! unload_checked; then
		fail hello_client "rmmod rump not clean after the client"
		show_klog
	else
		pass hello_client
	fi
}

case_panic() {
	name=panic_inject_$1
	klog_new
	if ! insmod $KO 2> /tmp/insmod.err; then
		fail $name "insmod: $(cat /tmp/insmod.err)"
		return
	fi
	if [ ! -e /sys/module/rump/parameters/panic_inject ]; then
		fail $name "no /sys/module/rump/parameters/panic_inject"
		rmmod rump
		klog_new
		return
	fi
	echo $1 > /sys/module/rump/parameters/panic_inject
	sleep 1
	alive=$(echo alive)
	klog_new
	cp /tmp/klog.new /tmp/klog.panic
	if [ "$alive" != alive ]; then
		fail $name "host shell not responding"
	elif ! grep -q 'rump kernel panicked' /tmp/klog.panic; then
		fail $name "no 'rump kernel panicked' line"
		sed 's/^/  klog: /' /tmp/klog.panic | tail -n 15
		rmmod rump
	elif ! unload_checked; then
		fail $name "rmmod after panic not clean: $(cat /tmp/rmmod.err)"
		show_klog
	else
		pass $name
	fi
}

case_console_flood() {
	name=console_ratelimit
	klog_new
	if ! insmod $KO 2> /tmp/insmod.err; then
		fail $name "insmod: $(cat /tmp/insmod.err)"
		return
	fi
	if ! echo 5000 > /sys/module/rump/parameters/test_console; then
		fail $name "write to test_console failed"
		rmmod rump
		klog_new
		return
	fi
	klog_new
	n=$(grep -c 'rump: console test line' /tmp/klog.new)
	if [ "$n" -lt 1 ] || [ "$n" -gt 1500 ]; then
		fail $name "$n of 5000 flood lines in the kernel log (want 1..1500)"
		rmmod rump
		klog_new
	elif ! unload_checked; then
		fail $name "rmmod not clean: $(cat /tmp/rmmod.err)"
		show_klog
	else
		pass $name "$n of 5000 lines logged"
	fi
}

: > /tmp/klog.all
klog_new
case_load_unload
if [ "$MODE" = all ]; then
	case_cycles
	case_modinfo
	case_bad_param
	case_ncpu 1
	case_ncpu 2
	case_hello
	case_panic 1
	case_panic 2
	case_console_flood
	# the file system cases share this boot
	if [ -f /guest/vfs.sh ]; then
		sh /guest/vfs.sh $2 || nfail=$((nfail + 1))
	else
		fail vfs "/guest/vfs.sh not in the image"
	fi
	if [ -f /guest/ffs.sh ]; then
		sh /guest/ffs.sh $2 || nfail=$((nfail + 1))
	else
		fail ffs "/guest/ffs.sh not in the image"
	fi
	if [ -f /guest/ffsbad.sh ]; then
		sh /guest/ffsbad.sh $2 || nfail=$((nfail + 1))
	else
		fail ffsbad "/guest/ffsbad.sh not in the image"
	fi
fi
# the virtual interface cases, in both boots (tests/guest/net.sh)
if [ -f /guest/net.sh ]; then
	sh /guest/net.sh $2 || nfail=$((nfail + 1))
else
	fail net "/guest/net.sh not in the image"
fi
# the network demo (needs TCP and DHCP too), in the full boot
if [ "$MODE" = all ]; then
	if [ -f /guest/demonet.sh ]; then
		sh /guest/demonet.sh $2 || nfail=$((nfail + 1))
	else
		fail demonet "/guest/demonet.sh not in the image"
	fi
fi
loaded && { echo "foundation: rump still loaded at the end"; rmmod rump; }
[ $nfail -eq 0 ]
