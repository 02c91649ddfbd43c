#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench.sh: the figures of `make bench`.
#
# Called by `make bench` (after scripts/deps.sh).  Prints one line per
# figure, `bench: <name>: <value> <unit>`, followed where one exists by the
# peer figure it should be read against, `   peer: <what>: <value> <unit>`:
#   1. every userspace benchmark program build/perf/bench/* (built from
#      tests/bench/host_*.c, linked like the host tests, against the perf
#      flavour: the rump kernel without DIAGNOSTIC); their own output
#      lines are passed through unchanged (a program prints its own peer
#      figures next to its own);
#   2. a guest boot (tests/guest/bench.sh): median over 10 loads of the
#      bootstrap time rump.ko reports in its dmesg line, and of the insmod
#      wall time, peer: insmod of Linux's tun module in the same guest (only
#      ratios within one TCG guest mean anything); in the same boot, the
#      FFS read of a 64 MiB file (a UFS1 image made here, attached as
#      /dev/vda) through the rump kernel and, peer, through Linux's own
#      ufs driver on the same disk: `bench: guest.ffs_read_64m rump <MiB/s>
#      (peer Linux ufs <MiB/s>, ratio <x>)`, or `bench:
#      guest.ffs_read_64m: failed: <why>` (not fatal);
#   3. two guest boots (2 and 1 vCPUs) of tests/guest/netbench.sh: TCP
#      bulk both ways, 1-byte request/response rate and ping median of the
#      rump stack over a tap against Linux <-> Linux over veth in the same
#      boot, as ratios (`bench: guest.net.smpN.<figure> rump ... (peer
#      ..., ratio ...)`);
#   4. `size` of rump.ko's text, peer: Linux's own ufs.ko and tun.ko, and
#      the text of each subsystem of the kernel-flavour rump kernel (the
#      issues set targets per subsystem).
# Hooks: BENCH_LOADS (default 10).
set -u

here=$(dirname "$0")
MAKE=${MAKE:-make}
V=$("$here/kver.sh") || exit 1
st=0

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else print a[int((NR + 1) / 2)] }'; }

echo "== building"
$MAKE --no-print-directory perf-bench modules || exit 1

