#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# netlat.sh [ROUNDS] [COUNT]: ping round-trip medians, run INSIDE the qemu
# guest (busybox sh): Linux -> rump stack over the tap, beside Linux ->
# Linux over a veth pair into a network namespace, in the same boot; and
# the other direction, rump -> Linux over the tap (the rump stack's raw
# ICMP socket, rump_vifclient.ko ping=).
#
# Not part of `make check` (a measurement, no pass/fail threshold); run by
# hand through scripts/guest-test.sh, once per CPU count:
#     scripts/guest-test.sh netlat1 tests/guest/netlat.sh 1 ""
#     scripts/guest-test.sh netlat2 tests/guest/netlat.sh 2 ""
# Setup: rump.ko vif=virt0:tap:rumptap0 and rump_vifclient.ko give the rump
# stack 10.0.2.17/24 behind rumptap0 (Linux 10.0.2.2); the veth pair
# nlveth0 (10.0.3.1, this namespace) -- nlveth1 (10.0.3.2, namespace
# nlpeer), with every offload off on both ends (TSO/GSO/GRO/checksum/SG:
# the same frames as the tap path).  The two paths are measured in
# alternating rounds (ROUNDS, default 4, of COUNT pings each, default 50,
# 0.05 s apart) so that both see the same host load; the medians are over
# all pings of a path.  rump -> Linux runs once per round too (the client
# reloaded with ping=10.0.2.2 count=COUNT); the module logs each round's
# median, and the median of those is printed.
# Output: one `NETLAT <path> median <ms> min <ms> n <replies>` line per
# path, `NETLAT ratio <rump/veth>`, `NETLAT rump_to_linux median <ms>
# rounds <ms,...>`, and PASS/FAIL lines for the setup (suite guest.netlat)
# so that a broken setup is visible.

ROUNDS=${1:-4}
COUNT=${2:-50}
KO=/guest/rump.ko
CL=/guest/rump_vifclient.ko
IP=/usr/bin/ip		# iproute2 (busybox's ip has no netns or veth)
ETHTOOL=/usr/sbin/ethtool
RUMPIP=10.0.2.17
VETHIP=10.0.3.2
nfail=0

pass() { echo "PASS: guest.netlat.$1${2:+ ($2)}"; }
fail() { echo "FAIL: guest.netlat.$1: $2"; nfail=$((nfail + 1)); }

# the "time=X ms" values of ping output, one a line
ping_times() { sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p'; }

# median, minimum and count of a file of values
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "none none 0"; exit }
		if (NR % 2) m = v[(NR + 1) / 2]
		else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f %d\n", m, v[1], NR }'
}

modprobe tun || fail setup "modprobe tun"
modprobe veth || fail setup "modprobe veth"
$IP link set lo up

# --- the rump stack on the tap
if insmod $KO vif=virt0:tap:rumptap0 2> /tmp/insmod.err &&
    $IP addr add 10.0.2.2/24 dev rumptap0 &&
    $IP link set rumptap0 up &&
    insmod $CL 2>> /tmp/insmod.err &&
    ping -c 2 -W 5 $RUMPIP > /dev/null 2>&1; then
	pass rump_setup
else
	fail rump_setup "$(cat /tmp/insmod.err) $(dmesg | tail -n 5 | tr '\n' ' ')"
fi

# --- Linux peer in a namespace over veth, offloads off
off="tso off gso off gro off tx off rx off sg off"
if $IP netns add nlpeer &&
    $IP link add nlveth0 type veth peer name nlveth1 &&
    $IP link set nlveth1 netns nlpeer &&
    $IP addr add 10.0.3.1/24 dev nlveth0 &&
    $IP netns exec nlpeer $IP addr add $VETHIP/24 dev nlveth1 &&
    $ETHTOOL -K nlveth0 $off &&
    $IP netns exec nlpeer $ETHTOOL -K nlveth1 $off &&
    $IP link set nlveth0 up &&
    $IP netns exec nlpeer $IP link set lo up &&
    $IP netns exec nlpeer $IP link set nlveth1 up &&
    ping -c 2 -W 5 $VETHIP > /dev/null 2>&1; then
	pass veth_setup "$($ETHTOOL -k nlveth0 | grep -E '^(tcp-segmentation-offload|generic-receive-offload|tx-checksumming):' | tr '\n' ' ')"
else
	fail veth_setup "veth pair into namespace nlpeer"
fi

# the guest's idle method and command line, to compare boots (booting
# with idle=halt changed nothing: 2-vCPU medians are about wake-ups)
echo "NETLAT idle $(cat /sys/devices/system/cpu/cpuidle/current_driver 2> /dev/null || echo none) mwait $(grep -c -w monitor /proc/cpuinfo) cmdline $(cat /proc/cmdline)"
: > /tmp/rump.t
: > /tmp/veth.t
: > /tmp/r2l.t
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	ping -c "$COUNT" -i 0.05 $RUMPIP 2> /dev/null | ping_times >> /tmp/rump.t
	ping -c "$COUNT" -i 0.05 $VETHIP 2> /dev/null | ping_times >> /tmp/veth.t
	# rump -> Linux: a fresh client (new MAC: Linux's entry flushed)
	rmmod rump_vifclient && $IP neigh flush dev rumptap0 &&
	    dmesg -c > /dev/null &&
	    insmod $CL ping=10.0.2.2 count="$COUNT" 2> /dev/null
	dmesg | sed -n 's/.*rump_vifclient: ping .* median \([0-9]*\) us.*/\1/p' |
	    awk '{ printf "%.3f\n", $1 / 1000 }' >> /tmp/r2l.t
done
set -- $(stats /tmp/rump.t)
rmed=$1
echo "NETLAT rump_tap median $1 min $2 n $3"
set -- $(stats /tmp/veth.t)
vmed=$1
echo "NETLAT linux_veth median $1 min $2 n $3"
if [ "$rmed" != none ] && [ "$vmed" != none ]; then
	echo "NETLAT ratio $(echo "$rmed $vmed" | awk '{ printf "%.2f", $1 / $2 }') (rump/veth, $(grep -c ^processor /proc/cpuinfo) CPUs)"
	pass measured "rump $rmed ms, veth $vmed ms"
else
	fail measured "no replies (rump $rmed, veth $vmed)"
fi

set -- $(stats /tmp/r2l.t)
if [ "$3" -eq "$ROUNDS" ]; then
	echo "NETLAT rump_to_linux median $1 rounds $(tr '\n' ' ' < /tmp/r2l.t)"
	pass rump_to_linux "median of round medians $1 ms"
else
	fail rump_to_linux "$3 of $ROUNDS rounds gave a median: $(dmesg | grep rump_vifclient | tail -n 3 | tr '\n' ' ')"
fi

grep -q '^rump_vifclient ' /proc/modules && rmmod rump_vifclient
grep -q '^rump ' /proc/modules && rmmod rump
$IP link del nlveth0 2> /dev/null
$IP netns del nlpeer 2> /dev/null
[ $nfail -eq 0 ]
