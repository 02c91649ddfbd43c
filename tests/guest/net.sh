#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# net.sh [TAG]: the virtual interface cases of rump.ko, run INSIDE the qemu
# guest (busybox sh): the rump stack on a tap held inside the kernel,
# against the guest's own Linux stack.
#
# Started by tests/guest/foundation.sh in the same boot (both boots:
# 2 CPUs, and 1 CPU with TAG smp1); scripts/guest-test.sh puts this script
# into the image as /guest/net.sh, with rump.ko, rump_vifclient.ko
# (tests/kmod/vifclient) and the Debian module tun.
# One line per case, suite `guest.net` (`guest.<TAG.>net.<case>`):
#   bad_vif_param     insmod rump.ko with malformed vif= values is refused,
#                     with the reason in the kernel log, nothing loaded
#   tap_created       insmod rump.ko vif=virt0:tap:rumptap0 creates the tap
#   client_up         rump_vifclient.ko creates virt0 = 10.0.2.17/24, up
#   linux_pings_rump  Linux (10.0.2.2 on the tap) pings 10.0.2.17: 3 replies
#   ping_median       21 pings: median round trip (printed), beside Linux
#                     pinging itself over lo (a floor, not a peer)
#   destroy_under_flood  rmmod rump_vifclient (ifdestroy) while Linux
#                     floods 10.0.2.17 with pings
#   recreate_works    insmod rump_vifclient keep=1 again (a new MAC
#                     address: Linux's stale ARP entry is flushed first):
#                     ping answered
#   rmmod_under_flood rmmod rump while the flood goes on (the interface
#                     is destroyed by the rump kernel's shutdown): the zero
#                     leak line, and the tap is gone
#   persistent_tap    a tap made beforehand (tunctl) is attached, answers
#                     ping, and is still there after rmmod rump
# Exits non-zero if any case failed.

TAG=${1:+$1.}
KO=/guest/rump.ko
CL=/guest/rump_vifclient.ko
LEAK0='leak report: 0 allocations (0 bytes), 0 threads live'
RUMPIP=10.0.2.17
nfail=0

pass() { echo "PASS: guest.${TAG}net.$1${2:+ ($2)}"; }
fail() { echo "FAIL: guest.${TAG}net.$1: $2"; nfail=$((nfail + 1)); }

klog_new() {
	dmesg -c > /tmp/klog.new
	cat /tmp/klog.new >> /tmp/klog.all
}
show_klog() {
	sed 's/^/  klog: /' /tmp/klog.new | tail -n 15
}
loaded() { grep -q "^$1 " /proc/modules; }

