/*
 * mm/vmalloc_test.c - KTAP suite "vmalloc": the vmalloc area, its guard
 * pages, lazy TLB purging across CPUs, vmap, ioremap and the error paths.
 */
#include <kernel/ktest.h>
#include <kernel/vmalloc.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/smp.h>
#include <kernel/irq.h>
#include <kernel/io.h>
#include <kernel/fdt.h>
#include <kernel/setup.h>
#include <kernel/uaccess.h>
#include <kernel/string.h>
#include <kernel/errno.h>

static bool readable(const void *addr)
{
	char c;

	return copy_from_kernel_nofault(&c, addr, 1) == 0;
}

static void test_vmalloc_maps_scattered_pages(struct ktest *t)
{
	unsigned long used = vmalloc_used_pages();
	u64 size = 3 * PAGE_SIZE + 100;
	u8 *p = vmalloc(size);

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p));
	KTEST_EXPECT_EQ(t, vmalloc_used_pages() - used, 4);
	for (u64 i = 0; i < size; i++)
		p[i] = (u8)(i * 7);
	bool same = true;
	for (u64 i = 0; i < size; i++)
		same &= p[i] == (u8)(i * 7);
	KTEST_EXPECT_TRUE(t, same);
	/* each page is a real frame, visible through the direct map too */
	u64 pfn = vmalloc_to_pfn(p + PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, pfn != 0);
	KTEST_EXPECT_EQ(t, *(u8 *)__va(pfn << PAGE_SHIFT), (u8)(PAGE_SIZE * 7));
	KTEST_EXPECT_EQ(t, vmalloc_to_pfn((void *)start_kernel), 0);
	vfree(p);
	KTEST_EXPECT_EQ(t, vmalloc_used_pages(), used);
}

static void test_guard_page_faults(struct ktest *t)
{
	u8 *p = vmalloc(2 * PAGE_SIZE);

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, readable(p + 2 * PAGE_SIZE - 1));
	KTEST_EXPECT_FALSE(t, readable(p + 2 * PAGE_SIZE)); /* the guard page */
	vfree(p);
}

static void test_vzalloc_is_zeroed(struct ktest *t)
{
	u8 *p = vzalloc(5 * PAGE_SIZE);
	bool zero = true;

	KTEST_ASSERT_TRUE(t, p != NULL);
	for (u64 i = 0; i < 5 * PAGE_SIZE; i++)
		zero &= p[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	vfree(p);
}

/* with no two physically adjacent pages free, vmalloc still succeeds */
static void test_large_from_fragmented_memory(struct ktest *t)
{
	unsigned long before = nr_free_pages(), head = 0, keep = 0, n = 0;

	/* every free page, the reserve below the watermarks too (__GFP_MEMALLOC),
	 * with other CPUs' cached pages given back first */
	drain_all_pages(NULL);
	for (;;) {
		unsigned long p = __get_free_page(GFP_KERNEL | __GFP_NOWARN | __GFP_MEMALLOC);
		if (!p)
			break;
		*(unsigned long *)p = head;
		head = p;
		n++;
	}
	/* free every other page (by address parity): holes of one page */
	while (head) {
		unsigned long next = *(unsigned long *)head;
		if ((__pa(head) >> PAGE_SHIFT) & 1) {
			free_page(head);
		} else {
			*(unsigned long *)head = keep;
			keep = head;
		}
		head = next;
	}
	KTEST_EXPECT_EQ(t, __get_free_pages(GFP_KERNEL | __GFP_NOWARN, 1), 0);
	u8 *v = vmalloc(64 * PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, v != NULL);
	if (v) {
		memset(v, 0xab, 64 * PAGE_SIZE);
		KTEST_EXPECT_NE(t, vmalloc_to_pfn(v) + 1, vmalloc_to_pfn(v + PAGE_SIZE));
		vfree(v);
	}
	while (keep) {
		unsigned long next = *(unsigned long *)keep;
		free_page(keep);
		keep = next;
	}
	vm_unmap_aliases();
	KTEST_EXPECT_TRUE(t, n > 0);
	/* node pool pages may have been taken meanwhile: allow a few */
	KTEST_EXPECT_TRUE(t, before - nr_free_pages() < 4);
}

static void test_vmap_does_not_free_pages(struct ktest *t)
{
	unsigned long pages[3];
	u64 pfns[3];

	for (int i = 0; i < 3; i++) {
		pages[i] = get_zeroed_page(GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, pages[i] != 0);
		pfns[i] = __pa(pages[i]) >> PAGE_SHIFT;
	}
	u8 *v = vmap(pfns, 3, 0);
	KTEST_ASSERT_TRUE(t, v != NULL);
	v[2 * PAGE_SIZE + 5] = 42;
	KTEST_EXPECT_EQ(t, ((u8 *)pages[2])[5], 42);
	KTEST_EXPECT_EQ(t, vmalloc_to_pfn(v + PAGE_SIZE), pfns[1]);
	vunmap(v);
	KTEST_EXPECT_EQ(t, ((u8 *)pages[2])[5], 42); /* still ours: not freed */
	for (int i = 0; i < 3; i++)
		free_page(pages[i]);
}

static void test_ioremap_device(struct ktest *t)
{
	int node = fdt_find_compatible(boot_dtb, "virtio,mmio", -1);
	u64 base, size;

	if (node < 0 || fdt_read_reg(boot_dtb, node, 0, &base, &size) < 0) {
		ktest_skip(t, "no virtio-mmio device in the device tree");
		return;
	}
	volatile u8 *regs = ioremap(base, size);
	KTEST_ASSERT_TRUE(t, regs != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr((void *)regs));
	KTEST_EXPECT_EQ(t, readl(regs), 0x74726976); /* "virt" */
	iounmap((void *)regs);
	vm_unmap_aliases();
	KTEST_EXPECT_FALSE(t, readable((void *)regs));
}

static void test_bad_requests(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, vmalloc(0) == NULL);
	KTEST_EXPECT_TRUE(t, vmalloc(VMALLOC_END - VMALLOC_START + PAGE_SIZE) == NULL);
	/* freeing what vmalloc did not return: reported, nothing breaks */
	vfree(NULL);
	vfree((void *)&boot_info);
	u8 *p = vmalloc(2 * PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, p != NULL);
	unsigned long used = vmalloc_used_pages();
	vfree(p + PAGE_SIZE); /* inside, not the start: refused */
	KTEST_EXPECT_EQ(t, vmalloc_used_pages(), used);
	vfree(p);
	KTEST_EXPECT_EQ(t, vmalloc_used_pages(), used - 2);
	vfree(p); /* double free: caught, counters untouched */
	KTEST_EXPECT_EQ(t, vmalloc_used_pages(), used - 2);
	vm_unmap_aliases();
	u8 *q = vmalloc(PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, q != NULL);
	vfree(q);
}

