/*
 * kernel/shmem_fs.h - shared anonymous memory (mm/shmem.c): the in-memory
 * file behind a MAP_SHARED | MAP_ANONYMOUS mapping.
 */
#ifndef _KERNEL_SHMEM_FS_H
#define _KERNEL_SHMEM_FS_H

#include <kernel/types.h>
#include <kernel/fs.h>

struct file;

/* the device number of shared-memory inodes (never a disk; 00:00 is none) */
#define SHMEM_VDEV 0x7f01

/**
 * shmem_file_setup - a new, zero-filled shared-memory file of @size bytes
 * for a MAP_SHARED | MAP_ANONYMOUS mapping.
 * Context: process context; may sleep.
 * Return: an open file (type FD_SHMEM, one reference), or NULL when memory
 * or open files (NFILE) run out.
 */
struct file *shmem_file_setup(u64 size);

/**
 * shmem_release - free the shared-memory inode @ip and its pages: its file's
 * last reference went away, so no mapping can reach them any more.
 * Context: process context, from fileclose().
 */
void shmem_release(struct inode *ip);

/** shmem_mapping - is @ip a shared-memory inode (no disk behind it)? */
static inline bool shmem_mapping(const struct inode *ip)
{
	return ip->dev == SHMEM_VDEV;
}

#endif /* _KERNEL_SHMEM_FS_H */
