#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ffs.sh [TAG]: the FFS cases of rump.ko, run INSIDE the qemu guest
# (busybox sh).
#
# Started by tests/guest/foundation.sh (MODE=all) in the same boot, which
# `make test-guest` gives two virtio disks made by scripts/mkffsimage.sh:
# /dev/vda (UFS1) and /dev/vdb (UFS2), with their manifests /guest/vda.md5
# and /guest/vdb.md5 (scripts/guest-test.sh).  For each disk:
#   rump.ko + rump_demoffs.ko dev=/dev/vdX (demos/ffs: mounts the disk in
#   the rump kernel, lists it, checks its files, tries to write), rmmod
#   both; then the guest's own Linux ufs driver mounts the same disk
#   read-only and checks what rump read and wrote.
# One line per case, suite `guest.ffs` (`guest.<TAG.>ffs.<v>.<case>`,
# v = ufs1 or ufs2):
#   demo_ok          insmod succeeds, the log says "rump_demoffs: ok" (the
#                    demo's lines are shown, indented)
#   demo_unload      rmmod rump_demoffs
#   no_leaks         rmmod rump: the zero leak line
#   linux_mount      mount -t ufs -o ro,ufstype=44bsd|ufs2 /dev/vdX /mnt
#                    (Linux's ufstype=ufs2 looks for the superblock only at
#                    64 KiB; Debian's makefs writes UFS2 superblocks at
#                    8 KiB, so for such a disk the script says so and runs
#                    no linux_* case: the UFS1 disk carries the cross-check)
#   linux_reads_tree md5sum -c of the manifest (hello.txt, docs/notes.txt,
#                    big.txt byte for byte), the symlink's target
# and, only when the write path runs (see FFS_WRITE below):
#   write_reported   the demo says "write path: ok"
#   linux_reads_rump_file  /mnt/hello-from-rump.txt has the text rump wrote
#   linux_sees_rump_dir    /mnt/made-by-rump is a directory
# FFS_WRITE: 1 (default, now that FFS writes) requires the write path: an
# unavailable one fails write_reported.  auto runs the write cases only
# when the demo reports "write path: ok"; 0 never runs them.
# Exits non-zero if any case failed.

FFS_WRITE=${FFS_WRITE:-1}
TAG=${1:+$1.}
KO=/guest/rump.ko
DEMO=/guest/rump_demoffs.ko
LEAK0='leak report: 0 allocations (0 bytes), 0 threads live'
# what demos/ffs/demoffs.c writes into /hello-from-rump.txt
WROTE="This file was written by the rump kernel's FFS inside rump.ko."
nfail=0
V=

pass() { echo "PASS: guest.${TAG}ffs.$V.$1${2:+ ($2)}"; }
fail() { echo "FAIL: guest.${TAG}ffs.$V.$1: $2"; nfail=$((nfail + 1)); }

# Kernel log lines since the previous call; the whole log is kept in
# /tmp/klog.all (the /init dumps it at the end).
klog_new() {
	dmesg -c > /tmp/klog.new
	cat /tmp/klog.new >> /tmp/klog.all
}
loaded() { grep -q "^$1 " /proc/modules; }

# rump_demoffs on disk $1; sets $write to 1 when the write path ran
run_demo() {
	write=0
	klog_new
	if ! insmod $KO 2> /tmp/insmod.err; then
		fail demo_ok "insmod rump.ko: $(cat /tmp/insmod.err)"
		return
	fi
	insmod $DEMO dev="$1" 2> /tmp/insmod.err
	rc=$?
	klog_new
	# the demo's lines and the rump kernel's own messages, indented
	grep -E 'rump_demoffs:|rump: ' /tmp/klog.new |
		sed -e 's/^\[ *[0-9.]*\] //' -e 's/^/  /'
	if [ $rc -ne 0 ]; then
		fail demo_ok "insmod rump_demoffs.ko dev=$1: $(cat /tmp/insmod.err)"
	elif ! grep -q 'rump_demoffs: ok' /tmp/klog.new; then
		fail demo_ok "no 'rump_demoffs: ok' line"
	else
		pass demo_ok
	fi
	grep -q 'rump_demoffs: write path: ok' /tmp/klog.new && write=1
	if grep -q 'rump_demoffs: write path unavailable' /tmp/klog.new; then
		write=0
		echo "ffs: $V: the demo reports the write path unavailable (FFS_WRITE=$FFS_WRITE)"
	fi
	if loaded rump_demoffs; then
		if rmmod rump_demoffs 2> /tmp/rmmod.err; then
			pass demo_unload
		else
			fail demo_unload "rmmod: $(cat /tmp/rmmod.err)"
		fi
	fi
	klog_new
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
}

