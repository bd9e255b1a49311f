/*
 * kernel/smpboot.c - bringing up the secondary CPUs, and what to do with a
 * CPU that turns up where it should not.
 *
 * The boot CPU starts the others one at a time (smp_init): it writes the
 * CPU's hardware id into cpu_start_hwid[cpu], asks the firmware to start it
 * (arch_start_cpu: SBI HSM hart_start on RISC-V, PSCI CPU_ON on ARM) and
 * waits until the CPU reports itself online. The new CPU's entry code
 * (arch/<arch>/head.S) does not trust the firmware to have passed it its
 * logical number: it looks its hardware id up in cpu_start_hwid[] and claims
 * the slot by swapping it to CPU_START_NONE (one atomic swap, so a CPU can
 * join only once, and a slot the boot CPU has given up on cannot be joined).
 *
 * The kernel's boot entry (_start) runs a lottery before it touches memory:
 * an atomic add on a word in .data that only the first CPU finds zero. Only
 * that CPU zeroes .bss and boots. A later arrival at _start never re-runs
 * boot; it takes the secondary path above. So a CPU that a racy firmware
 * sends to the boot entry instead of the secondary entry (OpenSBI 1.1; see
 * arch/riscv/head.S) still joins as the secondary it was meant to be, with a
 * one-line warning.
 *
 * A CPU that finds no slot to claim calls cpu_entry_stray():
 *   - it is the boot CPU, or a CPU already online, that jumped back into an
 *     entry: a kernel bug. Panic, saying so (running boot again would zero
 *     .bss under the CPUs still running);
 *   - it was never asked to start, or it arrived after the boot CPU stopped
 *     waiting for it: it is parked (a wfi loop in head.S, interrupts off) and
 *     counted; the line "smp: N CPUs online" says how many were parked.
 *
 * cpu_start_hwid[] is in .data, not .bss: a CPU may read it before .bss is
 * known to be zeroed. Each slot is written by the boot CPU (before the
 * start request, ordered by smp_mb()) and swapped to CPU_START_NONE by
 * exactly one party: the arriving CPU, or the boot CPU when it gives up.
 */
#include <kernel/smpboot.h>
#include <kernel/setup.h>
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/bootargs.h>
#include <kernel/string.h>

u64 cpu_start_hwid[NCPU] = {[0 ... NCPU - 1] = CPU_START_NONE};
bool boot_paging_ready;

#define OVERFLOW_STACK 4096
static u8 overflow_stacks[NCPU][OVERFLOW_STACK] __aligned(16);
static volatile bool secondaries_may_run;
static int cpus_parked;	     /* CPUs that arrived unasked (atomic add) */
static struct cpu stray_cpu; /* this_cpu() of a stray, under head.S's stray lock */
#define START_TIMEOUT_SEC 10 /* generous: the host may be heavily loaded */

void cpu_setup_stacks(struct cpu *c)
{
	c->overflow_sp = (u64)&overflow_stacks[c->id][OVERFLOW_STACK];
}

/* Wait up to START_TIMEOUT_SEC for @c to come online. */
static bool wait_online(struct cpu *c)
{
	u64 deadline = arch_counter_read() + START_TIMEOUT_SEC * arch_timer_freq;

	while (!READ_ONCE(c->online) && arch_counter_read() < deadline)
		cpu_relax();
	return READ_ONCE(c->online);
}

/*
 * Two tests of the entry code, chosen with crashtest= (kernel/crashtest.c):
 *   boot_entry  CPU1 is started at the kernel's boot entry, as a firmware
 *               with a start race does; it must join as CPU1 all the same;
 *   stray       the last CPU is started without a pending start, as a
 *               firmware starting a CPU unasked would; it must be parked.
 */
enum smp_test { SMP_TEST_NONE, SMP_TEST_BOOT_ENTRY, SMP_TEST_STRAY };

static enum smp_test smp_test(void)
{
	char what[32];

	if (bootarg_get(boot_command_line, "crashtest", what, sizeof(what)) <= 0)
		return SMP_TEST_NONE;
	if (strcmp(what, "boot_entry") == 0)
		return SMP_TEST_BOOT_ENTRY;
	if (strcmp(what, "stray") == 0)
		return SMP_TEST_STRAY;
	return SMP_TEST_NONE;
}

/* crashtest=stray: start @hw with no slot for it; wait until it is parked. */
static void start_stray(int cpu, u64 hw)
{
	u64 deadline = arch_counter_read() + START_TIMEOUT_SEC * arch_timer_freq;

	if (arch_start_cpu(cpu, hw, false) < 0)
		return;
	while (!__atomic_load_n(&cpus_parked, __ATOMIC_ACQUIRE) && arch_counter_read() < deadline)
		cpu_relax();
}

