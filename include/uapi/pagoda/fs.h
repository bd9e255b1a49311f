/*
 * uapi/pagoda/fs.h - the on-disk format of Pagoda's file system, shared by
 * the kernel (fs/), user programs (ls reads directory entries) and the host
 * tool tools/mkfs.
 *
 * Disk layout, in BSIZE blocks:
 *
 *   +------+-------+--------------+-------------+--------+-------------+
 *   | boot | super | log          | inodes      | bitmap | data ...    |
 *   |  0   |   1   | 2 .. 2+nlog  | ninodes/IPB | 1 bit  |             |
 *   +------+-------+--------------+-------------+--------+-------------+
 *
 * All integers are little-endian (both supported architectures are).
 */
#ifndef _UAPI_PAGODA_FS_H
#define _UAPI_PAGODA_FS_H

#include "types.h"

#define ROOTINO 1  /* root i-number */
#define BSIZE 1024 /* block size */

#define FSMAGIC 0x10203040

struct superblock {
	uint magic;	 /* must be FSMAGIC */
	uint size;	 /* size of file system image (blocks) */
	uint nblocks;	 /* number of data blocks */
	uint ninodes;	 /* number of inodes */
	uint nlog;	 /* number of log blocks */
	uint logstart;	 /* block number of first log block */
	uint inodestart; /* block number of first inode block */
	uint bmapstart;	 /* block number of first free map block */
};

/*
 * Block map of an inode: NDIRECT direct blocks, one singly-indirect block and
 * one doubly-indirect block (NINDIRECT*NINDIRECT blocks, ~64 MiB).
 */
#define NDIRECT 11
#define NINDIRECT (BSIZE / sizeof(uint))
#define NDINDIRECT (NINDIRECT * NINDIRECT)
#define MAXFILE (NDIRECT + NINDIRECT + NDINDIRECT)

/* On-disk inode. */
struct dinode {
	short type;		 /* file type (T_DIR, T_FILE, T_DEVICE); 0 = free */
	short major;		 /* major device number (T_DEVICE only) */
	short minor;		 /* minor device number (T_DEVICE only) */
	short nlink;		 /* number of links to inode in file system */
	uint size;		 /* size of file (bytes) */
	uint addrs[NDIRECT + 2]; /* data block addresses */
};

/* Inodes per block. */
#define IPB (BSIZE / sizeof(struct dinode))
/* Block containing inode i. */
#define IBLOCK(i, sb) ((i) / IPB + (sb).inodestart)
/* Bitmap bits per block. */
#define BPB (BSIZE * 8)
/* Block of free map containing bit for block b. */
#define BBLOCK(b, sb) ((b) / BPB + (sb).bmapstart)

/* A directory is a file containing a sequence of dirent structures. */
#define DIRSIZ 14

struct dirent {
	ushort inum; /* 0 = free slot */
	char name[DIRSIZ];
};

/* Default sizes used by mkfs and the kernel's log. */
#define FSSIZE 32768		  /* size of file system in blocks (32 MiB) */
#define MAXOPBLOCKS 10		  /* max # of blocks any FS op writes */
#define LOGSIZE (MAXOPBLOCKS * 3) /* max data blocks in on-disk log */
#define NBUF 64 /* disk block cache; more buffers let more operations share a commit */

#endif /* _UAPI_PAGODA_FS_H */
