/*
 * mm/usercopy.c - copy_to_user, copy_from_user, strncpy_from_user.
 *
 * The range is checked against the current process's page table first
 * (below TASK_SIZE, present, user, readable/writable); only then does the
 * kernel open the user-access window (SUM / PAN) and copy through the user
 * address itself. Outside these functions the MMU refuses the kernel any
 * access to user pages, so a stray user pointer dereferenced elsewhere in
 * the kernel faults loudly instead of silently reading user memory.
 */
#include <kernel/uaccess.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/string.h>
#include <kernel/errno.h>

static struct mm_struct *current_mm(void)
{
	struct proc *p = myproc();

	return p ? p->mm : NULL;
}

int copy_to_user(u64 udst, const void *src, u64 len)
{
	if (len == 0)
		return 0;
	if (!access_ok(current_mm(), udst, len, VM_WRITE))
		return -EFAULT;
	user_access_begin();
	memcpy((void *)udst, src, len);
	user_access_end();
	return 0;
}

int copy_from_user(void *dst, u64 usrc, u64 len)
{
	if (len == 0)
		return 0;
	if (!access_ok(current_mm(), usrc, len, VM_READ))
		return -EFAULT;
	user_access_begin();
	memcpy(dst, (const void *)usrc, len);
	user_access_end();
	return 0;
}

int strncpy_from_user(char *dst, u64 usrc, u64 max)
{
	struct mm_struct *mm = current_mm();
	u64 n = 0;

	while (n < max) {
		u64 va = usrc + n;
		u64 chunk = MIN(max - n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		if (!access_ok(mm, va, chunk, VM_READ))
			return -EFAULT;
		user_access_begin();
		for (u64 i = 0; i < chunk; i++) {
			char c = ((const char *)va)[i];
			dst[n + i] = c;
			if (c == '\0') {
				user_access_end();
				return (int)(n + i);
			}
		}
		user_access_end();
		n += chunk;
	}
	if (max)
		dst[max - 1] = '\0';
	return -ENAMETOOLONG;
}

int fault_in_user_range(u64 addr, u64 len, bool write)
{
	return access_ok(current_mm(), addr, len, write ? VM_WRITE : VM_READ) ? 0 : -EFAULT;
}

bool user_range_mapped(u64 addr, u64 len, bool write)
{
	return vmas_allow(current_mm(), addr, len, write ? VM_WRITE : VM_READ);
}
