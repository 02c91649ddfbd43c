/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_fs.h: the on-disk superblock and cylinder group of the BSD Fast
 * File System (UFS1 and UFS2), as they lie on the disk.  Facts of the
 * format only; the in-memory view is in ffs.h.  Included by the FFS
 * sources (ffs_super.c reads and checks these structures).
 *
 * Units: a "block" is fs_bsize bytes (4 KiB..64 KiB), split into
 * fs_frag (1, 2, 4 or 8) fragments of fs_fsize bytes.  Disk addresses in
 * inodes and indirect blocks count fragments from the start of the file
 * system.  The disk is divided into fs_ncg cylinder groups of fs_fpg
 * fragments; each holds (at fragment offsets fs_sblkno, fs_cblkno,
 * fs_iblkno, fs_dblkno from its start) a superblock copy, its cylinder
 * group header and bitmaps, fs_ipg inodes, then data.  Multi-byte fields
 * are in the byte order of the machine that made the file system: an
 * image whose magic reads byte-swapped is swapped on every read.
 */
#ifndef _FFS_FS_H_
#define _FFS_FS_H_

#include <sys/types.h>

/* Where the superblock is: UFS1 at 8 KiB; UFS2 at 64 KiB (or 8 KiB as
 * some tools make it: fs_sblockloc tells). */
#define FFS_SBLOCK_UFS1		8192
#define FFS_SBLOCK_UFS2		65536
#define FFS_SBLOCKSIZE		8192	/* bytes read for a superblock */

#define FFS_UFS1_MAGIC		0x011954
#define FFS_UFS2_MAGIC		0x19540119
#define FFS_CG_MAGIC		0x090255

#define FFS_MINBSIZE		4096
#define FFS_MAXBSIZE		65536
#define FFS_MAXFRAG		8
#define FFS_ROOTINO		2	/* inode of the root directory */

#define FFS_FS_44INODEFMT	2	/* fs_old_inodefmt of 4.4BSD and later */
#define FFS_FLAGS_UPDATED	0x80	/* fs_flags: 64-bit fields valid (UFS1) */

/* Summary counts (UFS1 layout, also in each cylinder group). */
struct ffs_csum {
	int32_t		cs_ndir;	/* directories */
	int32_t		cs_nbfree;	/* free blocks */
	int32_t		cs_nifree;	/* free inodes */
	int32_t		cs_nffree;	/* free fragments (not in blocks) */
};

/* The 64-bit summary of UFS2 (and of UFS1 with FFS_FLAGS_UPDATED). */
struct ffs_csum_total {
	int64_t		cs_ndir;
	int64_t		cs_nbfree;
	int64_t		cs_nifree;
	int64_t		cs_nffree;
	int64_t		cs_numclusters;
	int64_t		cs_spare[3];
};

struct ffs_fs {
	int32_t		fs_firstfield;
	int32_t		fs_unused_1;
	int32_t		fs_sblkno;	/* superblock copy, frags from cg start */
	int32_t		fs_cblkno;	/* cylinder group header */
	int32_t		fs_iblkno;	/* inode blocks */
	int32_t		fs_dblkno;	/* first data fragment */
	int32_t		fs_old_cgoffset; /* UFS1: cg start staggering */
	int32_t		fs_old_cgmask;
	int32_t		fs_old_time;
	int32_t		fs_old_size;	/* UFS1: fragments in the fs */
	int32_t		fs_old_dsize;	/* UFS1: data fragments */
	int32_t		fs_ncg;
	int32_t		fs_bsize;
	int32_t		fs_fsize;
	int32_t		fs_frag;	/* fragments per block */
	int32_t		fs_minfree;	/* percent kept free */
	int32_t		fs_old_rotdelay;
	int32_t		fs_old_rps;
	int32_t		fs_bmask;	/* ~(fs_bsize - 1) */
	int32_t		fs_fmask;	/* ~(fs_fsize - 1) */
	int32_t		fs_bshift;	/* log2(fs_bsize) */
	int32_t		fs_fshift;	/* log2(fs_fsize) */
	int32_t		fs_maxcontig;
	int32_t		fs_maxbpg;
	int32_t		fs_fragshift;	/* log2(fs_frag) */
	int32_t		fs_fsbtodb;	/* log2(fs_fsize / 512) */
	int32_t		fs_sbsize;	/* bytes of superblock in use */
	int32_t		fs_spare1[2];
	int32_t		fs_nindir;	/* pointers per indirect block */
	int32_t		fs_inopb;	/* inodes per block */
	int32_t		fs_old_nspf;
	int32_t		fs_optim;
	int32_t		fs_old_npsect;
	int32_t		fs_old_interleave;
	int32_t		fs_old_trackskew;
	int32_t		fs_id[2];
	int32_t		fs_old_csaddr;	/* UFS1: summary area */
	int32_t		fs_cssize;	/* bytes of the summary area */
	int32_t		fs_cgsize;	/* bytes of a cylinder group header */
	int32_t		fs_spare2;
	int32_t		fs_old_nsect;
	int32_t		fs_old_spc;
	int32_t		fs_old_ncyl;
	int32_t		fs_old_cpg;
	int32_t		fs_ipg;		/* inodes per group */
	int32_t		fs_fpg;		/* fragments per group */
	struct ffs_csum	fs_old_cstotal;
	int8_t		fs_fmod;
	uint8_t		fs_clean;
	int8_t		fs_ronly;
	uint8_t		fs_old_flags;
	uint8_t		fs_fsmnt[468];	/* where it was last mounted */
	uint8_t		fs_volname[32];
	uint64_t	fs_swuid;
	int32_t		fs_pad;
	int32_t		fs_cgrotor;
	uint8_t		fs_incore[128];	/* in-core pointers of other kernels */
	int32_t		fs_old_cpc;
	int32_t		fs_maxbsize;
	uint8_t		fs_spare3[136];
	int64_t		fs_sblockloc;	/* byte offset of this superblock */
	struct ffs_csum_total fs_cstotal;
	int64_t		fs_time;
	int64_t		fs_size;	/* fragments in the fs */
	int64_t		fs_dsize;	/* data fragments */
	int64_t		fs_csaddr;	/* summary area, fragment address */
	int64_t		fs_pendingblocks;
	int32_t		fs_pendinginodes;
	int32_t		fs_snapinum[20];
	int32_t		fs_avgfilesize;
	int32_t		fs_avgfpdir;
	int32_t		fs_save_cgsize;
	int32_t		fs_sparecon32[26];
	int32_t		fs_flags;
	int32_t		fs_contigsumsize;
	int32_t		fs_maxsymlinklen; /* longest target kept in the inode */
	int32_t		fs_old_inodefmt;
	uint64_t	fs_maxfilesize;
	int64_t		fs_qbmask;
	int64_t		fs_qfmask;
	int32_t		fs_state;
	int32_t		fs_old_postblformat;
	int32_t		fs_old_nrpos;
	int32_t		fs_spare5[2];
	int32_t		fs_magic;
};

