/*
 * tools/testing/slab/slab-host.h - the host environment for the slab
 * allocator's tests: the mm tests' arena and CPUs (tools/testing/mm/mm-host.c)
 * with the real page allocator under mm/slab.c and mm/slab_common.c, a
 * checker of every cache's invariants, and an operation interpreter with a
 * shadow model shared by the randomized test and the fuzzer.
 *
 * See: slab-host.c, sources.mk, fuzz/slab_fuzz.c, mm/slab.h.
 */
#ifndef _SLAB_HOST_H
#define _SLAB_HOST_H

#include <kernel/types.h>
#include <kernel/slab.h>
#include "mm-host.h"
#include "slab.h" /* mm/slab.h */

/*
 * Boot a machine of @ram_mb MiB with the kernel command line @cmdline
 * ("slab_debug", "slab_debug=ZP,kmalloc-64", "" ...): page allocator, then
 * kmem_cache_init().
 */
void slab_host_boot(unsigned long ram_mb, const char *cmdline);

/* dump_stack() calls since boot (each debugging report makes one). */
extern int slab_host_stack_dumps;
/* in_interrupt() answers this */
extern bool slab_host_in_irq;

/*
 * slab_host_check - slab_validate() every cache, check that the pages the
 * caches hold add up to nr_slab_reclaimable + nr_slab_unreclaimable, and run
 * the page allocator's checker. Return: 0, or -1 with the first problem in @why.
 */
int slab_host_check(char *why, size_t size);

/* The cache called @name, or NULL. */
struct kmem_cache *slab_host_find(const char *name);

/*
 * slab_host_run_ops - interpret @data as slab operations: create and
 * destroy caches (sizes, alignments, constructors, reclaimable, DMA),
 * allocate and free objects and kmalloc/krealloc/kfree them on random CPUs
 * (so frees are often remote), shrink and reap; every object is filled with
 * a pattern that is checked when it is freed, so two live objects that
 * overlap are caught. With @check_every_op, slab_host_check() after each
 * step. At the end everything is freed and every slab page must be back.
 * Any violation panics (the fuzzer reports it as a crash).
 */
void slab_host_run_ops(const u8 *data, size_t size, bool check_every_op);

#endif /* _SLAB_HOST_H */
