#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# demo-guest.sh: the guest side of `make demo`, run INSIDE the qemu guest
# (busybox sh) by the /init of scripts/mkinitramfs.sh.
#
# Loads rump.ko, then the demo modules hello, demofs, vfstest and demoffs,
# shows the kernel log lines of rump and of each demo, unloads the
# demos in reverse order and rump.ko, and shows the leak report.  Then, if
# the guest has the FFS disk /dev/vda (the Makefile attaches it: UFS1), the
# guest's own Linux ufs driver mounts the disk rump_demoffs.ko used and
# shows its files, including what the rump kernel wrote, if it could.
# Last, the network demo (tests/guest/demonet.sh: GET from Linux's httpd
# with a static address and with DHCP, ping, serving a file to wget).  The
# host side (scripts/guest-test.sh --show) prints this output on the
# terminal.

nfail=0
step() { echo; echo "### $*"; }
# kernel log lines that belong to rump or to a demo module
show() {
	dmesg -c > /tmp/klog.new
	cat /tmp/klog.new >> /tmp/klog.all
	grep -E 'rump' /tmp/klog.new | sed -e 's/^\[ *[0-9.]*\] /  /'
}

: > /tmp/klog.all
dmesg -c >> /tmp/klog.all

step "insmod rump.ko"
if ! insmod /guest/rump.ko; then
	echo "FAIL: demo.load_rump: insmod rump.ko failed"
	exit 1
fi
show
echo "PASS: demo.load_rump"

demos=
# The demos that need nothing but rump.ko, in this order.  (The image also
# holds test client modules -- tests/kmod/, demos/ffs/rump_ffswalk.ko --
# and the network demo, which needs a tap and rump.ko's vif=: its own part
# below.)
for name in rump_hello rump_demofs rump_vfstest rump_demoffs; do
	ko=/guest/$name.ko
	[ -f "$ko" ] || { echo "FAIL: demo.load_$name: $ko not in the image"; nfail=$((nfail + 1)); continue; }
	step "insmod $name.ko"
	if insmod "$ko"; then
		demos="$name $demos"
		echo "PASS: demo.load_$name"
	else
		echo "FAIL: demo.load_$name: insmod failed"
		nfail=$((nfail + 1))
	fi
	show
done

for name in $demos; do
	step "rmmod $name"
	rmmod "$name" || { echo "FAIL: demo.unload_$name: rmmod failed"; nfail=$((nfail + 1)); }
	show
done

step "rmmod rump"
rmmod rump || { echo "FAIL: demo.unload_rump: rmmod failed"; nfail=$((nfail + 1)); }
show
if grep -qF 'leak report: 0 allocations (0 bytes), 0 threads live' /tmp/klog.all; then
	echo "PASS: demo.no_leaks"
else
	echo "FAIL: demo.no_leaks: no zero leak report"
	nfail=$((nfail + 1))
fi

if [ -b /dev/vda ] && [ -f /guest/rump_demoffs.ko ]; then
	step "Linux's own ufs driver reads the disk rump_demoffs used (/dev/vda)"
	mkdir -p /mnt
	if modprobe ufs && mount -t ufs -o ro,ufstype=44bsd /dev/vda /mnt; then
		echo "PASS: demo.linux_ufs_mount"
		ls -l /mnt | sed 's/^/  /'
		echo "  \$ cat /mnt/hello.txt"
		sed 's/^/  /' /mnt/hello.txt
		if [ -f /mnt/hello-from-rump.txt ]; then
			echo "  \$ cat /mnt/hello-from-rump.txt"
			sed 's/^/  /' /mnt/hello-from-rump.txt
		else
			echo "  (no /mnt/hello-from-rump.txt: the rump kernel's FFS could not write)"
		fi
		umount /mnt
	else
		echo "FAIL: demo.linux_ufs_mount: mount -t ufs /dev/vda failed"
		nfail=$((nfail + 1))
	fi
fi

if [ -f /guest/rump_demonet.ko ] && [ -f /guest/demonet.sh ]; then
	step "the network demo: rump's TCP/IP stack on a tap, Linux as its peer"
	echo "  (tests/guest/demonet.sh: tap rumptap0, Linux 10.0.2.2 with httpd and"
	echo "   udhcpd, rump.ko vif=virt0:tap:rumptap0, rump_demonet.ko at 10.0.2.17)"
	sh /guest/demonet.sh demo || nfail=$((nfail + 1))
fi
[ $nfail -eq 0 ]
