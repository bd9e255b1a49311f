/*
 * uapi/pagoda/param.h - limits visible to user programs (xv6's names).
 */
#ifndef _UAPI_PAGODA_PARAM_H
#define _UAPI_PAGODA_PARAM_H

#define NPROC 64     /* maximum number of processes */
#define NOFILE 16    /* open files per process */
#define NFILE 100    /* open files per system */
#define NINODE 50    /* maximum number of active i-nodes */
#define NDEV 10	     /* maximum major device number */
#define ROOTDEV 1    /* device number of file system root disk */
#define MAXARG 32    /* max exec arguments */
#define MAXPATH 128  /* maximum file path name */
#define USERSTACK 16 /* user stack pages */

#endif /* _UAPI_PAGODA_PARAM_H */
