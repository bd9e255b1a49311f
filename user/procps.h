/*
 * user/procps.h - reading /proc for ps, top and vmstat: the list of
 * processes, /proc/PID/stat, and "Name: value" and "name value" files
 * (meminfo, vmstat, /proc/stat).
 *
 * Every file is read whole with large read()s: the kernel regenerates a
 * /proc file on each read(), so one read gives one consistent picture.
 * The formats are Linux's (proc(5)); the parser uses only what Pagoda
 * fills in.
 *
 * Header-only (static inline): only the programs that include it carry it.
 * They need "kernel/types.h", "kernel/fcntl.h" and "user/user.h" first.
 */
#ifndef _USER_PROCPS_H
#define _USER_PROCPS_H

#include "kernel/fs.h"
#include "kernel/stat.h"

#define PROCPS_MAXPROCS 128 /* processes listed at most (NPROC is lower) */
#define HZ_USER 100	    /* the "clock ticks" of /proc's times (USER_HZ) */
#define PAGE_KB 4	    /* KiB per page (stat's rss counts pages) */

/* Read all of @path into @buf (NUL-terminated). Return: its length, or -1. */
static inline int procps_read(const char *path, char *buf, int size)
{
	int fd = open(path, O_RDONLY), len = 0;

	if (fd < 0)
		return -1;
	while (len < size - 1) {
		int r = read(fd, buf + len, size - 1 - len);
		if (r <= 0)
			break;
		len += r;
	}
	close(fd);
	buf[len] = 0;
	return len;
}

/* Parse a decimal number at *@pp (skipping blanks first); advance past it. */
static inline long procps_num(const char **pp)
{
	const char *p = *pp;
	long v = 0, sign = 1;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-') {
		sign = -1;
		p++;
	}
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	*pp = p;
	return sign * v;
}

/*
 * The number after "@name" at the start of a line of @text: "MemFree:" in
 * meminfo ("MemFree:   12 kB"), "pgpgin" in vmstat, "ctxt" in /proc/stat.
 * Return: the value, or -1 if no line starts with @name followed by a blank.
 */
static inline long procps_field(const char *text, const char *name)
{
	uint len = strlen(name);

	for (const char *line = text; *line;) {
		if (strncmp(line, name, len) == 0 && (line[len] == ' ' || line[len] == '\t')) {
			const char *p = line + len;
			return procps_num(&p);
		}
		while (*line && *line != '\n')
			line++;
		if (*line)
			line++;
	}
	return -1;
}

/* The PIDs listed in /proc, ascending, into @pids (at most @max). Return: how many, or -1. */
static inline int procps_pids(int *pids, int max)
{
	struct dirent de;
	int fd = open("/proc", O_RDONLY), n = 0;

	if (fd < 0)
		return -1;
	while (n < max && read(fd, &de, sizeof(de)) == sizeof(de)) {
		int pid = 0, ok = de.inum != 0 && de.name[0] >= '1' && de.name[0] <= '9';
		for (int i = 0; ok && i < DIRSIZ && de.name[i]; i++) {
			if (de.name[i] < '0' || de.name[i] > '9')
				ok = 0;
			else
				pid = pid * 10 + (de.name[i] - '0');
		}
		if (ok)
			pids[n++] = pid;
	}
	close(fd);
	return n;
}

/* What ps and top use of /proc/PID/stat (and cmdline). */
struct procps_stat {
	int pid, ppid;
	char comm[17];
	char state;
	uint64 utime, stime; /* clock ticks */
	uint64 starttime;    /* clock ticks after boot */
	uint64 vsize;	     /* bytes */
	uint64 rss;	     /* pages */
	int processor;
	unsigned long flags;
	char cmd[64]; /* cmdline, words joined by blanks; "" if empty */
};

/*
 * Read /proc/@pid/stat and cmdline into @s. The name sits in parentheses
 * and may itself contain blanks or ')', so the fields start after the
 * last ')'. Return: 0, or -1 if the process is gone.
 */
