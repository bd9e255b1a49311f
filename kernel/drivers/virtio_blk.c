/*
 * kernel/drivers/virtio_blk.c - driver for QEMU's virtio block device on the
 * virtio-mmio transport (legacy version 1 and modern version 2).
 *
 * The driver and the device share memory: a queue of descriptors and two
 * rings. To read or write a block, the driver builds a chain of three
 * descriptors, puts the chain's head into the available ring, and writes
 * the queue number to QUEUE_NOTIFY. The device does the I/O, writes the
 * status byte, puts the head into the used ring and raises an interrupt.
 *
 * One request, a chain of three descriptors:
 *
 *   desc[i]                  desc[j]                    desc[k]
 *   +------------------+     +----------------------+   +-----------------+
 *   | addr &req[i]     |     | addr b->data         |   | addr &status    |
 *   | len  16          |---->| len  BSIZE           |-->| len  1          |
 *   | NEXT             |     | NEXT, and WRITE for  |   | WRITE           |
 *   +------------------+     | a disk read          |   +-----------------+
 *    device reads it:        +----------------------+    device writes it:
 *    type (IN = read,         device fills it (read)     0 = OK
 *    OUT = write), sector     or copies it out (write)
 *
 * (WRITE means "the device writes this buffer", seen from the device.)
 *
 * The queue: two physically contiguous pages (NUM = 32 entries).
 *
 *   page 0  +------------------------------+ 0
 *           | desc[NUM]   16 bytes each    |     driver writes
 *           +------------------------------+ 16*NUM
 *           | avail: flags, idx, ring[NUM] |     driver writes, device reads
 *           +------------------------------+
 *           | (unused)                     |
 *   page 1  +------------------------------+ 4096 (legacy: QueueAlign)
 *           | used: flags, idx,            |     device writes, driver reads
 *           |       ring[NUM] of {id, len} |
 *           +------------------------------+
 *
 * A legacy device is given one page number (QUEUE_PFN) and finds the
 * parts at exactly these offsets; a modern device is given the three
 * addresses. We use the same layout for both.
 *
 * Several requests may be in flight: each process that calls
 * virtio_disk_rw sleeps on its buf until the interrupt handler sees the
 * request in the used ring and clears b->disk. The request header and the
 * status byte of a request live in disk.req[head] and disk.info[head],
 * where head is the first descriptor of its chain.
 *
 * Locking: disk.lock protects the queue, free[], info[], req[], used_idx and
 * every b->disk; it is taken by process context and by the interrupt handler.
 *
 * See: Virtual I/O Device (VIRTIO) Version 1.1, 2.6 (split virtqueues),
 * 4.2 (virtio over MMIO; 4.2.4 for legacy), 5.2 (block device).
 */
#include <kernel/types.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/proc.h>
#include <kernel/arch.h>
#include <kernel/gfp.h>
#include <kernel/io.h>
#include <kernel/irq.h>
#include <kernel/setup.h>
#include <kernel/fdt.h>
#include <kernel/buf.h>
#include <kernel/virtio.h>

#define NUM 32		 /* descriptors in the queue: a power of two, as legacy requires */
#define QUEUE_ALIGN 4096 /* where the used ring starts (legacy QueueAlign) */
#define QUEUE_ORDER 1	 /* the queue takes 2^1 pages */
#define SECTORS_PER_BLOCK (BSIZE / VIRTIO_BLK_SECTOR_SIZE)

BUILD_BUG_ON(sizeof(struct virtq_desc) * NUM + sizeof(struct virtq_avail) + 2 * (NUM + 1) >
	     QUEUE_ALIGN);
BUILD_BUG_ON(sizeof(struct virtq_used) + sizeof(struct virtq_used_elem) * NUM + 2 > QUEUE_ALIGN);
BUILD_BUG_ON(sizeof(struct virtio_blk_req) != 16);

static struct disk {
	struct spinlock lock;
	void *regs;  /* the device's registers, ioremap'd */
	u64 regs_pa; /* their physical address, for messages */
	int version; /* 1 = legacy, 2 = modern */
	int irq;
	u64 capacity; /* disk size in 512-byte sectors */

	unsigned long queue; /* 2 pages: desc + avail, then used */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;

	bool free[NUM]; /* is descriptor i unused? */
	u16 used_idx;	/* the next used-ring entry to look at */

