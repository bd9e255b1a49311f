/*
 * fs/internal.h - what the files of fs/ share with each other and with their
 * tests (fs/fs_test.c), but not with the rest of the kernel.
 */
#ifndef _FS_INTERNAL_H
#define _FS_INTERNAL_H

#include <kernel/types.h>
#include <uapi/pagoda/fs.h>

struct pipe;
struct inode;

/* fs/inode.c */
extern struct superblock fs_sb; /* the mounted disk's superblock */
extern bool fs_mounted;		/* fsinit has run */
extern uint fs_dev;		/* the device fsinit mounted: holds "/" */
struct inode *iget(uint dev, uint inum);
/* Allocate a zeroed data block (inside a transaction). Return: its number, or 0 if the disk is full. */
uint balloc(uint dev);
/* Free data block @b (inside a transaction). */
void bfree(uint dev, uint b);
/* Count the free data blocks in the bitmap (reads every bitmap block). */
uint fs_count_free_blocks(uint dev);

/* fs/log.c */
void log_init(uint dev, const struct superblock *sb);
void log_recover(void);
bool log_busy(void);
void log_area(uint *start, uint *capacity);

/* fs/pipe.c: pipewrite/piperead for a user (@user != 0) or kernel address */
int pipewrite_either(struct pipe *pi, int user_src, u64 src, int n);
int piperead_either(struct pipe *pi, int user_dst, u64 dst, int n);

struct seq_buf;
/* fs/procfs.c: write the text of the /proc file of minor @minor; false if there is none */
bool procfs_generate(int minor, struct seq_buf *m);

/* fs/proc_pid.c: the files of /proc/PID/ */
/* PROC_PID_* of the file @name in /proc/PID/, or 0 if there is none */
int proc_pid_file_kind(const char *name);
/* the name of the @index'th file of /proc/PID/ (listing order), or NULL past the last */
const char *proc_pid_file_name(int index);
/* Generate /proc/@pid/<file @kind> (empty if the process is gone). */
void proc_pid_show(struct seq_buf *m, int pid, int kind);

#endif /* _FS_INTERNAL_H */
