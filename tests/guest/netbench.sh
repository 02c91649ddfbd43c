#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# netbench.sh: the network benchmarks of `make bench`, run INSIDE the qemu
# guest (busybox sh) by scripts/bench.sh, once per vCPU count.
#
# Two paths measured in the same boot by the same Linux-side program
# (/guest/nbench, tests/bench/guest_nbench.c):
#   rump   the rump kernel's TCP/IP stack in rump.ko, on virt0, the other
#          end of the tap rumptap0 (10.0.2.17 <-> Linux 10.0.2.2); its
#          side of each test is rump_netbench.ko (tests/kmod/netbench)
#   veth   Linux <-> Linux over a veth pair between two network namespaces
#          (10.0.3.1 <-> 10.0.3.2), with TSO/GSO/GRO, checksum offload and
#          scatter-gather off (the frames the tap path carries), and once
#          with them on (the stretch target's peer)
# Figures (one line each, parsed by scripts/bench.sh):
#   NETBENCH <path> to_peer <MB/s>    bulk TCP from Linux's side to the
#                                     rump stack, timed by the sender (nbench
#                                     source, until the peer's close)
#   NETBENCH <path> from_peer <MB/s>  bulk TCP from the rump stack into
#                                     Linux's side, timed by the receiver
#                                     (nbench sink, first byte to EOF)
# (veth: one transfer between the namespaces, timed both ways.)
#   NETBENCH <path> rr <per s>        1-byte request/response transactions
#   NETBENCH <path> ping_us <median>  ping -c 20 round trip, median in us
#   NETBENCH_FAILED <what>            a measurement that could not run
# Bulk transfers move NETBENCH_BYTES (default 64 MiB); rr runs 5 s.

BYTES=${NETBENCH_BYTES:-67108864}
RR_S=5
KO=/guest/rump.ko
NB=/guest/rump_netbench.ko
TAP=rumptap0
IP=
for p in /usr/bin/ip /usr/sbin/ip /sbin/ip; do
	[ -x "$p" ] && [ ! -L "$p" ] && { IP=$p; break; }
done
ETHTOOL=/usr/sbin/ethtool

failed() { echo "NETBENCH_FAILED $*"; }

# MB/s (10^6 bytes) of $1 bytes in $2 us, two decimals
mbps() { awk -v b="$1" -v us="$2" 'BEGIN { if (us > 0) printf "%.2f", b / us; else print 0 }'; }
rate() { awk -v n="$1" -v us="$2" 'BEGIN { if (us > 0) printf "%.0f", n * 1000000 / us; else print 0 }'; }

# ping_median ADDR [PREFIX...]: median of ping's "time=X ms" values, in
# us, of `PREFIX ping ADDR` (PREFIX: e.g. ip netns exec NS)
ping_median() {
	addr=$1
	shift
	"$@" ping -c 20 -i 0.2 -W 2 "$addr" 2> /dev/null |
		sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n |
		awk '{ v[NR] = $1 } END { if (NR == 0) exit 1;
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
			printf "%.0f\n", m * 1000 }'
}

# wait (up to $1 s) for rump_netbench's result line; prints "count us"
rump_result() {
	n=0
	while [ $n -lt $(($1 * 10)) ]; do
		line=$(dmesg | grep -E 'rump_netbench: (NBENCH|failed)' | tail -n 1)
		case "$line" in
		*NBENCH*) echo "$line" | sed 's/.*NBENCH [a-z]* //'; return 0 ;;
		*failed*) echo "$line" >&2; return 1 ;;
		esac
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

nb_load() {
	dmesg -c > /dev/null
	insmod $NB "$@" || { failed "insmod rump_netbench $*"; return 1; }
}
nb_unload() { rmmod rump_netbench 2> /dev/null; }