	/* per request in flight, indexed by the head descriptor */
	struct {
		struct buf *b;
		volatile u8 status; /* written by the device (DMA) */
	} info[NUM];
	struct virtio_blk_req req[NUM]; /* read by the device (DMA) */
} disk;

static inline u32 vread(u32 reg)
{
	return readl((char *)disk.regs + reg);
}

static inline void vwrite(u32 reg, u32 val)
{
	writel(val, (char *)disk.regs + reg);
}

/* --- descriptors -------------------------------------------------------- */

/* Take a free descriptor. Return: its index, or -1. Caller holds disk.lock. */
static int alloc_desc(void)
{
	int i;

	for (i = 0; i < NUM; i++) {
		if (disk.free[i]) {
			disk.free[i] = false;
			return i;
		}
	}
	return -1;
}

static void free_desc(int i)
{
	BUG_ON(i < 0 || i >= NUM || disk.free[i]);
	memset(&disk.desc[i], 0, sizeof(disk.desc[i]));
	disk.free[i] = true;
	wakeup(&disk.free[0]); /* someone may wait for descriptors */
}

/* Free the chain that starts at @i. */
static void free_chain(int i)
{
	u16 flags, next;

	for (;;) {
		flags = disk.desc[i].flags;
		next = disk.desc[i].next;
		free_desc(i);
		if (!(flags & VIRTQ_DESC_F_NEXT))
			break;
		i = next;
	}
}

/* Take three descriptors (all or none). Return: 0 or -1. */
static int alloc3_desc(int *idx)
{
	int i, j;

	for (i = 0; i < 3; i++) {
		idx[i] = alloc_desc();
		if (idx[i] < 0) {
			for (j = 0; j < i; j++)
				free_desc(idx[j]);
			return -1;
		}
	}
	return 0;
}

/* --- requests ----------------------------------------------------------- */

void virtio_disk_rw(struct buf *b, int write)
{
	u64 sector = (u64)b->blockno * SECTORS_PER_BLOCK;
	int idx[3];
	u8 status;

	if (disk.regs == NULL)
		panic("virtio_disk_rw: no disk (virtio_disk_init found none)");
	if (sector + SECTORS_PER_BLOCK > disk.capacity)
		panic("virtio_disk_rw: block %u is past the end of the disk (%llu sectors)",
		      b->blockno, disk.capacity);

	spin_lock(&disk.lock);
	while (alloc3_desc(idx) < 0)
		sleep(&disk.free[0], &disk.lock);

	disk.req[idx[0]].type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
	disk.req[idx[0]].reserved = 0;
	disk.req[idx[0]].sector = sector;

	disk.desc[idx[0]].addr = __pa(&disk.req[idx[0]]);
	disk.desc[idx[0]].len = sizeof(struct virtio_blk_req);
	disk.desc[idx[0]].flags = VIRTQ_DESC_F_NEXT;
	disk.desc[idx[0]].next = idx[1];

	disk.desc[idx[1]].addr = __pa(b->data);
	disk.desc[idx[1]].len = BSIZE;
	disk.desc[idx[1]].flags = VIRTQ_DESC_F_NEXT | (write ? 0 : VIRTQ_DESC_F_WRITE);
	disk.desc[idx[1]].next = idx[2];

	disk.info[idx[0]].status = 0xff; /* the device overwrites it with 0 on success */
	disk.desc[idx[2]].addr = __pa(&disk.info[idx[0]].status);
	disk.desc[idx[2]].len = 1;
	disk.desc[idx[2]].flags = VIRTQ_DESC_F_WRITE;
	disk.desc[idx[2]].next = 0;

	b->disk = 1;
	disk.info[idx[0]].b = b;

	/* Publish the chain: ring entry first, then the index the device polls. */
	disk.avail->ring[disk.avail->idx % NUM] = idx[0];
	smp_mb();
	WRITE_ONCE(disk.avail->idx, disk.avail->idx + 1);
	smp_mb();
	vwrite(VIRTIO_MMIO_QUEUE_NOTIFY, 0); /* queue 0 has work */

	while (READ_ONCE(b->disk) == 1)
		sleep(b, &disk.lock);

	status = disk.info[idx[0]].status;
	disk.info[idx[0]].b = NULL;
	free_chain(idx[0]);
	spin_unlock(&disk.lock);

	if (status != VIRTIO_BLK_S_OK)
		panic("virtio-blk: %s of block %u failed with status %u", write ? "write" : "read",
		      b->blockno, status);
}

