#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# mkffsbad.sh DIR: make damaged FFS images for the guest's corruption
# cases (tests/guest/ffsbad.sh), deterministically.
#
# Called by the Makefile (test-guest), which puts DIR's files into the
# guest's initramfs as /guest/bad/<name> (GUEST_FILES of
# scripts/guest-test.sh).  For UFS1 and UFS2 (little-endian, 4 KiB blocks,
# 512-byte fragments, 1 MiB) it makes one image of a small tree with
# makefs -- a file, a subdirectory of 40 files, a symlink, a file into
# the indirect block -- and from it, in DIR:
#   uN-magic.img     the superblock magic overwritten (must be refused)
#   uN-trunc.img     the first half of the image (must be refused: the
#                    superblock claims more than the device holds)
#   uN-sb-S.img      bit flips in the superblock's first 1376 bytes
#   uN-cg-S.img      bit flips in cylinder group 0's header (168 bytes)
#   uN-ino-S.img     bit flips in the first 4 KiB of inodes (root's among
#                    them)
#   uN-dir-S.img     bit flips in the root directory's first 512 bytes
# (S = seed 1, 2; 1 to 8 flips each, places from a fixed linear
# congruential sequence, so every run makes the same images), and
# DIR/list: one line `<image> <refuse|any>` per image, what the guest
# expects: refuse = the mount must fail; any = mount or refusal, errors
# while walking, but no oops.  Needs makefs, od, dd.
set -eu

DIR=${1:?usage: mkffsbad.sh DIR}
mkdir -p "$DIR"
rm -f "$DIR"/*.img "$DIR/list"
work=$(mktemp -d /tmp/mkffsbad.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
tree=$work/tree
mkdir "$tree"

printf 'a small file on a damaged image\n' > "$tree/small.txt"
mkdir "$tree/many"
i=0
while [ $i -lt 40 ]; do
	printf 'file %d\n' $i > "$tree/many/file-$i"
	i=$((i + 1))
done
ln -s small.txt "$tree/link"
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "line %06d of the big file\n", i }' \
	> "$tree/big.txt"

# u32 at byte offset $2 of file $1, little-endian
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
# the byte at offset $2 of file $1 xor $3
flip() {
	fv=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	fv=$((fv ^ $3))
	# shellcheck disable=SC2059  # an octal escape made here
	printf "\\$(printf '%03o' "$fv")" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc 2> /dev/null
}
rng=1
rand() { rng=$(((rng * 1103515245 + 12345) % 2147483648)); r=$((rng / 65536)); }

for v in 1 2; do
	base=$work/base$v.img
	makefs -t ffs -B le -s 1m -f 64 -T 1000000000 \
	    -o version=$v,bsize=4096,fsize=512 \
	    "$base" "$tree" > /dev/null
	sb=8192
	magic=$(u32 "$base" $((sb + 1372)))
	if [ "$magic" != 72020 ] && [ "$magic" != 424935705 ]; then
		sb=65536
		magic=$(u32 "$base" $((sb + 1372)))
	fi
	case $magic in
	72020) dsz=128; db0=40 ;;		# 0x011954: UFS1
	424935705) dsz=256; db0=112 ;;		# 0x19540119: UFS2
	*) echo "mkffsbad.sh: no superblock in $base" >&2; exit 1 ;;
	esac
	fsize=$(u32 "$base" $((sb + 52)))
	cblk=$(u32 "$base" $((sb + 12)))
	iblk=$(u32 "$base" $((sb + 16)))
	rootblk=$(u32 "$base" $((iblk * fsize + 2 * dsz + db0)))
	size=$(wc -c < "$base")

	cp "$base" "$DIR/u$v-magic.img"
	printf '\022\064\126\170' |
	    dd of="$DIR/u$v-magic.img" bs=1 seek=$((sb + 1372)) conv=notrunc 2> /dev/null
	echo "u$v-magic.img refuse" >> "$DIR/list"
	dd if="$base" of="$DIR/u$v-trunc.img" bs=512 count=$((size / 1024)) 2> /dev/null
	echo "u$v-trunc.img refuse" >> "$DIR/list"

	k=0
	for region in sb:$sb:1376 cg:$((cblk * fsize)):168 \
	    ino:$((iblk * fsize)):4096 dir:$((rootblk * fsize)):512; do
		name=${region%%:*}
		rest=${region#*:}
		start=${rest%%:*}
		len=${rest#*:}
		k=$((k + 1))
		for seed in 1 2; do
			img=$DIR/u$v-$name-$seed.img
			cp "$base" "$img"
			rng=$((v * 1000 + k * 10 + seed))
			rand
			n=$((1 + r % 8))
			while [ $n -gt 0 ]; do
				rand
				at=$((start + r % len))
				rand
				flip "$img" $at $((1 << (r % 8)))
				n=$((n - 1))
			done
			echo "u$v-$name-$seed.img any" >> "$DIR/list"
		done
	done
done
