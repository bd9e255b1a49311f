/*
 * kernel/uaccess.h - the only doors between the kernel and user memory.
 *
 * Each helper checks that the whole range lies below TASK_SIZE and is mapped
 * with user permission (writable for copy_to_user) in the current process's
 * page table, and only then opens the user-access window (SUM on RISC-V, PAN
 * off on ARM) for the copy. A bad pointer yields -EFAULT, never a kernel
 * fault.
 */
#ifndef _KERNEL_UACCESS_H
#define _KERNEL_UACCESS_H

#include <kernel/types.h>

int copy_to_user(u64 udst, const void *src, u64 len);
int copy_from_user(void *dst, u64 usrc, u64 len);
/* Copy a NUL-terminated string of at most @max bytes (NUL included).
 * Return: its length, -EFAULT, or -ENAMETOOLONG if no NUL within @max. */
int strncpy_from_user(char *dst, u64 usrc, u64 max);

/*
 * fault_in_user_range - make [addr, addr+len) of the current process present
 * (writable if @write) before taking locks a page fault might need.
 * Return: 0, or -EFAULT if part of it cannot be accessed.
 */
int fault_in_user_range(u64 addr, u64 len, bool write);

/*
 * user_range_mapped - could every page of [addr, addr+len) of the current
 * process be accessed (written if @write), page faults included? Only the
 * VMAs are looked at: no page is touched or allocated, so a read() into a
 * 1 GiB buffer can check it whole up front and fault it in as it goes.
 * Context: process context; does not sleep (pipes call it under their lock).
 * Return: true if so.
 */
bool user_range_mapped(u64 addr, u64 len, bool write);

/*
 * copy_from_kernel_nofault - copy from a kernel address that may be unmapped.
 * Return: 0, or -EFAULT if reading @src faulted (the kernel goes on).
 * Provided by the architecture (its trap code recognises the faulting load).
 */
long copy_from_kernel_nofault(void *dst, const void *src, size_t size);

#endif /* _KERNEL_UACCESS_H */
