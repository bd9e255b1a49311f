/*
 * tools/mkfs/mkfs.c - build a Pagoda file-system image on the host.
 *
 *   mkfs fs.img [file ...]
 *
 * Writes an FSSIZE-block image: an empty log, NINODES inodes, the free-block
 * bitmap and a root directory holding "." and "..", plus one entry per
 * file given. Each file is stored under its base name with one leading '_'
 * removed: build/riscv/user/_sh becomes /sh (the build names user programs
 * _name so that they don't clash with host tools in the same directory).
 *
 * The image is built in memory and written in one go, so a failed run leaves
 * no half-built file behind. mkfs knows nothing about the target CPU: both
 * supported architectures are little-endian, and the image is written
 * little-endian whatever the host is, so one mkfs serves every ARCH.
 *
 * Inspecting an image (block b starts at byte b * 1024; mkfs prints where
 * each region starts):
 *
 *   od -A d -t u4 -j 1024 -N 32 fs.img
 *       the superblock: magic size nblocks ninodes nlog logstart inodestart
 *       bmapstart (magic 270544960 = 0x10203040)
 *   od -A d -t x2 -j $((1024 * INODESTART + 64)) -N 64 fs.img
 *       inode 1, the root: type major minor nlink (2 bytes each), size
 *       (4 bytes), then the 13 block numbers (4 bytes each) -- struct dinode
 *   xxd -s $((1024 * DATASTART)) -l 128 fs.img
 *       the root directory's first entries (2-byte inum, 14-byte name)
 *
 * See: include/uapi/pagoda/fs.h (the format), fs/inode.c (the kernel side).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uapi/pagoda/fs.h"
#include "uapi/pagoda/stat.h"

#define NINODES 1024 /* xv6 has 200; usertests make a few hundred files at once */

/* The layout, fixed by the constants above and in fs.h. */
enum {
	NLOG = LOGSIZE + 1, /* header block + LOGSIZE blocks */
	NINODEBLOCKS = (NINODES + IPB - 1) / IPB,
	NBITMAP = (FSSIZE + BPB - 1) / BPB,
	LOGSTART = 2,
	INODESTART = LOGSTART + NLOG,
	BMAPSTART = INODESTART + NINODEBLOCKS,
	NMETA = BMAPSTART + NBITMAP, /* boot, super, log, inodes, bitmap */
	NDATA = FSSIZE - NMETA,
};

static unsigned char *img;	 /* the whole image, FSSIZE * BSIZE bytes */
static uint next_block = NMETA;	 /* next free data block */
static uint next_inum = ROOTINO; /* next free inode */
static const char *progname = "mkfs";

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* --- little-endian fields, whatever the host's byte order --------------- */

static void put16(void *p, uint v)
{
	unsigned char *b = p;

	b[0] = v & 0xff;
	b[1] = (v >> 8) & 0xff;
}

static void put32(void *p, uint v)
{
	unsigned char *b = p;

	put16(b, v & 0xffff);
	put16(b + 2, v >> 16);
}

static uint get16(const void *p)
{
	const unsigned char *b = p;

	return b[0] | (b[1] << 8);
}

static uint get32(const void *p)
{
	const unsigned char *b = p;

	return get16(b) | (get16(b + 2) << 16);
}

static unsigned char *block(uint bno)
{
	if (bno >= FSSIZE)
		die("internal error: block %u out of range", bno);
	return img + (size_t)bno * BSIZE;
}

/* --- inodes -------------------------------------------------------------- */

/* Where inode @inum's struct dinode lives in the image. */
static unsigned char *dinode_at(uint inum)
{
	return block(INODESTART + inum / IPB) + (inum % IPB) * sizeof(struct dinode);
}

#define DI_OFF(field) offsetof(struct dinode, field)

static uint di_size(uint inum)
{
	return get32(dinode_at(inum) + DI_OFF(size));
}

/* Read / write entry @i of inode @inum's addrs[]. */
static uint di_addr(uint inum, uint i)
{
	return get32(dinode_at(inum) + DI_OFF(addrs) + 4 * i);
}

static void set_di_addr(uint inum, uint i, uint bno)
{
	put32(dinode_at(inum) + DI_OFF(addrs) + 4 * i, bno);
}

static uint ialloc(short type)
{
	unsigned char *di;
	uint inum = next_inum++;

	if (inum >= NINODES)
		die("out of inodes: the image holds %d", NINODES);
	di = dinode_at(inum);
	memset(di, 0, sizeof(struct dinode));
	put16(di + DI_OFF(type), (ushort)type);
	put16(di + DI_OFF(nlink), 1);
	return inum;
}

static uint balloc(void)
{
	if (next_block >= FSSIZE)
		die("out of space: the image holds %d data blocks", NDATA);
	return next_block++; /* the image starts zeroed: the block already is */
}

/* Entry @idx of indirect block @ind, allocating the block it names if 0. */
static uint ind_entry(uint ind, uint idx)
{
	unsigned char *p = block(ind) + 4 * idx;

	if (get32(p) == 0)
		put32(p, balloc());
	return get32(p);
}

/* The disk block holding file block @fbn of @inum, allocated if needed. */
static uint bmap(uint inum, uint fbn)
{
	uint slot;

	if (fbn < NDIRECT) {
		if (di_addr(inum, fbn) == 0)
			set_di_addr(inum, fbn, balloc());
		return di_addr(inum, fbn);
	}
	fbn -= NDIRECT;
	if (fbn < NINDIRECT) {
		if (di_addr(inum, NDIRECT) == 0)
			set_di_addr(inum, NDIRECT, balloc());
		return ind_entry(di_addr(inum, NDIRECT), fbn);
	}
	fbn -= NINDIRECT;
	if (fbn < NDINDIRECT) {
		if (di_addr(inum, NDIRECT + 1) == 0)
			set_di_addr(inum, NDIRECT + 1, balloc());
		slot = ind_entry(di_addr(inum, NDIRECT + 1), fbn / NINDIRECT);
		return ind_entry(slot, fbn % NINDIRECT);
	}
	die("file too big: more than %lu blocks", (unsigned long)MAXFILE);
}

