#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# demonet.sh [TAG]: the network demo (demos/net, rump_demonet.ko), run
# INSIDE the qemu guest (busybox sh), by `make test-guest` (foundation.sh
# runs it in the same boot) and by `make demo` (demos/demo-guest.sh).
#
# The guest's Linux is the network peer.  A persistent tap rumptap0 (made
# with iproute2's `ip tuntap`) carries 10.0.2.2/24 on the Linux side, busybox
# httpd serves /www on 10.0.2.2:80, and rump.ko is loaded with
# vif=virt0:tap:rumptap0, so the rump interface virt0 is the other end of
# that tap.  Cases (suite guest.<TAG.>demonet):
#   static_get       rump_demonet.ko (mode=get, 10.0.2.17/24) fetches
#                    http://10.0.2.2/ through the rump TCP/IP stack: status
#                    200, the byte count equals the file's size, the tail
#                    holds the file's last line (the demo's log is shown)
#   static_ping      ping -c 3 10.0.2.17 from Linux: 3 replies, from the
#                    rump stack (the replies are shown)
#   dhcp_get         the same with dhcp=1 and busybox udhcpd on rumptap0
#                    leasing 10.0.2.17: the lease is used, the GET works
#   dhcp_ping        ping of the leased address
#   serve_wget       mode=serve file=/tmp/big.bin (10 MiB of random bytes):
#                    Linux's wget fetches http://10.0.2.17/big.bin from the
#                    rump stack; md5sum matches the original
#   serve_ping       ping while serving
#   rmmod_midway     a transfer of the big file stalled mid-way (the reader
#                    stops reading), rmmod of the demo: it returns, the
#                    server reports the cut transfer
#   no_leaks         rmmod rump: the zero leak line, and no warnings
# Exits non-zero if any case failed.

TAG=${1:+$1.}
KO=/guest/rump.ko
DEMO=/guest/rump_demonet.ko
TAP=rumptap0
LINUX_ADDR=10.0.2.2
RUMP_ADDR=10.0.2.17
LEAK0='leak report: 0 allocations (0 bytes), 0 threads live'
IP=
for p in /usr/bin/ip /usr/sbin/ip /sbin/ip; do
	[ -x "$p" ] && [ ! -L "$p" ] && { IP=$p; break; }
done
nfail=0

pass() { echo "PASS: guest.${TAG}demonet.$1${2:+ ($2)}"; }
fail() { echo "FAIL: guest.${TAG}demonet.$1: $2"; nfail=$((nfail + 1)); }

klog_new() {
	dmesg -c > /tmp/klog.new
	cat /tmp/klog.new >> /tmp/klog.all
}
show_demo() {
	grep -E 'rump_demonet:|rump: ' /tmp/klog.new |
		sed -e 's/^\[ *[0-9.]*\] //' -e 's/^/  /'
}
loaded() { grep -q "^$1 " /proc/modules; }
size_of() { if [ -f "$1" ]; then wc -c < "$1"; else echo 0; fi; }

# ping -c 3 of $RUMP_ADDR; case $1
ping_case() {
	if ping -c 3 -W 3 "$RUMP_ADDR" > /tmp/ping.out 2>&1 &&
	    grep -q '3 packets received' /tmp/ping.out; then
		sed -e 's/^/  /' /tmp/ping.out | grep -E 'bytes from|round-trip'
		pass "$1"
	else
		sed -e 's/^/  /' /tmp/ping.out
		fail "$1" "no 3 replies from $RUMP_ADDR"
	fi
}

# insmod the demo with "$@"; case $1 checks the GET's log lines
get_case() {
	name=$1
	shift
	klog_new
	if ! insmod $DEMO "$@" 2> /tmp/insmod.err; then
		klog_new
		show_demo
		fail "$name" "insmod rump_demonet $*: $(cat /tmp/insmod.err)"
		return 1
	fi
	klog_new
	show_demo
	size=$(wc -c < /www/index.html)
	if ! grep -qE "rump_demonet: response: [0-9]+ bytes \(head [0-9]+, body $size\), status line \"HTTP/1.[01] 200 OK\"" \
	    /tmp/klog.new; then
		fail "$name" "no 200 response with a body of $size bytes in the log"
	elif ! grep -q 'rump_demonet: | end of the page served by Linux' /tmp/klog.new; then
		fail "$name" "the tail does not hold the page's last line"
	else
		pass "$name"
	fi
	return 0
}

unload_demo() {
	loaded rump_demonet || return 0
	rmmod rump_demonet || fail "$1" "rmmod rump_demonet failed"
	klog_new
	show_demo
}

# ---------------------------------------------------------------- setup
: >> /tmp/klog.all
if [ -z "$IP" ] || ! modprobe tun || ! $IP tuntap add dev $TAP mode tap ||
    ! $IP addr add $LINUX_ADDR/24 dev $TAP || ! $IP link set $TAP up; then
	fail setup "tap $TAP (ip=$IP)"
	exit 1
