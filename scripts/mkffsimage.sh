#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# mkffsimage.sh IMG VERSION: make the FFS image of the FFS demo.
#
# Called by the Makefile (test-guest and demo: the images attached to the
# qemu guest as virtio disks) and by tests/kern/host_demoffs.c (the
# userspace twin of the demo).  Builds a known tree in a scratch directory
# and runs `makefs -t ffs` on it: UFS VERSION (1 or 2), little-endian,
# 8 KiB blocks and 1 KiB fragments, 4 MiB with 200 spare inodes (room for
# what the demo writes).
# The tree (demos/ffs/demoffs.c checks it; keep the two in step):
#   hello.txt                 3 lines of known text
#   docs/                     a directory
#   docs/notes.txt            1 line of known text
#   link-to-hello -> hello.txt  a symbolic link
#   big.txt                   6400 lines "big.txt line NNNNNN of 006400 ...\n"
#                             of 48 bytes: 307200 bytes, past the 12 direct
#                             blocks into the single indirect block
# Also writes IMG.md5, the md5sums of the regular files relative to the
# image's root (`cd <mountpoint> && md5sum -c IMG.md5` checks them); the
# guest runs that check through Linux's own ufs driver.
set -eu

IMG=${1:?usage: mkffsimage.sh IMG VERSION}
VERSION=${2:?usage: mkffsimage.sh IMG VERSION}
case "$VERSION" in
1|2) ;;
*) echo "mkffsimage.sh: VERSION must be 1 or 2" >&2; exit 2 ;;
esac

tree=$(mktemp -d /tmp/mkffsimage.XXXXXX)
trap 'rm -rf "$tree"' EXIT INT TERM

printf '%s\n' \
	'Hello from an FFS image made by makefs on the build host.' \
	'The rump kernel inside rump.ko reads this file from a disk,' \
	'and so does the guest Linux kernel with its own ufs driver.' \
	> "$tree/hello.txt"
mkdir "$tree/docs"
printf '%s\n' 'notes.txt sits in a subdirectory of the image.' \
	> "$tree/docs/notes.txt"
ln -s hello.txt "$tree/link-to-hello"
# 48 bytes a line: "big.txt line " (13) + 6 digits + " of 006400" (10)
# + " -- known content\n" (18) + padding "." (1) = 48
awk 'BEGIN { for (i = 0; i < 6400; i++)
	printf "big.txt line %06d of 006400 -- known content.\n", i }' \
	> "$tree/big.txt"
size=$(wc -c < "$tree/big.txt")
if [ "$size" -ne 307200 ]; then
	echo "mkffsimage.sh: big.txt is $size bytes, expected 307200" >&2
	exit 1
fi

rm -f "$IMG" "$IMG.md5"
makefs -t ffs -B le -s 4m -f 200 -o version="$VERSION",bsize=8192,fsize=1024 \
	"$IMG" "$tree" > /dev/null
(cd "$tree" && find . -type f | LC_ALL=C sort | xargs md5sum) > "$IMG.md5"
