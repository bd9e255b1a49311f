/*
 * tools/testing/slab/stubs/kernel/printk.h - the mm tests' printk stand-in
 * (printk captured in mm_host_log, panic caught by mm_host_expect_panic),
 * plus dump_stack(), which the slab allocator's reports call (a no-op
 * here: slab-host.c counts the calls).
 */
#ifndef _SLAB_HOST_PRINTK_H
#define _SLAB_HOST_PRINTK_H

#include <stdarg.h>
#include_next <kernel/printk.h>

void dump_stack(void);

#endif /* _SLAB_HOST_PRINTK_H */
