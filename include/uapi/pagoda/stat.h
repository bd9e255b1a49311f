/*
 * uapi/pagoda/stat.h - struct stat as returned by fstat(), laid out as in xv6.
 */
#ifndef _UAPI_PAGODA_STAT_H
#define _UAPI_PAGODA_STAT_H

#include "types.h"

#define T_DIR 1	   /* directory */
#define T_FILE 2   /* regular file */
#define T_DEVICE 3 /* device special file (major selects the driver) */

struct stat {
	int dev;     /* file system's disk device */
	uint ino;    /* inode number */
	short type;  /* T_DIR, T_FILE or T_DEVICE */
	short nlink; /* number of links to the file */
	uint64 size; /* size of file in bytes */
};

#endif /* _UAPI_PAGODA_STAT_H */