fi
mkdir -p /www
{
	echo "<html><body><pre>"
	i=0
	while [ $i -lt 40 ]; do
		echo "line $i of a page served by busybox httpd on the guest's Linux"
		i=$((i + 1))
	done
	echo "end of the page served by Linux</pre></body></html>"
} > /www/index.html
httpd -p $LINUX_ADDR:80 -h /www
klog_new
if ! insmod $KO vif=virt0:tap:$TAP 2> /tmp/insmod.err; then
	fail setup "insmod rump.ko vif=virt0:tap:$TAP: $(cat /tmp/insmod.err)"
	exit 1
fi

# ---------------------------------------------------------------- static
if get_case static_get addr=$RUMP_ADDR; then
	ping_case static_ping
fi
unload_demo static_get

# ---------------------------------------------------------------- dhcp
cat > /tmp/udhcpd.conf <<EOF
start $RUMP_ADDR
end $RUMP_ADDR
interface $TAP
lease_file /tmp/udhcpd.leases
option subnet 255.255.255.0
option router $LINUX_ADDR
option lease 3600
EOF
: > /tmp/udhcpd.leases
udhcpd -f /tmp/udhcpd.conf > /tmp/udhcpd.log 2>&1 &
udhcpd_pid=$!
if get_case dhcp_get dhcp=1; then
	if grep -q "rump_demonet: virt0: address from DHCP" /tmp/klog.new &&
	    grep -q "rump_demonet: connected from $RUMP_ADDR:" /tmp/klog.new; then
		ping_case dhcp_ping
	else
		fail dhcp_ping "the demo did not use the leased $RUMP_ADDR"
	fi
fi
unload_demo dhcp_get
kill $udhcpd_pid 2> /dev/null
wait $udhcpd_pid 2> /dev/null

# ---------------------------------------------------------------- serve
dd if=/dev/urandom of=/tmp/big.bin bs=1048576 count=10 2> /dev/null
want=$(md5sum < /tmp/big.bin | cut -d' ' -f1)
klog_new
if insmod $DEMO mode=serve addr=$RUMP_ADDR file=/tmp/big.bin 2> /tmp/insmod.err; then
	klog_new
	show_demo
	if wget -q -O /tmp/got.bin http://$RUMP_ADDR/big.bin 2> /tmp/wget.err; then
		got=$(md5sum < /tmp/got.bin | cut -d' ' -f1)
		if [ "$got" = "$want" ]; then
			echo "  wget http://$RUMP_ADDR/big.bin: $(size_of /tmp/got.bin) bytes, md5 $got (matches the original)"
			pass serve_wget
		else
			fail serve_wget "md5 $got, want $want"
		fi
	else
		fail serve_wget "wget: $(cat /tmp/wget.err)"
	fi
	rm -f /tmp/got.bin
	ping_case serve_ping

	# rmmod while a transfer is in flight: nc asks for the big file, its
	# reader takes 100 KiB and then stops reading, so the rump server's
	# send window fills and the transfer stalls mid-way; rmmod must still
	# stop the server (within its 250 ms poll), destroy the interface and
	# return.
	rm -f /tmp/part.bin
	{ printf 'GET /big.bin HTTP/1.0\r\n\r\n'; sleep 60; } |
		nc $RUMP_ADDR 80 |
		{ head -c 102400 > /tmp/part.bin; sleep 60; } &
	n=0
	while [ "$(size_of /tmp/part.bin)" -lt 102400 ] &&
	    [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	sz=$(size_of /tmp/part.bin)
	klog_new
	t0=$(date +%s)
	if [ "$sz" -lt 102400 ]; then
		fail rmmod_midway "the transfer did not start ($sz bytes)"
		unload_demo rmmod_midway
	elif rmmod rump_demonet; then
		t1=$(date +%s)
		klog_new
		show_demo
		if grep -q 'rump_demonet: GET /big.bin: stopped after' /tmp/klog.new; then
			pass rmmod_midway "rmmod took $((t1 - t0)) s with the transfer at $sz bytes"
		else
			fail rmmod_midway "the server did not report the cut transfer"
		fi
	else
		fail rmmod_midway "rmmod rump_demonet failed"
	fi
	killall nc sleep 2> /dev/null
	wait 2> /dev/null
	rm -f /tmp/got.bin
else
	klog_new
	show_demo
	fail serve_wget "insmod rump_demonet mode=serve: $(cat /tmp/insmod.err)"
fi

# ---------------------------------------------------------------- teardown
killall httpd 2> /dev/null
klog_new
if rmmod rump; then
	klog_new
	if grep -qF "$LEAK0" /tmp/klog.new; then
		pass no_leaks
	else
		grep -E 'leak' /tmp/klog.new | sed 's/^/  /'
		fail no_leaks "no zero leak report"
	fi
else
	fail no_leaks "rmmod rump failed"
fi
$IP link del $TAP 2> /dev/null
[ $nfail -eq 0 ]
