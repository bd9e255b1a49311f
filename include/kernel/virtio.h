/*
 * kernel/virtio.h - virtio over memory-mapped I/O: register offsets, status
 * and feature bits, the split virtqueue layout, and the block device's
 * request format; plus the virtio-blk driver's entry points.
 *
 * Register offsets are from the start of a device's 0x200-byte window
 * (ioremap'd by the driver). "legacy" = virtio-mmio version 1 (QEMU's
 * default), "modern" = version 2 (virtio 1.0 and later).
 *
 * See: Virtual I/O Device (VIRTIO) Version 1.1, sections 2.6 (split
 * virtqueues), 4.2.2 (MMIO registers), 4.2.4 (legacy interface), 5.2 (block
 * device).
 */
#ifndef _KERNEL_VIRTIO_H
#define _KERNEL_VIRTIO_H

#include <kernel/types.h>

/* --- MMIO registers --------------------------------------------------------- */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000 /* reads "virt" = 0x74726976 */
#define VIRTIO_MMIO_VERSION 0x004     /* 1 legacy, 2 modern */
#define VIRTIO_MMIO_DEVICE_ID 0x008   /* 0 = empty slot, 2 = block */
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014 /* which 32 bits DEVICE_FEATURES shows */
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE 0x028 /* legacy only */
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_ALIGN 0x03c /* legacy only */
#define VIRTIO_MMIO_QUEUE_PFN 0x040   /* legacy only */
#define VIRTIO_MMIO_QUEUE_READY 0x044 /* modern only */
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080 /* modern only, from here down */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090 /* the available ring */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0 /* the used ring */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100 /* device-specific configuration */

#define VIRTIO_MMIO_MAGIC 0x74726976
#define VIRTIO_ID_BLOCK 2

/* STATUS register bits, set by the driver in this order during init. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8 /* modern only */
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

/* Feature bit a modern driver must accept: "I speak virtio 1.0". */
#define VIRTIO_F_VERSION_1 32

/* INTERRUPT_STATUS bits */
#define VIRTIO_INT_USED_RING 1 /* the device added entries to a used ring */
#define VIRTIO_INT_CONFIG 2    /* the configuration space changed */

/* --- split virtqueue -------------------------------------------------------- */

/* One buffer the device reads or writes; chained with NEXT. */
struct virtq_desc {
	u64 addr; /* physical (bus) address */
	u32 len;
	u16 flags;
	u16 next; /* index of the next descriptor if flags & VIRTQ_DESC_F_NEXT */
};
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2 /* the device writes this buffer (else reads it) */

/* Driver -> device: heads of descriptor chains ready to be processed. */
struct virtq_avail {
	u16 flags;
	u16 idx;    /* where the driver puts the next entry (mod queue size) */
	u16 ring[]; /* queue-size entries, then a u16 used_event we don't use */
};

/* Device -> driver: chains it has finished with. */
struct virtq_used_elem {
	u32 id;	 /* head descriptor of the finished chain */
	u32 len; /* bytes the device wrote into the chain */
};
struct virtq_used {
	u16 flags;
	u16 idx; /* where the device puts the next entry (mod queue size) */
	struct virtq_used_elem ring[];
};

/* --- virtio-blk --------------------------------------------------------------- */
#define VIRTIO_BLK_T_IN 0  /* read from the disk */
#define VIRTIO_BLK_T_OUT 1 /* write to the disk */
#define VIRTIO_BLK_S_OK 0  /* status byte values written by the device */
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTIO_BLK_SECTOR_SIZE 512 /* "sector" is always 512 bytes in virtio */

/* The first descriptor of every block request points at one of these. */
struct virtio_blk_req {
	u32 type; /* VIRTIO_BLK_T_IN or _OUT */
	u32 reserved;
	u64 sector;
};

/* Configuration space (at VIRTIO_MMIO_CONFIG): we only read the capacity. */
#define VIRTIO_BLK_CFG_CAPACITY 0x00 /* u64, in 512-byte sectors */

struct buf;

/**
 * virtio_disk_init - find the first virtio-mmio block device in the device
 * tree, reset and configure it, and hook up its interrupt.
 * Context: boot, once, after ioremap and request_irq work; does not sleep.
 * Return: 0, or -ENODEV when no disk is attached (a message says how to
 * attach one), or -ENOMEM.
 */
int virtio_disk_init(void);

/**
 * virtio_disk_rw - read (@write == 0) or write block @b->blockno between the
 * disk and @b->data, and wait until the device has finished.
 * Context: process context; caller holds @b's sleeplock; sleeps.
 */
void virtio_disk_rw(struct buf *b, int write);

#endif /* _KERNEL_VIRTIO_H */
