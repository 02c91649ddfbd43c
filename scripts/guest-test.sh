#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# guest-test.sh NAME SCRIPT SMP ARGS [--show]: run one guest script in qemu.
#
# Called by `make test-guest`, `make demo` and scripts/bench.sh.  Builds
# build/guest/NAME.cpio.gz holding rump.ko, every demo and test module
# (demos/*/*.ko, tests/kmod/*/*.ko), build/guest/nbench if built, the
# guest scripts tests/guest/*.sh (as /guest/<name>.sh), the Debian modules
# tun, ufs and veth (with dependencies), iproute2's ip and ethtool with
# their libraries (as /usr/bin/ip, /usr/sbin/ethtool),
# boots it with SMP CPUs (scripts/qemu-run.sh), and checks the serial log
# (scripts/guest-check.sh), whose PASS:/FAIL: lines it prints.  With --show
# the guest's console output (between the start marker and the kernel-log
# dump) is printed too, for people to read (make demo).
# DISKS (optional, environment): raw disk images for the guest, attached in
# order as virtio disks /dev/vda, /dev/vdb, ... (scripts/qemu-run.sh); the
# image then also holds virtio_pci and virtio_blk, loaded by /init, which
# waits for the disks before the script, and each disk's manifest IMG.md5
# (if there is one, see scripts/mkffsimage.sh) as /guest/vdX.md5.
# GUEST_FILES (optional, environment): more files for the image, each
# SRC:DST (e.g. the damaged images of scripts/mkffsbad.sh as
# /guest/bad/<name>).
# Exits non-zero if the boot or any check failed.
set -u

NAME=${1:?usage: guest-test.sh NAME SCRIPT SMP ARGS [--show]}
SCRIPT=${2:?}
SMPN=${3:?}
ARGS=${4-}
SHOW=${5-}
here=$(dirname "$0")
G=build/guest
mkdir -p "$G"

if [ ! -f rump.ko ]; then
	echo "FAIL: guest.$NAME.setup: rump.ko not built"
	exit 1
fi
kos="-k rump.ko"
for ko in demos/*/*.ko tests/kmod/*/*.ko; do
	[ -f "$ko" ] && kos="$kos -k $ko"
done
# the static Linux-side benchmark peer (tests/bench/guest_nbench.c)
[ -x build/guest/nbench ] && kos="$kos -f build/guest/nbench:/guest/nbench"
# the other guest scripts, for scripts that run them in the same boot
# (foundation.sh runs vfs.sh)
for gs in tests/guest/*.sh; do
	[ -f "$gs" ] && kos="$kos -f $gs:/guest/$(basename "$gs")"
done

# the disks: virtio modules loaded at boot, wait for each device
letters=abcdefghij
i=0
for d in ${DISKS:-}; do
	i=$((i + 1))
	vd=vd$(printf '%s' "$letters" | cut -c "$i")
	if [ ! -f "$d" ]; then
		echo "FAIL: guest.$NAME.setup: no disk image $d"
		exit 1
	fi
	[ $i -eq 1 ] && kos="$kos -l virtio_pci -l virtio_blk"
	kos="$kos -w /dev/$vd"
	[ -f "$d.md5" ] && kos="$kos -f $d.md5:/guest/$vd.md5"
done

for f in ${GUEST_FILES:-}; do
	if [ ! -f "${f%%:*}" ]; then
		echo "FAIL: guest.$NAME.setup: no file ${f%%:*}"
		exit 1
	fi
	kos="$kos -f $f"
done

# iproute2's ip (tuntap, netns, veth) and ethtool (offloads) for the
# network scripts; busybox's ip has neither.
hostbins=
for b in ip ethtool; do
	p=$(command -v "$b" 2>/dev/null) && hostbins="$hostbins -b $(readlink -f "$p")"
done

# shellcheck disable=SC2086  # option list
if ! "$here/mkinitramfs.sh" -o "$G/$NAME.cpio.gz" -s "$SCRIPT" -a "$ARGS" \
    $kos -m tun -m ufs -m veth $hostbins; then
	echo "FAIL: guest.$NAME.setup: initramfs"
	exit 1
fi

t0=$(date +%s)
SMP=$SMPN "$here/qemu-run.sh" "$NAME" "$G/$NAME.cpio.gz"
rc=$?
t1=$(date +%s)
echo "guest $NAME: qemu exited $rc after $((t1 - t0)) s (smp $SMPN)"

if [ "$SHOW" = --show ]; then
	echo "---------------- guest console ($NAME) ----------------"
	tr -d '\r' < "$G/$NAME.log" | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g' |
		sed -n '/@@GUEST-START@@/,/^@@DMESG-BEGIN@@/p' | sed '/@@/d'
	echo "-------------------------------------------------------"
fi

"$here/guest-check.sh" "$NAME" "$G/$NAME.log"
