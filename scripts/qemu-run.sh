#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# qemu-run.sh NAME INITRD [QEMU_ARG...]: boot the Debian kernel on INITRD in
# qemu and save the serial console to build/guest/NAME.log.
#
# Called by scripts/guest-test.sh.  Software emulation (TCG; KVM does not
# work here), `-cpu max`, SMP CPUs (default 2), 512 MB, no network device
# unless the caller passes one (QEMU_ARG...), no reboot, the whole run under
# `timeout` (GUEST_TIMEOUT seconds, default 300).  APPEND adds kernel
# command-line words.  DISKS (optional) lists raw disk images attached in
# order as virtio disks (/dev/vda, /dev/vdb, ... in the guest; the guest
# needs the virtio_pci and virtio_blk modules: see guest-test.sh).  Prints
# nothing but the log's path; exits with qemu's (or timeout's, 124) status.
set -u

NAME=${1:?usage: qemu-run.sh NAME INITRD [QEMU_ARG...]}
INITRD=${2:?usage: qemu-run.sh NAME INITRD [QEMU_ARG...]}
shift 2
here=$(dirname "$0")
V=${KVER:-$("$here/kver.sh")} || exit 1
LOGDIR=${GUEST_LOGDIR:-build/guest}
mkdir -p "$LOGDIR"
log=$LOGDIR/$NAME.log

# the disks go in front of the caller's arguments
for d in ${DISKS:-}; do
	[ -f "$d" ] || { echo "qemu-run.sh: no disk image $d" >&2; exit 1; }
done
for d in $(printf '%s\n' ${DISKS:-} | sed '1!G;h;$!d'); do
	set -- -drive "file=$d,format=raw,if=virtio" "$@"
done

timeout --kill-after=10 "${GUEST_TIMEOUT:-300}" \
	qemu-system-x86_64 -m 512 -smp "${SMP:-2}" -nographic -no-reboot \
	-cpu max -nic none -kernel "/boot/vmlinuz-$V" -initrd "$INITRD" \
	-append "console=ttyS0 quiet panic=-1 ${APPEND:-}" "$@" \
	< /dev/null > "$log" 2>&1
rc=$?
echo "guest log: $log"
exit "$rc"