static void test_freed_addresses_wait_for_purge(struct ktest *t)
{
	vm_unmap_aliases();
	void *a = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, a != NULL);
	vfree(a);
	void *b = vmalloc(PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, b != a); /* not reused while TLBs may hold it */
	vfree(b);
	vm_unmap_aliases();
	void *c = vmalloc(PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, c == a); /* lowest fit again after the purge */
	vfree(c);
}

struct probe {
	const void *addr;
	long result;
	u32 value;
	bool in_irq;
};

static void probe_on_cpu(void *arg)
{
	struct probe *pr = arg;

	pr->in_irq = in_interrupt();
	pr->result = copy_from_kernel_nofault(&pr->value, pr->addr, sizeof(pr->value));
}

static int other_cpu(void)
{
	for (int i = 0; i < NCPU; i++)
		if (cpus[i].online && i != cpuid())
			return i;
	return -1;
}

/* A CPU that read a vmalloc area must not keep using a stale translation
 * after vfree + purge: the purge's TLB flush has to reach every CPU. */
static void test_purge_flushes_other_cpus(struct ktest *t)
{
	int other = other_cpu();
	struct probe pr;

	if (other < 0) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	u32 *p = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, p != NULL);
	*p = 0x600dcafe;
	pr = (struct probe){.addr = p};
	KTEST_ASSERT_TRUE(t, smp_call_function_single(other, probe_on_cpu, &pr) == 0);
	KTEST_EXPECT_EQ(t, pr.result, 0);
	KTEST_EXPECT_EQ(t, pr.value, 0x600dcafe);
	KTEST_EXPECT_TRUE(t, pr.in_irq);
	vfree(p);
	vm_unmap_aliases();
	pr = (struct probe){.addr = p};
	KTEST_ASSERT_TRUE(t, smp_call_function_single(other, probe_on_cpu, &pr) == 0);
	KTEST_EXPECT_EQ(t, pr.result, -EFAULT); /* no stale mapping left on the other CPU */
}

static void vfree_in_irq(void *arg)
{
	vfree(arg);
}

