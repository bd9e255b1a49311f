/*
 * uapi/pagoda/procfs.h - the /proc files: device files of major PROC_MAJOR
 * whose minor number selects what the kernel generates (fs/procfs.c).
 * Shared by the kernel and user/init.c, which creates the directories and
 * device files at boot when they are missing.
 */
#ifndef _UAPI_PAGODA_PROCFS_H
#define _UAPI_PAGODA_PROCFS_H

#define PROC_MAJOR 2

/* minor numbers */
#define PROC_MEMINFO 1
#define PROC_BUDDYINFO 2
#define PROC_PAGETYPEINFO 3
#define PROC_ZONEINFO 4
#define PROC_SYS_VM_MIN_FREE_KBYTES 5
#define PROC_VMALLOCINFO 6
#define PROC_VMSTAT 7
#define PROC_SLABINFO 8
#define PROC_STAT 9
#define PROC_UPTIME 10
#define PROC_LOADAVG 11
#define PROC_CPUINFO 12

/*
 * /proc/PID/ and /proc/self/ are not on the disk: path lookup in /proc
 * makes an in-memory inode (device PROC_VDEV, inode number
 * PID << 4 | PROC_PID_*) for them when it is asked for one, and reading
 * /proc lists the live PIDs and "self" after the files on the disk.
 */
#define PROC_VDEV 0x7f00
#define PROC_PID_DIR 1
#define PROC_PID_MAPS 2
#define PROC_PID_SMAPS 3
#define PROC_PID_STAT 4
#define PROC_PID_STATUS 5
#define PROC_PID_STATM 6
#define PROC_PID_CMDLINE 7
#define PROC_PID_COMM 8

/* directories to create, parents first */
#define PROC_DIRS                                    \
	{                                            \
		"/proc", "/proc/sys", "/proc/sys/vm" \
	}

/* { path, minor } of each file, for an initializer of struct { const char *; int; }[] */
#define PROC_FILES                                                                                \
	{                                                                                         \
		{"/proc/meminfo", PROC_MEMINFO}, {"/proc/buddyinfo", PROC_BUDDYINFO},             \
		    {"/proc/vmallocinfo", PROC_VMALLOCINFO}, {"/proc/vmstat", PROC_VMSTAT},       \
		    {"/proc/slabinfo", PROC_SLABINFO}, {"/proc/pagetypeinfo", PROC_PAGETYPEINFO}, \
		    {"/proc/zoneinfo", PROC_ZONEINFO}, {"/proc/stat", PROC_STAT},                 \
		    {"/proc/uptime", PROC_UPTIME}, {"/proc/loadavg", PROC_LOADAVG},               \
		    {"/proc/cpuinfo", PROC_CPUINFO},                                              \
		{                                                                                 \
			"/proc/sys/vm/min_free_kbytes", PROC_SYS_VM_MIN_FREE_KBYTES               \
		}                                                                                 \
	}

#endif /* _UAPI_PAGODA_PROCFS_H */
