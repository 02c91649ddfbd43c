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
