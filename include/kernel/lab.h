/*
 * kernel/lab.h - what a lab's starting code does where the student has not
 * written the solution yet.
 *
 * The reference tree marks each lab's solution regions in the source
 * (labs/README.md, "Solution regions"); `make lab LAB=name` replaces them by
 * their stubs. A stub that must return something calls LAB_TODO(), which
 * stops the kernel with a message naming the lab, the function and the
 * place, so that a missing piece is never silent:
 *
 *   Kernel panic - not syncing: pgtbl lab: map_range() not implemented yet
 *   (mm/pgtable.c:112); see labs/pgtbl/README.md
 *
 * In host unit tests the same call ends only the test that reached it.
 */
#ifndef _KERNEL_LAB_H
#define _KERNEL_LAB_H

#include <kernel/printk.h>

#define LAB_TODO(lab, what)                                                                 \
	panic(lab " lab: " what " not implemented yet (%s:%d); see labs/" lab "/README.md", \
	      __FILE__, __LINE__)

#endif /* _KERNEL_LAB_H */
