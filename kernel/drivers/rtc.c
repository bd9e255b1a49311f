/*
 * kernel/drivers/rtc.c - the real-time clock of QEMU's virt boards, read
 * once at boot to learn the date (Pagoda keeps time in ticks after that).
 *
 * Two devices, found by their device-tree "compatible" string, whichever
 * the board has (the riscv virt board has the first, the arm64 one the
 * second; QEMU starts both at the host's time, in UTC):
 *
 *   google,goldfish-rtc  64-bit nanoseconds since 1970 in two 32-bit
 *                        registers, TIME_LOW (+0x00) and TIME_HIGH (+0x04).
 *                        Reading TIME_LOW latches TIME_HIGH, so read LOW
 *                        first: the pair is then one consistent value.
 *   arm,pl031            ARM PrimeCell RTC: RTCDR (+0x00), a 32-bit count
 *                        of seconds.
 *
 * The boot time is then (clock at rtc_init) - (uptime at rtc_init), which
 * /proc/stat prints as btime; ps adds a process's start time to it for
 * its STIME column.
 *
 * Device knowledge stays here, in a driver: kernel/ and fs/ ask
 * getboottime() only.
 *
 * See: QEMU hw/rtc/goldfish_rtc.c and the PL031 Technical Reference
 * Manual (register map); proc(5) (btime).
 */
#include <kernel/types.h>
#include <kernel/io.h>
#include <kernel/fdt.h>
#include <kernel/setup.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/rtc.h>

#define GOLDFISH_TIME_LOW 0x00
#define GOLDFISH_TIME_HIGH 0x04
#define PL031_DR 0x00

static u64 boot_time; /* seconds since 1970; written once at boot */

u64 getboottime(void)
{
	return READ_ONCE(boot_time);
}

/* Map the first "reg" range of the first node compatible with @compat. */
static void *map_rtc(const char *compat, u64 *pa)
{
	u64 size;
	int node = fdt_find_compatible(boot_dtb, compat, -1);

	if (node < 0 || fdt_read_reg(boot_dtb, node, 0, pa, &size) < 0)
		return NULL;
	return ioremap(*pa, 0x1000);
}

/*
 * Days since 1970-01-01 to a civil date (proleptic Gregorian calendar).
 * Count in 400-year eras of 146097 days starting on a 1 March, so that
 * the leap day falls at the end of each year of the count.
 */
static void days_to_date(s64 days, int *year, int *mon, int *mday)
{
	s64 z = days + 719468; /* days from 0000-03-01 to 1970-01-01 */
	s64 era = (z >= 0 ? z : z - 146096) / 146097;
	s64 doe = z - era * 146097;					 /* [0, 146096] */
	s64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	s64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);		 /* [0, 365] */
	s64 mp = (5 * doy + 2) / 153; /* month from March: [0, 11] */

	*mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(yoe + era * 400 + (*mon <= 2 ? 1 : 0));
}

void time64_to_tm(u64 t, int *year, int *mon, int *mday, int *hour, int *min, int *sec)
{
	u64 rem = t % 86400;

	days_to_date((s64)(t / 86400), year, mon, mday);
	*hour = (int)(rem / 3600);
	*min = (int)(rem / 60 % 60);
	*sec = (int)(rem % 60);
}

void rtc_init(void)
{
	const char *name;
	u64 pa, now;
	void *regs;
	int y, mo, d, h, mi, s;

	if ((regs = map_rtc("google,goldfish-rtc", &pa)) != NULL) {
		u32 lo = readl((char *)regs + GOLDFISH_TIME_LOW); /* latches HIGH */
		u32 hi = readl((char *)regs + GOLDFISH_TIME_HIGH);
		now = (((u64)hi << 32) | lo) / 1000000000ULL;
		name = "goldfish-rtc";
	} else if ((regs = map_rtc("arm,pl031", &pa)) != NULL) {
		now = readl((char *)regs + PL031_DR);
		name = "pl031";
	} else {
		printk("rtc: no real-time clock in the device tree; boot time unknown\n");
		return;
	}
	iounmap(regs);
	WRITE_ONCE(boot_time, now - READ_ONCE(ticks) / HZ);
	time64_to_tm(now, &y, &mo, &d, &h, &mi, &s);
	printk("rtc: %s at 0x%llx: %04d-%02d-%02d %02d:%02d:%02d UTC\n", name, pa, y, mo, d, h, mi,
	       s);
}