__CTASSERT(sizeof(struct ffs_fs) == 1376);
__CTASSERT(offsetof(struct ffs_fs, fs_ncg) == 44);
__CTASSERT(offsetof(struct ffs_fs, fs_bsize) == 48);
__CTASSERT(offsetof(struct ffs_fs, fs_sbsize) == 104);
__CTASSERT(offsetof(struct ffs_fs, fs_nindir) == 116);
__CTASSERT(offsetof(struct ffs_fs, fs_cgsize) == 160);
__CTASSERT(offsetof(struct ffs_fs, fs_ipg) == 184);
__CTASSERT(offsetof(struct ffs_fs, fs_old_cstotal) == 192);
__CTASSERT(offsetof(struct ffs_fs, fs_clean) == 209);
__CTASSERT(offsetof(struct ffs_fs, fs_volname) == 680);
__CTASSERT(offsetof(struct ffs_fs, fs_maxbsize) == 860);
__CTASSERT(offsetof(struct ffs_fs, fs_sblockloc) == 1000);
__CTASSERT(offsetof(struct ffs_fs, fs_cstotal) == 1008);
__CTASSERT(offsetof(struct ffs_fs, fs_size) == 1080);
__CTASSERT(offsetof(struct ffs_fs, fs_csaddr) == 1096);
__CTASSERT(offsetof(struct ffs_fs, fs_flags) == 1312);
__CTASSERT(offsetof(struct ffs_fs, fs_maxsymlinklen) == 1320);
__CTASSERT(offsetof(struct ffs_fs, fs_maxfilesize) == 1328);
__CTASSERT(offsetof(struct ffs_fs, fs_magic) == 1372);

/* Cylinder group header; bitmaps follow at the offsets it gives. */
struct ffs_cg {
	int32_t		cg_firstfield;
	int32_t		cg_magic;	/* FFS_CG_MAGIC */
	int32_t		cg_old_time;
	int32_t		cg_cgx;		/* its own index */
	int16_t		cg_old_ncyl;
	int16_t		cg_old_niblk;	/* UFS1: inodes in the group */
	int32_t		cg_ndblk;	/* fragments in the group */
	struct ffs_csum	cg_cs;
	int32_t		cg_rotor;
	int32_t		cg_frotor;
	int32_t		cg_irotor;
	int32_t		cg_frsum[FFS_MAXFRAG];
	int32_t		cg_old_btotoff;
	int32_t		cg_old_boff;
	int32_t		cg_iusedoff;	/* inode bitmap, bytes from cg start */
	int32_t		cg_freeoff;	/* fragment bitmap */
	int32_t		cg_nextfreeoff;	/* end of the used part */
	int32_t		cg_clustersumoff;
	int32_t		cg_clusteroff;
	int32_t		cg_nclusterblks;
	int32_t		cg_niblk;	/* UFS2: inodes in the group */
	int32_t		cg_initediblk;
	int32_t		cg_unrefs;
	int32_t		cg_sparecon32[2];
	int64_t		cg_time;
	int64_t		cg_sparecon64[3];
};

__CTASSERT(sizeof(struct ffs_cg) == 168);
__CTASSERT(offsetof(struct ffs_cg, cg_magic) == 4);
__CTASSERT(offsetof(struct ffs_cg, cg_ndblk) == 20);
__CTASSERT(offsetof(struct ffs_cg, cg_iusedoff) == 92);
__CTASSERT(offsetof(struct ffs_cg, cg_niblk) == 116);
__CTASSERT(offsetof(struct ffs_cg, cg_time) == 136);

#endif /* _FFS_FS_H_ */