# ---------------------------------------------------------------- rump
rump_path() {
	if [ -z "$IP" ] || ! modprobe tun || ! $IP tuntap add dev $TAP mode tap ||
	    ! $IP addr add 10.0.2.2/24 dev $TAP || ! $IP link set $TAP up; then
		failed "rump: tap setup"
		return
	fi
	if ! insmod $KO vif=virt0:tap:$TAP; then
		failed "rump: insmod rump.ko"
		return
	fi

	# Linux sends, the rump stack sinks
	if nb_load role=sink; then
		sleep 0.2
		out=$(/guest/nbench source 10.0.2.17 5001 "$BYTES")
		r=$(rump_result 60)
		nb_unload
		set -- $out
		if [ "$1" = NBENCH ] && [ -n "$r" ]; then
			echo "NETBENCH rump to_peer $(mbps "$3" "$4")"
		else
			failed "rump to_peer ($out)"
		fi
	fi
	# the rump stack sends, Linux sinks
	/guest/nbench sink 5001 > /tmp/sink.out &
	sinkpid=$!
	sleep 0.2
	if nb_load role=source peer=10.0.2.2 bytes="$BYTES"; then
		r=$(rump_result 120)
		wait $sinkpid
		nb_unload
		set -- $(cat /tmp/sink.out)
		if [ "$1" = NBENCH ] && [ -n "$r" ]; then
			echo "NETBENCH rump from_peer $(mbps "$3" "$4")"
		else
			failed "rump from_peer ($(cat /tmp/sink.out))"
		fi
	else
		kill $sinkpid 2> /dev/null
	fi
	# 1-byte request/response: Linux asks, the rump stack echoes
	if nb_load role=echo; then
		sleep 0.2
		out=$(/guest/nbench rr 10.0.2.17 5001 $RR_S)
		rump_result 30 > /dev/null
		nb_unload
		set -- $out
		if [ "$1" = NBENCH ]; then
			echo "NETBENCH rump rr $(rate "$3" "$4")"
		else
			failed "rump rr ($out)"
		fi
	fi
	# ping answered by the rump stack
	if nb_load role=idle; then
		m=$(ping_median 10.0.2.17) && echo "NETBENCH rump ping_us $m" ||
			failed "rump ping"
		nb_unload
	fi
	rmmod rump
	dmesg | grep -E 'leak report' | tail -n 1
	$IP link del $TAP 2> /dev/null
}

# ---------------------------------------------------------------- veth
# veth_path on|off
veth_path() {
	tag=veth
	[ "$1" = on ] && tag=veth_offload
	$IP netns add nba && $IP netns add nbb &&
	$IP link add nbva type veth peer name nbvb &&
	$IP link set nbva netns nba && $IP link set nbvb netns nbb &&
	$IP -n nba addr add 10.0.3.1/24 dev nbva &&
	$IP -n nbb addr add 10.0.3.2/24 dev nbvb &&
	$IP -n nba link set nbva up && $IP -n nbb link set nbvb up &&
	$IP -n nba link set lo up && $IP -n nbb link set lo up ||
		{ failed "$tag: setup"; return; }
	if [ "$1" = off ]; then
		for ns in nba:nbva nbb:nbvb; do
			$IP netns exec "${ns%%:*}" $ETHTOOL -K "${ns#*:}" tso off gso off \
			    gro off tx off rx off sg off > /dev/null 2>&1 ||
				failed "$tag: ethtool -K ${ns#*:}"
		done
	fi
	A="$IP netns exec nba" B="$IP netns exec nbb"

	$A /guest/nbench sink 5001 > /tmp/vsink.out &
	sleep 0.2
	out=$($B /guest/nbench source 10.0.3.1 5001 "$BYTES")
	wait
	set -- $out
	[ "$1" = NBENCH ] && echo "NETBENCH $tag to_peer $(mbps "$3" "$4")" ||
		failed "$tag to_peer"
	set -- $(cat /tmp/vsink.out)
	[ "$1" = NBENCH ] && echo "NETBENCH $tag from_peer $(mbps "$3" "$4")" ||
		failed "$tag from_peer"

	$A /guest/nbench echo 5001 &
	sleep 0.2
	out=$($B /guest/nbench rr 10.0.3.1 5001 $RR_S)
	wait
	set -- $out
	[ "$1" = NBENCH ] && echo "NETBENCH $tag rr $(rate "$3" "$4")" ||
		failed "$tag rr"

	m=$(ping_median 10.0.3.1 $B) &&
		echo "NETBENCH $tag ping_us $m" || failed "$tag ping"
	$IP netns del nba
	$IP netns del nbb
}

[ -x /guest/nbench ] || { failed "no /guest/nbench"; exit 1; }
mkdir -p /run/netns
rump_path
modprobe veth
veth_path off
veth_path on
exit 0