void smp_init(void)
{
	enum smp_test test = smp_test();
	bool at_boot_entry = test == SMP_TEST_BOOT_ENTRY;
	int next = 1, last = -1;

	/* the stray test's CPU: the last one that is not the boot CPU (the
	 * firmware may have booted any of them, the last one included) */
	for (int i = 0; i < boot_info.ncpus; i++)
		if (boot_info.cpu_ids[i] != cpus[0].hwid)
			last = i;
	for (int i = 0; i < boot_info.ncpus && next < NCPU; i++) {
		u64 hw = boot_info.cpu_ids[i];
		if (hw == cpus[0].hwid)
			continue;
		if (test == SMP_TEST_STRAY && i == last) {
			start_stray(next, hw);
			break;
		}
		struct cpu *c = &cpus[next];
		c->id = next;
		c->hwid = hw;
		cpu_setup_stacks(c);
		WRITE_ONCE(cpu_start_hwid[next], hw);
		smp_mb(); /* the slot before the start request */
		if (arch_start_cpu(next, hw, at_boot_entry) < 0) {
			WRITE_ONCE(cpu_start_hwid[next], CPU_START_NONE);
			printk("smp: CPU with id %llu did not start\n", hw);
			continue;
		}
		at_boot_entry = false;
		if (!wait_online(c)) {
			u64 old = __atomic_exchange_n(&cpu_start_hwid[next], CPU_START_NONE,
						      __ATOMIC_SEQ_CST);
			if (old == hw) {
				/* it never arrived; if it does, it finds no slot and parks */
				printk(
				    "smp: CPU%d (id %llu) did not arrive within %d s; giving up on it\n",
				    next, hw, START_TIMEOUT_SEC);
				continue; /* the logical number is free again */
			}
			/* it claimed its slot: it is on its way, give it more time */
			if (!wait_online(c)) {
				printk("smp: CPU%d (id %llu) failed to come online\n", next, hw);
				next++; /* it may still come: never reuse its stacks */
				continue;
			}
		}
		ncpus_online++;
		next++;
	}
	int parked = __atomic_load_n(&cpus_parked, __ATOMIC_RELAXED);
	if (parked)
		printk("smp: %d CPU%s online, %d parked (entered the kernel unasked)\n",
		       ncpus_online, ncpus_online > 1 ? "s" : "", parked);
	else
		printk("smp: %d CPU%s online\n", ncpus_online, ncpus_online > 1 ? "s" : "");
	secondaries_may_run = true;
}

void secondary_start_kernel(int cpu, bool via_boot_entry)
{
	struct cpu *c = &cpus[cpu];

	switch_mm(NULL);
	arch_cpu_init();
	if (via_boot_entry)
		printk("CPU%d (id %llu) entered the kernel at its boot entry, not at the "
		       "secondary entry it was started at (a firmware start race); "
		       "it joins as a secondary\n",
		       cpu, c->hwid);
	printk("CPU%d: online (id %llu)\n", cpu, c->hwid);
	WRITE_ONCE(c->online, true);
	while (!READ_ONCE(secondaries_may_run))
		cpu_relax();
	scheduler();
}

void cpu_entry_stray(u64 hwid, bool via_boot_entry)
{
	set_this_cpu(&stray_cpu);
	stray_cpu.id = NCPU; /* no logical number */
	stray_cpu.hwid = hwid;
	/* before paging_init the boot CPU itself runs on the early tables */
	if (READ_ONCE(boot_paging_ready))
		switch_mm(NULL);
	for (int i = 0; i < NCPU; i++) {
		struct cpu *c = &cpus[i];
		if (c->hwid != hwid || !(i == 0 || READ_ONCE(c->online)))
			continue;
		set_this_cpu(c);
		if (via_boot_entry)
			panic(
			    "CPU%d (id %llu) jumped back into the kernel's boot entry (_start): "
			    "refusing to boot again, which would zero .bss under the running CPUs",
			    i, hwid);
		panic("CPU%d (id %llu) entered the kernel's secondary entry while running: "
		      "refusing to start it twice",
		      i, hwid);
	}
	__atomic_fetch_add(&cpus_parked, 1, __ATOMIC_RELAXED);
	printk("smp: a CPU (id %llu) entered the kernel at its %s entry without a pending "
	       "start (never started, or too late); parked\n",
	       hwid, via_boot_entry ? "boot" : "secondary");
}
