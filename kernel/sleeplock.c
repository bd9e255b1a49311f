/*
 * kernel/sleeplock.c - locks whose waiters sleep (see kernel/sleeplock.h).
 */
#include <kernel/sleeplock.h>
#include <kernel/proc.h>
#include <kernel/printk.h>

void sleeplock_init(struct sleeplock *slk, const char *name)
{
	spin_lock_init(&slk->lk, "sleeplock");
	slk->name = name;
	slk->locked = false;
	slk->pid = 0;
}

void sleep_lock(struct sleeplock *slk)
{
	spin_lock(&slk->lk);
	while (slk->locked)
		sleep(slk, &slk->lk);
	slk->locked = true;
	slk->pid = myproc()->pid;
	spin_unlock(&slk->lk);
}

void sleep_unlock(struct sleeplock *slk)
{
	spin_lock(&slk->lk);
	if (!slk->locked)
		panic("sleep_unlock: %s: not locked", slk->name);
	slk->locked = false;
	slk->pid = 0;
	wakeup(slk);
	spin_unlock(&slk->lk);
}

bool sleep_lock_held(struct sleeplock *slk)
{
	bool held;

	spin_lock(&slk->lk);
	held = slk->locked && myproc() && slk->pid == myproc()->pid;
	spin_unlock(&slk->lk);
	return held;
}
