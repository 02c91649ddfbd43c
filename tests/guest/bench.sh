#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench.sh [N]: guest side of `make bench`, run INSIDE the qemu guest by the
# /init of scripts/mkinitramfs.sh (started by scripts/bench.sh).
#
# Loads and unloads rump.ko N times (default 10) and prints, per load, the
# bootstrap time the module reports ("rump kernel bootstrap complete in N
# us") as `BOOT_US <n>`, and the wall time of each insmod in ms as
# `INSMOD_MS <n>`.  For a peer figure it times `modprobe tun` the same way
# (`PEER_INSMOD_MS <n>`).  The host side computes medians.
#
# Then, when scripts/bench.sh attached the FFS benchmark disk as /dev/vda
# (a UFS1 image holding the 64 MiB file /file64m), the FFS read figure:
# the file is read once through the rump kernel (rump.ko +
# rump_demoffs.ko bench=file64m: read-only mount, 1 MiB reads; the module
# prints the time) and once through Linux's own ufs driver (mount -t ufs
# -o ro,ufstype=44bsd, dd bs=1M timed with /proc/uptime), with the page
# cache dropped before each.  Lines: `FFS_RUMP <bytes> <us>` and
# `FFS_LINUX <bytes> <us>`, or `FFS_FAILED <why>`; a failure here does
# not fail the boot (the host prints it and goes on).

N=${1:-10}
i=0
while [ $i -lt "$N" ]; do
	i=$((i + 1))
	dmesg -c > /dev/null
	t0=$(cut -d' ' -f1 /proc/uptime)
	insmod /guest/rump.ko || { echo "FAIL: bench.load: insmod failed"; exit 1; }
	t1=$(cut -d' ' -f1 /proc/uptime)
	us=$(dmesg | sed -n 's/.*rump kernel bootstrap complete in \([0-9][0-9]*\) us.*/\1/p' | head -n 1)
	echo "BOOT_US ${us:-none}"
	echo "INSMOD_MS $(echo "$t0 $t1" | awk '{ printf "%d", ($2 - $1) * 1000 }')"
	rmmod rump || { echo "FAIL: bench.unload: rmmod failed"; exit 1; }
done
i=0
while [ $i -lt "$N" ]; do
	i=$((i + 1))
	t0=$(cut -d' ' -f1 /proc/uptime)
	modprobe tun || break
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "PEER_INSMOD_MS $(echo "$t0 $t1" | awk '{ printf "%d", ($2 - $1) * 1000 }')"
	rmmod tun || break
done
echo "PASS: bench.guest_loads"

FFS_BYTES=67108864
uptime_us() { awk '{ printf "%d", $1 * 1000000 }' /proc/uptime; }
ffs_failed() { echo "FFS_FAILED $*"; }

# rump side; prints FFS_RUMP or returns 1 after FFS_FAILED
ffs_rump() {
	echo 3 > /proc/sys/vm/drop_caches
	dmesg -c > /dev/null
	insmod /guest/rump.ko 2> /tmp/ffs.err ||
		{ ffs_failed "insmod rump.ko: $(cat /tmp/ffs.err)"; return 1; }
	insmod /guest/rump_demoffs.ko dev=/dev/vda bench=file64m 2> /tmp/ffs.err
	rc=$?
	line=$(dmesg | grep 'rump_demoffs: bench' | head -n 1)
	[ $rc -eq 0 ] && rmmod rump_demoffs
	rmmod rump || { ffs_failed "rmmod rump failed"; return 1; }
	if [ $rc -ne 0 ]; then
		ffs_failed "insmod rump_demoffs.ko bench=file64m: $(cat /tmp/ffs.err) ${line#*rump_demoffs: }"
		return 1
	fi
	set -- $(echo "$line" | sed -n 's/.*bench read \([0-9]*\) bytes in \([0-9]*\) us.*/\1 \2/p')
	if [ "${1:-}" != $FFS_BYTES ] || [ -z "${2:-}" ]; then
		ffs_failed "rump read: '${line:-no bench line}' (want $FFS_BYTES bytes)"
		return 1
	fi
	echo "FFS_RUMP $1 $2"
}

# Linux side; prints FFS_LINUX or FFS_FAILED
ffs_linux() {
	modprobe ufs 2> /tmp/ffs.err ||
		{ ffs_failed "modprobe ufs: $(cat /tmp/ffs.err)"; return 1; }
	mkdir -p /mnt
	mount -t ufs -o ro,ufstype=44bsd /dev/vda /mnt 2> /tmp/ffs.err ||
		{ ffs_failed "mount -t ufs: $(cat /tmp/ffs.err)"; return 1; }
	echo 3 > /proc/sys/vm/drop_caches
	t0=$(uptime_us)
	dd if=/mnt/file64m of=/dev/null bs=1M 2> /tmp/ffs.err
	rc=$?
	t1=$(uptime_us)
	size=$(wc -c < /mnt/file64m)
	umount /mnt
	if [ $rc -ne 0 ] || [ "$size" != $FFS_BYTES ]; then
		ffs_failed "Linux dd: rc $rc, size $size: $(tail -n 1 /tmp/ffs.err)"
		return 1
	fi
	echo "FFS_LINUX $size $((t1 - t0))"
}

if [ -b /dev/vda ]; then
	ffs_rump && ffs_linux
else
	ffs_failed "no /dev/vda (scripts/bench.sh attaches the FFS disk)"
fi
