/*
 * kernel/setup.h - what the boot code learned about the machine: the device
 * tree blob (mapped in the direct map), the parsed boot information and the
 * kernel command line.
 */
#ifndef _KERNEL_SETUP_H
#define _KERNEL_SETUP_H

#include <kernel/types.h>
#include <kernel/fdt.h>

extern const void *boot_dtb; /* device tree, kernel virtual address */
extern u64 boot_dtb_pa;
extern struct boot_info boot_info;  /* parsed from boot_dtb */
extern char boot_command_line[512]; /* /chosen/bootargs */
extern bool root_disk_ready;	    /* virtio-blk found a disk */

/* linker-script symbols bounding the kernel image */
extern char _start[], _etext[], _srodata[], _erodata[], _sdata[], _edata[];
extern char __bss_start[], __bss_end[], _end[];

void __noreturn start_kernel(u64 hwid, u64 dtb_pa);

#endif /* _KERNEL_SETUP_H */
