/*
 * kernel/rtc.h - the wall clock: a real-time clock device read once at boot
 * (kernel/drivers/rtc.c), so that the kernel knows when it booted.
 */
#ifndef _KERNEL_RTC_H
#define _KERNEL_RTC_H

#include <kernel/types.h>

/**
 * rtc_init - find the board's real-time clock in the device tree, read it
 * and log the date. Without one, getboottime() stays 0.
 * Context: boot, after ioremap works; once.
 */
void rtc_init(void);

/**
 * getboottime - when the kernel booted, in seconds since 1970-01-01 UTC
 * (/proc/stat's btime). Context: any. Return: the time, or 0 if unknown.
 */
u64 getboottime(void);

/**
 * time64_to_tm - split @t (seconds since 1970-01-01 UTC) into a date.
 * Context: any.
 */
void time64_to_tm(u64 t, int *year, int *mon, int *mday, int *hour, int *min, int *sec);

#endif /* _KERNEL_RTC_H */