static void test_vfree_from_interrupt_is_deferred(struct ktest *t)
{
	int other = other_cpu();
	unsigned long used = vmalloc_used_pages();

	if (other < 0) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	void *p = vmalloc(3 * PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_ASSERT_TRUE(t, smp_call_function_single(other, vfree_in_irq, p) == 0);
	/* still mapped: the interrupt only queued it */
	KTEST_EXPECT_EQ(t, vmalloc_used_pages(), used + 3);
	void *q = vmalloc(PAGE_SIZE); /* process context drains the queue */
	KTEST_EXPECT_EQ(t, vmalloc_used_pages(), used + 1);
	vfree(q);
}

static void test_kernel_stack_in_vmalloc(struct ktest *t)
{
	struct proc *p = myproc();

	KTEST_EXPECT_TRUE(t, is_vmalloc_addr((void *)p->kstack));
	KTEST_EXPECT_TRUE(t, readable((void *)p->kstack));
	KTEST_EXPECT_FALSE(t, readable((void *)(p->kstack - 8))); /* guard below */
	KTEST_EXPECT_EQ(t, p->kstack % KSTACK_SLOT, KSTACK_SIZE);
}

static void test_vmallocinfo(struct ktest *t)
{
	static char buf[4096];
	void *p = vmalloc(PAGE_SIZE);
	int n = vmallocinfo_show(buf, sizeof(buf));

	KTEST_EXPECT_TRUE(t, n > 0);
	buf[MIN(n, (int)sizeof(buf) - 1)] = 0;
	KTEST_EXPECT_TRUE(t, strchr(buf, '\n') != NULL);
	char want[32];
	snprintf(want, sizeof(want), "0x%016llx-", (u64)p);
	bool found = false;
	for (char *line = buf; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		found |= strncmp(line, want, strlen(want)) == 0;
	KTEST_EXPECT_TRUE(t, found);
	vfree(p);
}

static struct ktest_case vmalloc_cases[] = {
    KTEST_CASE(test_vmalloc_maps_scattered_pages),
    KTEST_CASE(test_guard_page_faults),
    KTEST_CASE(test_vzalloc_is_zeroed),
    KTEST_CASE(test_large_from_fragmented_memory),
    KTEST_CASE(test_vmap_does_not_free_pages),
    KTEST_CASE(test_ioremap_device),
    KTEST_CASE(test_bad_requests),
    KTEST_CASE(test_freed_addresses_wait_for_purge),
    KTEST_CASE(test_purge_flushes_other_cpus),
    KTEST_CASE(test_vfree_from_interrupt_is_deferred),
    KTEST_CASE(test_kernel_stack_in_vmalloc),
    KTEST_CASE(test_vmallocinfo),
    {},
};
KTEST_SUITE(vmalloc, vmalloc_cases);

/*
 * Suite "bench_vmalloc": not a correctness test but a measurement (so not in
 * `ktest=all`), run by `make bench` (tools/bench-kernel.py) under QEMU with
 * -icount shift=0, where one guest instruction takes exactly 1 ns of virtual
 * time, so the counter's ticks convert to instructions (resolution: 1e9 /
 * counter frequency).
 */
static void bench_vmalloc_1m(struct ktest *t)
{
	enum { ROUNDS = 20 };
	u64 best = ~0ULL;

	for (int r = 0; r < ROUNDS; r++) {
		u64 t0 = arch_counter_read();
		void *p = vmalloc(1 << 20);
		vfree(p);
		u64 dt = arch_counter_read() - t0;
		KTEST_ASSERT_TRUE(t, p != NULL);
		best = MIN(best, dt);
	}
	printk("    # bench: vmalloc(1 MiB)+vfree: %llu instructions (min of %d, +-%llu)\n",
	       best * 1000000000ULL / arch_timer_freq, ROUNDS, 1000000000ULL / arch_timer_freq);
}

static struct ktest_case bench_vmalloc_cases[] = {
    KTEST_CASE(bench_vmalloc_1m),
    {},
};
KTEST_SUITE_EXPLICIT(bench_vmalloc, bench_vmalloc_cases);

/* kvmalloc takes physically contiguous pages when it can, vmalloc when not */
static void test_kvmalloc_paths(struct ktest *t)
{
	u8 *small = kvmalloc(100, GFP_KERNEL);
	u8 *big = kvzalloc(8 * PAGE_SIZE, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, small && big);
	KTEST_EXPECT_FALSE(t, is_vmalloc_addr(small));
	KTEST_EXPECT_FALSE(t, is_vmalloc_addr(big)); /* memory is not fragmented yet */
	KTEST_EXPECT_EQ(t, big[8 * PAGE_SIZE - 1], 0);
	kvfree(small);
	kvfree(big);
	/* larger than the biggest buddy block: only vmalloc can do it */
	u8 *huge = kvmalloc(2 * (PAGE_SIZE << MAX_PAGE_ORDER), GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, huge != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(huge));
	huge[0] = 1;
	KTEST_EXPECT_TRUE(t, vmalloc_to_page(huge) == pfn_to_page(vmalloc_to_pfn(huge)));
	kvfree(huge);
	kvfree(NULL);
}

static struct ktest_case kvmalloc_cases[] = {
    KTEST_CASE(test_kvmalloc_paths),
    {},
};
KTEST_SUITE(kvmalloc, kvmalloc_cases);