echo "== userspace benchmarks"
found=0
for b in build/perf/bench/*; do
	[ -x "$b" ] || continue
	found=1
	echo "-- $(basename "$b")"
	"$b" || { echo "bench: $(basename "$b"): exited $?"; st=1; }
done
[ "$found" = 1 ] || echo "(no programs in tests/bench/host_*.c yet)"

# The FFS read disk: UFS1 (Linux's ufs driver finds its superblock; see
# tests/guest/ffs.sh), 32 KiB blocks, 4 KiB fragments, one 64 MiB file.
ffsimg=build/guest/ffsbench-ufs1.img
mkffsbench() {
	tree=$(mktemp -d /tmp/ffsbench.XXXXXX) || return 1
	dd if=/dev/urandom of="$tree/file64m" bs=1M count=64 2> /dev/null &&
	    makefs -t ffs -B le -s 80m \
		-o version=1,bsize=32768,fsize=4096 "$ffsimg" "$tree" > /dev/null
	rc=$?
	rm -rf "$tree"
	return $rc
}
mkdir -p build/guest
rm -f "$ffsimg"
disks=
if mkffsbench; then
	disks=$ffsimg
else
	echo "bench: guest.ffs_read_64m: failed: could not make $ffsimg"
fi

echo "== guest: insmod-to-bootstrap over ${BENCH_LOADS:-10} loads, FFS read"
DISKS="$disks" "$here/guest-test.sh" bench tests/guest/bench.sh 2 "${BENCH_LOADS:-10}" || st=1
log=build/guest/bench.log
boot=$(tr -d '\r' < "$log" | sed -n 's/^BOOT_US \([0-9][0-9]*\)$/\1/p' | median)
ins=$(tr -d '\r' < "$log" | sed -n 's/^INSMOD_MS \([0-9][0-9]*\)$/\1/p' | median)
peer=$(tr -d '\r' < "$log" | sed -n 's/^PEER_INSMOD_MS \([0-9][0-9]*\)$/\1/p' | median)
echo "bench: guest.bootstrap_median: $boot us (TCG guest)"
echo "bench: guest.insmod_median: $ins ms"
echo "   peer: insmod of Linux tun.ko in the same guest: $peer ms"
ffsfail=$(tr -d '\r' < "$log" | sed -n 's/^FFS_FAILED //p' | head -n 1)
rump=$(tr -d '\r' < "$log" | sed -n 's/^FFS_RUMP \([0-9]* [0-9]*\)$/\1/p' | head -n 1)
lnx=$(tr -d '\r' < "$log" | sed -n 's/^FFS_LINUX \([0-9]* [0-9]*\)$/\1/p' | head -n 1)
if [ -n "$ffsfail" ]; then
	echo "bench: guest.ffs_read_64m: failed: $ffsfail"
elif [ -z "$disks" ]; then
	:	# said above
elif [ -z "$rump" ] || [ -z "$lnx" ]; then
	echo "bench: guest.ffs_read_64m: failed: no figures in $log"
else
	echo "$rump $lnx" | awk '{
		r = $2 > 0 ? $1 / 1048576 / ($2 / 1e6) : 0
		l = $4 > 0 ? $3 / 1048576 / ($4 / 1e6) : 0
		printf "bench: guest.ffs_read_64m rump %.1f MiB/s (peer Linux ufs %.1f MiB/s, ratio %.2f) (TCG guest)\n", r, l, (l > 0 ? r / l : 0) }'
fi
rm -f "$ffsimg"

# The network: tests/guest/netbench.sh, with 2 and with 1 vCPUs.  Each
# rump figure is printed beside Linux <-> Linux over veth (offloads off,
# the same frames as the tap path) from the same boot, as a ratio; bulk
# also beside veth with offloads on (the stretch target's peer).
netfig() {	# netfig LOG PATH WHAT
	tr -d '\r' < "$1" | sed -n "s/^NETBENCH $2 $3 \([0-9.]*\)$/\1/p" | head -n 1
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
for smp in 2 1; do
	echo "== guest: TCP/IP, rump stack over tap vs Linux over veth, $smp vCPU(s)"
	"$here/guest-test.sh" netbench-smp$smp tests/guest/netbench.sh $smp "" ||
		{ echo "bench: guest.net.smp$smp: failed (see build/guest/netbench-smp$smp.log)"; st=1; }
	log=build/guest/netbench-smp$smp.log
	tr -d '\r' < "$log" | sed -n 's/^NETBENCH_FAILED /bench: guest.net.smp'$smp': failed: /p'
	for what in to_peer from_peer; do
		r=$(netfig "$log" rump $what); v=$(netfig "$log" veth $what)
		o=$(netfig "$log" veth_offload $what)
		echo "bench: guest.net.smp$smp.tcp_bulk_$what rump ${r:-n/a} MB/s (peer Linux veth offloads off ${v:-n/a} MB/s, ratio $(ratio "$r" "$v"); offloads on ${o:-n/a} MB/s, ratio $(ratio "$r" "$o"))"
	done
	r=$(netfig "$log" rump rr); v=$(netfig "$log" veth rr)
	echo "bench: guest.net.smp$smp.tcp_rr_1byte rump ${r:-n/a}/s (peer Linux veth ${v:-n/a}/s, ratio $(ratio "$r" "$v"))"
	r=$(netfig "$log" rump ping_us); v=$(netfig "$log" veth ping_us)
	echo "bench: guest.net.smp$smp.ping_median rump ${r:-n/a} us (peer Linux veth ${v:-n/a} us, ratio $(ratio "$r" "$v"))"
done

echo "== module size"
text() { size "$1" 2>/dev/null | awk 'NR == 2 { print $1 }'; }
echo "bench: rump.ko.text: $(text rump.ko) bytes"
for m in fs/ufs/ufs.ko drivers/net/tun.ko; do
	f=/lib/modules/$V/kernel/$m
	[ -f "$f" ] && echo "   peer: Linux $(basename "$m"): $(text "$f") bytes"
done
# Text of each subsystem in the kernel flavour: the foundation (kern, lib,
# asm) and every directory below rumpsrc/ that holds objects.
subtext() {
	find "$@" -name '*.o' 2>/dev/null | xargs -r size 2>/dev/null |
	    awk 'NR > 1 { t += $1 } END { print t + 0 }'
}
o=build/kern/obj
echo "bench: text.foundation (kern lib asm): $(subtext $o/rumpsrc/kern $o/rumpsrc/lib $o/asm) bytes"
for d in $(cd $o/rumpsrc 2>/dev/null && find . -mindepth 1 -type d | sort); do
	d=${d#./}
	case $d in kern|lib|fs) continue ;; esac
	echo "bench: text.$d: $(subtext $o/rumpsrc/$d) bytes"
done
exit "$st"
