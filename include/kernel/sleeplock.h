/*
 * kernel/sleeplock.h - long-term locks whose waiters sleep instead of
 * spinning (held across disk I/O, e.g. a buffer or an inode). Only a process
 * may take one; interrupts stay enabled while it is held.
 */
#ifndef _KERNEL_SLEEPLOCK_H
#define _KERNEL_SLEEPLOCK_H

#include <kernel/spinlock.h>

struct sleeplock {
	struct spinlock lk; /* protects the fields below */
	bool locked;
	int pid; /* holder, for debugging */
	const char *name;
};

void sleeplock_init(struct sleeplock *slk, const char *name);
void sleep_lock(struct sleeplock *slk);
void sleep_unlock(struct sleeplock *slk);
bool sleep_lock_held(struct sleeplock *slk);

#endif /* _KERNEL_SLEEPLOCK_H */