# Linux's ufs driver on disk $1 of type $2 (ufs2 or 44bsd), manifest $3
linux_check() {
	if [ "$2" = ufs2 ]; then
		magic=$(dd if="$1" bs=4 skip=$(((65536 + 1372) / 4)) count=1 2> /dev/null | od -An -tx4 | tr -d ' ')
		if [ "$magic" != 19540119 ]; then
			echo "ffs: $V: no UFS2 superblock at 64 KiB (makefs put it at 8 KiB); Linux's ufstype=ufs2 cannot read this disk: no Linux cross-check for it"
			return
		fi
	fi
	if ! mount -t ufs -o ro,ufstype="$2" "$1" /mnt 2> /tmp/mount.err; then
		fail linux_mount "mount -t ufs -o ro,ufstype=$2 $1: $(cat /tmp/mount.err)"
		return
	fi
	pass linux_mount
	if ! (cd /mnt && md5sum -c "$3") > /tmp/md5.out 2>&1; then
		fail linux_reads_tree "md5sum -c: $(grep -v ': OK$' /tmp/md5.out | head -n 3)"
	elif [ "$(readlink /mnt/link-to-hello)" != hello.txt ]; then
		fail linux_reads_tree "link-to-hello -> '$(readlink /mnt/link-to-hello)'"
	else
		pass linux_reads_tree "$(grep -c ': OK$' /tmp/md5.out) files match"
	fi
	if [ "$FFS_WRITE" = 1 ] || { [ "$FFS_WRITE" = auto ] && [ $write = 1 ]; }; then
		if [ $write = 1 ]; then
			pass write_reported
		else
			fail write_reported "FFS_WRITE=1 but the demo did not report 'write path: ok'"
		fi
		got=$(cat /mnt/hello-from-rump.txt 2>&1)
		if [ "$got" = "$WROTE" ]; then
			pass linux_reads_rump_file
			echo "  linux: cat /mnt/hello-from-rump.txt: $got"
		else
			fail linux_reads_rump_file "cat /mnt/hello-from-rump.txt: '$got'"
		fi
		if [ -d /mnt/made-by-rump ]; then
			pass linux_sees_rump_dir
		else
			fail linux_sees_rump_dir "/mnt/made-by-rump is not a directory"
		fi
	fi
	umount /mnt || fail linux_mount "umount /mnt failed"
}

if ! modprobe ufs 2> /tmp/modprobe.err; then
	V=setup
	fail ufs_module "modprobe ufs: $(cat /tmp/modprobe.err)"
	exit 1
fi
mkdir -p /mnt
for spec in vda:ufs1:44bsd vdb:ufs2:ufs2; do
	dev=/dev/${spec%%:*}
	rest=${spec#*:}
	V=${rest%%:*}
	utype=${rest#*:}
	if [ ! -b "$dev" ]; then
		fail demo_ok "no disk $dev (attach the $V image: DISKS in scripts/guest-test.sh)"
		continue
	fi
	if [ ! -f $DEMO ]; then
		fail demo_ok "$DEMO not in the image"
		continue
	fi
	run_demo "$dev"
	linux_check "$dev" "$utype" "/guest/${spec%%:*}.md5"
done
[ $nfail -eq 0 ]