/* Append @n bytes to inode @inum. */
static void iappend(uint inum, const void *data, size_t n)
{
	const unsigned char *p = data;
	uint off = di_size(inum), m;

	while (n > 0) {
		m = BSIZE - off % BSIZE;
		if (m > n)
			m = n;
		memcpy(block(bmap(inum, off / BSIZE)) + off % BSIZE, p, m);
		off += m;
		p += m;
		n -= m;
	}
	put32(dinode_at(inum) + DI_OFF(size), off);
}

/* Add the entry (@name, @inum) to directory @dir. */
static void dir_add(uint dir, const char *name, uint inum)
{
	struct dirent de;
	unsigned char raw[sizeof(struct dirent)];

	memset(&de, 0, sizeof(de));
	memcpy(de.name, name, strnlen(name, DIRSIZ)); /* NUL-padded, no NUL if DIRSIZ long */
	memcpy(raw, &de, sizeof(raw));
	put16(raw + offsetof(struct dirent, inum), inum);
	iappend(dir, raw, sizeof(raw));
}

/* --- the files ----------------------------------------------------------- */

/* The name a host path gets in the image: base name, one leading '_' gone. */
static const char *image_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (base[0] == '_')
		base++;
	return base;
}

static void add_file(uint root, const char *path, char names[][DIRSIZ + 1], int nnames)
{
	const char *name = image_name(path);
	unsigned char buf[BSIZE * 8];
	size_t n;
	uint inum;
	FILE *f;
	int i;

	if (name[0] == '\0')
		die("%s: no file name left after removing the directory and '_'", path);
	if (strlen(name) > DIRSIZ)
		die("%s: name \"%s\" is %zu characters long; at most DIRSIZ = %d fit", path, name,
		    strlen(name), DIRSIZ);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		die("%s: \"%s\" cannot be a file name", path, name);
	for (i = 0; i < nnames; i++)
		if (strcmp(names[i], name) == 0)
			die("%s: a second file named \"%s\"", path, name);
	strcpy(names[nnames], name);

	f = fopen(path, "rb");
	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	inum = ialloc(T_FILE);
	dir_add(root, name, inum);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		iappend(inum, buf, n);
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);
}

static void write_superblock(void)
{
	unsigned char *sb = block(1);

	put32(sb + offsetof(struct superblock, magic), FSMAGIC);
	put32(sb + offsetof(struct superblock, size), FSSIZE);
	put32(sb + offsetof(struct superblock, nblocks), NDATA);
	put32(sb + offsetof(struct superblock, ninodes), NINODES);
	put32(sb + offsetof(struct superblock, nlog), NLOG);
	put32(sb + offsetof(struct superblock, logstart), LOGSTART);
	put32(sb + offsetof(struct superblock, inodestart), INODESTART);
	put32(sb + offsetof(struct superblock, bmapstart), BMAPSTART);
}

/* Mark blocks [0, next_block) in use: metadata, then what we allocated. */
static void write_bitmap(void)
{
	uint b;

	for (b = 0; b < next_block; b++)
		block(BMAPSTART + b / BPB)[(b % BPB) / 8] |= 1 << (b % 8);
}

int main(int argc, char *argv[])
{
	char(*names)[DIRSIZ + 1];
	const char *out;
	uint root;
	FILE *f;
	int i;

	/* The kernel reads these structures at these sizes. */
	_Static_assert(sizeof(struct dinode) == 64, "struct dinode must be 64 bytes");
	_Static_assert(sizeof(struct dirent) == 16, "struct dirent must be 16 bytes");
	_Static_assert(BSIZE % sizeof(struct dinode) == 0, "inodes must tile a block");
	_Static_assert(NMETA < FSSIZE, "no room for data");

	if (argc < 2) {
		fprintf(stderr, "usage: %s fs.img [file ...]\n", progname);
		return 2;
	}
	out = argv[1];

	img = calloc(FSSIZE, BSIZE);
	names = calloc(argc, sizeof(*names));
	if (img == NULL || names == NULL)
		die("out of memory");

	write_superblock();
	root = ialloc(T_DIR);
	if (root != ROOTINO)
		die("internal error: root is inode %u, not %d", root, ROOTINO);
	dir_add(root, ".", root);
	dir_add(root, "..", root);
	for (i = 2; i < argc; i++)
		add_file(root, argv[i], names, i - 2);
	write_bitmap();

	f = fopen(out, "wb");
	if (f == NULL)
		die("%s: %s", out, strerror(errno));
	if (fwrite(img, BSIZE, FSSIZE, f) != FSSIZE || fclose(f) != 0) {
		remove(out);
		die("%s: write failed", out);
	}

	printf("mkfs: %s: %d blocks: log %d at %d, inodes %d at %d, bitmap %d at %d, "
	       "data %d at %d (%u used); %u of %d inodes used\n",
	       out, FSSIZE, NLOG, LOGSTART, NINODEBLOCKS, INODESTART, NBITMAP, BMAPSTART, NDATA,
	       NMETA, next_block - NMETA, next_inum - 1, NINODES - 1);
	free(names);
	free(img);
	return 0;
}