# median of the "time=X ms" values of a ping's output (in ms)
ping_median() {
	sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n |
		awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

flood_start() {
	ping -A -q $RUMPIP > /dev/null 2>&1 &
	F1=$!
	ping -i 0.01 -s 1400 -q $RUMPIP > /dev/null 2>&1 &
	F2=$!
}
flood_stop() {
	kill $F1 $F2 2> /dev/null
	wait $F1 $F2 2> /dev/null
}

modprobe tun || fail setup "modprobe tun"
ip link set lo up
klog_new

# --- malformed vif= values: refused, with the reason
bad=0
for v in "virt0" "virt0:tup:rumptap0" "virt0:tap:" "virt0:tap:a/b" \
    "virt0:tap:t0,virt0:tap:t1"; do
	if insmod $KO "vif=$v" 2> /dev/null; then
		bad=1
		rmmod rump
		fail bad_vif_param "vif=$v was accepted"
	fi
done
klog_new
if loaded rump; then
	fail bad_vif_param "rump still loaded"
elif [ $bad -eq 0 ] && [ "$(grep -c 'rump: vif=' /tmp/klog.new)" -ge 5 ]; then
	pass bad_vif_param
elif [ $bad -eq 0 ]; then
	fail bad_vif_param "no reason in the kernel log for each refusal"
	show_klog
fi

# --- the tap, the client, ping
if ! insmod $KO vif=virt0:tap:rumptap0 2> /tmp/insmod.err; then
	klog_new
	fail tap_created "insmod rump.ko: $(cat /tmp/insmod.err)"
	show_klog
	exit 1
fi
klog_new
if ip link show rumptap0 > /dev/null 2>&1; then
	pass tap_created
else
	fail tap_created "no rumptap0 after insmod"
fi
ip addr add 10.0.2.2/24 dev rumptap0
ip link set rumptap0 up

if insmod $CL 2> /tmp/insmod.err; then
	klog_new
	pass client_up "$(grep -o 'up virt0.*' /tmp/klog.new)"
else
	klog_new
	fail client_up "insmod rump_vifclient.ko: $(cat /tmp/insmod.err)"
	show_klog
fi

if ping -c 3 -W 5 $RUMPIP > /tmp/ping.out 2>&1 &&
    grep -q '3 packets received' /tmp/ping.out; then
	pass linux_pings_rump
else
	fail linux_pings_rump "$(tail -n 2 /tmp/ping.out | tr '\n' ' ')"
fi

# --- round trip medians: rump over the tap; Linux to itself (lo) as the
# floor (busybox's ip cannot move a veth end into another namespace, so
# the Linux<->Linux veth figure is measured by tests/kern/host_net_tap.c)
rmed=$(ping -c 21 -i 0.05 $RUMPIP 2>/dev/null | ping_median)
lmed=$(ping -c 21 -i 0.05 127.0.0.1 2>/dev/null | ping_median)
if [ -z "$rmed" ]; then
	fail ping_median "no replies from $RUMPIP"
else
	pass ping_median "rump over tap $rmed ms, Linux over lo $lmed ms"
fi

# --- teardown while traffic flows
flood_start
sleep 1
if rmmod rump_vifclient 2> /tmp/rmmod.err; then
	klog_new
	if grep -q 'rump_vifclient: down' /tmp/klog.new &&
	    ! grep -q 'rump_vifclient: ifdestroy' /tmp/klog.new; then
		pass destroy_under_flood
	else
		fail destroy_under_flood "no clean 'down' line"
		show_klog
	fi
else
	fail destroy_under_flood "rmmod: $(cat /tmp/rmmod.err)"
fi

ip neigh flush dev rumptap0
if insmod $CL keep=1 2> /tmp/insmod.err &&
    ping -c 3 -W 5 $RUMPIP > /tmp/ping.out 2>&1 &&
    grep -q '3 packets received' /tmp/ping.out; then
	pass recreate_works
else
	fail recreate_works "$(cat /tmp/insmod.err) $(tail -n 2 /tmp/ping.out | tr '\n' ' ')"
fi
klog_new

# the flood never stopped; now the whole module goes
sleep 1
loaded rump_vifclient && rmmod rump_vifclient
if rmmod rump 2> /tmp/rmmod.err; then
	klog_new
	if ! grep -qF "$LEAK0" /tmp/klog.new; then
		fail rmmod_under_flood "no zero leak line"
		show_klog
	elif ip link show rumptap0 > /dev/null 2>&1; then
		fail rmmod_under_flood "rumptap0 outlived rump.ko"
	else
		pass rmmod_under_flood
	fi
else
	fail rmmod_under_flood "rmmod rump: $(cat /tmp/rmmod.err)"
fi
flood_stop

# --- a persistent tap, made beforehand
if ! tunctl -t rumptapp > /dev/null; then
	fail persistent_tap "tunctl -t rumptapp"
elif ! insmod $KO vif=virt0:tap:rumptapp 2> /tmp/insmod.err; then
	fail persistent_tap "insmod: $(cat /tmp/insmod.err)"
else
	ip addr add 10.0.2.2/24 dev rumptapp
	ip link set rumptapp up
	ok=1
	insmod $CL || ok=0
	ping -c 2 -W 5 $RUMPIP > /tmp/ping.out 2>&1 || ok=0
	rmmod rump_vifclient || ok=0
	rmmod rump || ok=0
	klog_new
	grep -qF "$LEAK0" /tmp/klog.new || ok=0
	ip link show rumptapp > /dev/null 2>&1 || ok=0
	if [ $ok -eq 1 ]; then
		pass persistent_tap
	else
		fail persistent_tap "ping, unload or leak check failed"
		show_klog
	fi
	tunctl -d rumptapp > /dev/null
fi

loaded rump_vifclient && rmmod rump_vifclient
loaded rump && rmmod rump
[ $nfail -eq 0 ]