static void virtio_disk_intr(int irq, void *dev)
{
	struct buf *b;
	u32 id;

	spin_lock(&disk.lock);

	/*
	 * Acknowledge first: the device may add more used entries while we
	 * walk the ring; those raise a new interrupt, or we see them below.
	 */
	vwrite(VIRTIO_MMIO_INTERRUPT_ACK, vread(VIRTIO_MMIO_INTERRUPT_STATUS) & 0x3);
	smp_mb();

	while (disk.used_idx != READ_ONCE(disk.used->idx)) {
		smp_mb(); /* read the entry only after seeing the index move */
		id = disk.used->ring[disk.used_idx % NUM].id;
		if (id >= NUM || disk.info[id].b == NULL)
			panic("virtio-blk: device completed unknown request %u", id);
		b = disk.info[id].b;
		b->disk = 0; /* the buf is ours again */
		wakeup(b);
		disk.used_idx++;
	}

	spin_unlock(&disk.lock);
}

/* --- initialisation ----------------------------------------------------- */

/* Tell the device we give up on it. */
static int fail(const char *why)
{
	printk("virtio-blk: device at 0x%llx: %s\n", disk.regs_pa, why);
	vwrite(VIRTIO_MMIO_STATUS, vread(VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FAILED);
	return -ENODEV;
}

/* Read the disk size from the configuration space (two 32-bit halves). */
static u64 read_capacity(void)
{
	u32 lo, hi, gen;

	do {
		gen = disk.version == 2 ? vread(VIRTIO_MMIO_CONFIG_GENERATION) : 0;
		lo = vread(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY);
		hi = vread(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY + 4);
	} while (disk.version == 2 && gen != vread(VIRTIO_MMIO_CONFIG_GENERATION));
	return ((u64)hi << 32) | lo;
}

/* Hand the queue's three parts to the device. */
static void setup_queue(void)
{
	u64 desc = __pa(disk.desc), avail = __pa(disk.avail), used = __pa(disk.used);

	vwrite(VIRTIO_MMIO_QUEUE_NUM, NUM);
	if (disk.version == 1) {
		vwrite(VIRTIO_MMIO_QUEUE_ALIGN, QUEUE_ALIGN);
		vwrite(VIRTIO_MMIO_QUEUE_PFN, desc / QUEUE_ALIGN);
	} else {
		vwrite(VIRTIO_MMIO_QUEUE_DESC_LOW, (u32)desc);
		vwrite(VIRTIO_MMIO_QUEUE_DESC_HIGH, (u32)(desc >> 32));
		vwrite(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (u32)avail);
		vwrite(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (u32)(avail >> 32));
		vwrite(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (u32)used);
		vwrite(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (u32)(used >> 32));
		vwrite(VIRTIO_MMIO_QUEUE_READY, 1);
	}
}

/*
 * Bring up the block device whose registers are mapped at disk.regs,
 * following the initialisation order of the spec (3.1.1):
 * reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queue, DRIVER_OK.
 */
static int setup_device(void)
{
	u32 status, features_hi;
	int i;

	disk.version = vread(VIRTIO_MMIO_VERSION);
	if (disk.version != 1 && disk.version != 2)
		return fail("unknown virtio-mmio version");

	vwrite(VIRTIO_MMIO_STATUS, 0); /* reset */
	status = VIRTIO_STATUS_ACKNOWLEDGE;
	vwrite(VIRTIO_MMIO_STATUS, status);
	status |= VIRTIO_STATUS_DRIVER;
	vwrite(VIRTIO_MMIO_STATUS, status);

	/*
	 * Features: we want none of the optional ones (read-only, write cache,
	 * event index, multiple queues, ...). A modern device also offers
	 * VIRTIO_F_VERSION_1, which a driver must accept: it is not optional,
	 * it says we use the virtio 1.0 layout rather than the legacy one.
	 */
	vwrite(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	features_hi = vread(VIRTIO_MMIO_DEVICE_FEATURES);
	vwrite(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	vwrite(VIRTIO_MMIO_DRIVER_FEATURES, 0);
	if (disk.version == 2) {
		if (!(features_hi & (1u << (VIRTIO_F_VERSION_1 - 32))))
			return fail("modern device without VIRTIO_F_VERSION_1");
		vwrite(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
		vwrite(VIRTIO_MMIO_DRIVER_FEATURES, 1u << (VIRTIO_F_VERSION_1 - 32));
		status |= VIRTIO_STATUS_FEATURES_OK;
		vwrite(VIRTIO_MMIO_STATUS, status);
		if (!(vread(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
			return fail("device refused our features");
	} else {
		/* legacy: pages are 4 KiB for QUEUE_PFN; must precede queue setup */
		vwrite(VIRTIO_MMIO_GUEST_PAGE_SIZE, QUEUE_ALIGN);
	}

	/* Queue 0. */
	vwrite(VIRTIO_MMIO_QUEUE_SEL, 0);
	if (disk.version == 1 ? vread(VIRTIO_MMIO_QUEUE_PFN) : vread(VIRTIO_MMIO_QUEUE_READY))
		return fail("queue 0 is already in use");
	if (vread(VIRTIO_MMIO_QUEUE_NUM_MAX) < NUM)
		return fail("queue 0 is too short");

	disk.queue = __get_free_pages(GFP_KERNEL, QUEUE_ORDER);
	if (disk.queue == 0) {
		fail("no memory for the queue");
		return -ENOMEM;
	}
	memset((void *)disk.queue, 0, PAGE_SIZE << QUEUE_ORDER);
	disk.desc = (struct virtq_desc *)disk.queue;
	disk.avail = (struct virtq_avail *)(disk.queue + NUM * sizeof(struct virtq_desc));
	disk.used = (struct virtq_used *)(disk.queue + QUEUE_ALIGN);
	for (i = 0; i < NUM; i++)
		disk.free[i] = true;
	disk.used_idx = 0;
	setup_queue();

	disk.capacity = read_capacity();

	status |= VIRTIO_STATUS_DRIVER_OK;
	vwrite(VIRTIO_MMIO_STATUS, status);
	if (vread(VIRTIO_MMIO_STATUS) & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED)) {
		free_pages(disk.queue, QUEUE_ORDER);
		disk.queue = 0;
		return fail("device failed after DRIVER_OK");
	}
	return 0;
}

int virtio_disk_init(void)
{
	u64 base, size;
	void *regs;
	int node, irq, err;

	spin_lock_init(&disk.lock, "virtio_disk");

	/* QEMU lists every virtio-mmio slot, empty (device id 0) or not. */
	for (node = fdt_find_compatible(boot_dtb, "virtio,mmio", -1); node >= 0;
	     node = fdt_find_compatible(boot_dtb, "virtio,mmio", node)) {
		if (fdt_read_reg(boot_dtb, node, 0, &base, &size) < 0)
			continue;
		regs = ioremap(base, 0x1000);
		if (regs == NULL)
			continue;
		if (readl((char *)regs + VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC ||
		    readl((char *)regs + VIRTIO_MMIO_DEVICE_ID) != VIRTIO_ID_BLOCK) {
			iounmap(regs);
			continue;
		}

		disk.regs = regs;
		disk.regs_pa = base;
		err = setup_device();
		if (err < 0) {
			disk.regs = NULL;
			iounmap(regs);
			return err;
		}

		irq = arch_dt_irq(boot_dtb, node);
		if (irq < 0 || request_irq(irq, virtio_disk_intr, "virtio-blk", &disk) < 0) {
			printk("virtio-blk: device at 0x%llx: cannot use its interrupt (%d)\n",
			       base, irq);
			vwrite(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_FAILED);
			free_pages(disk.queue, QUEUE_ORDER);
			disk.regs = NULL;
			iounmap(regs);
			return -ENODEV;
		}
		disk.irq = irq;
		printk("virtio-blk: %llu KiB disk at 0x%llx (%s virtio-mmio), irq %d\n",
		       disk.capacity / 2, base, disk.version == 1 ? "legacy" : "modern", irq);
		return 0;
	}

	printk(
	    "virtio-blk: no disk found: start QEMU with -drive file=fs.img,if=none,format=raw,id=x0 -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0\n");
	return -ENODEV;
}