static inline int procps_read_stat(int pid, struct procps_stat *s)
{
	char path[32], buf[512];
	const char *p, *close_paren = 0;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (procps_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	memset(s, 0, sizeof(*s));
	p = buf;
	s->pid = (int)procps_num(&p);
	for (const char *q = buf; *q; q++)
		if (*q == ')')
			close_paren = q;
	if (!close_paren || !(p = strchr(buf, '(')))
		return -1;
	n = (int)(close_paren - p - 1);
	if (n > 16)
		n = 16;
	memmove(s->comm, p + 1, n);
	s->comm[n] = 0;
	p = close_paren + 1;
	while (*p == ' ')
		p++;
	s->state = *p++;
	/* fields 4.. in order; keep the ones we use */
	for (int field = 4; field <= 39 && *p; field++) {
		long v = procps_num(&p);
		switch (field) {
		case 4:
			s->ppid = (int)v;
			break;
		case 9:
			s->flags = (unsigned long)v;
			break;
		case 14:
			s->utime = (uint64)v;
			break;
		case 15:
			s->stime = (uint64)v;
			break;
		case 22:
			s->starttime = (uint64)v;
			break;
		case 23:
			s->vsize = (uint64)v;
			break;
		case 24:
			s->rss = (uint64)v;
			break;
		case 39:
			s->processor = (int)v;
			break;
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = procps_read(path, buf, sizeof(buf));
	if (n > 0) {
		while (n > 0 && buf[n - 1] == 0)
			n--; /* the last argument's NUL */
		for (int i = 0; i < n; i++)
			if (buf[i] == 0)
				buf[i] = ' ';
		buf[n] = 0;
		snprintf(s->cmd, sizeof(s->cmd), "%s", buf);
	}
	return 0;
}

/* Seconds since boot (from /proc/uptime, in hundredths). Return: -1 if unreadable. */
static inline long procps_uptime_centis(void)
{
	char buf[64];
	const char *p = buf;
	long sec, frac;

	if (procps_read("/proc/uptime", buf, sizeof(buf)) <= 0)
		return -1;
	sec = procps_num(&p);
	if (*p != '.')
		return sec * 100;
	p++;
	frac = procps_num(&p);
	return sec * 100 + frac;
}

/* The "cpu " line of /proc/stat: user nice system idle iowait ... (clock ticks). */
struct procps_cpu {
	uint64 user, nice, system, idle, iowait, irq, softirq, steal;
};

static inline void procps_cpu_line(const char *stat_text, struct procps_cpu *c)
{
	const char *p = stat_text;

	memset(c, 0, sizeof(*c));
	if (strncmp(p, "cpu ", 4) != 0)
		return;
	p += 4;
	c->user = (uint64)procps_num(&p);
	c->nice = (uint64)procps_num(&p);
	c->system = (uint64)procps_num(&p);
	c->idle = (uint64)procps_num(&p);
	c->iowait = (uint64)procps_num(&p);
	c->irq = (uint64)procps_num(&p);
	c->softirq = (uint64)procps_num(&p);
	c->steal = (uint64)procps_num(&p);
}

static inline uint64 procps_cpu_total(const struct procps_cpu *c)
{
	return c->user + c->nice + c->system + c->idle + c->iowait + c->irq + c->softirq + c->steal;
}

/* Print @ticks (clock ticks) as ps does: [[DD-]HH:]MM:SS, or M:SS.hh with @hundredths. */
static inline void procps_fmt_time(char *buf, int size, uint64 ticks, int hundredths)
{
	uint64 s = ticks / HZ_USER;

	if (hundredths)
		snprintf(buf, size, "%lu:%02lu.%02lu", s / 60, s % 60, ticks % HZ_USER);
	else
		snprintf(buf, size, "%02lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
}

#endif /* _USER_PROCPS_H */
