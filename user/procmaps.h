/*
 * user/procmaps.h - reading a process's mappings from /proc/PID/smaps
 * for pmap, smem and their tests.
 *
 * /proc/PID/smaps has Linux's format: one header line per VMA, as in
 * /proc/PID/maps,
 *
 *   00010000-00012000 r-xp 00000000 00:00 0                          /cat
 *
 * (start-end, permissions rwx and s(hared)/p(rivate), file offset, device,
 * inode, name: a file, [heap], [stack], or nothing for anonymous memory),
 * followed by "Field:   N kB" lines: Size, Rss, Pss, Shared_Clean,
 * Shared_Dirty, Private_Clean, Private_Dirty, Anonymous, Swap, ...
 *
 * The file is read whole into one buffer (the kernel regenerates it on
 * every read(), so one large read gives one consistent picture), then split
 * into lines: a line that starts with a hex digit and a '-' begins a new
 * mapping; "Name:  N kB" lines fill its fields.
 *
 * Header-only (static inline): only the programs that include it carry it.
 * They need "kernel/types.h", "kernel/fcntl.h" and "user/user.h" first.
 */
#ifndef _USER_PROCMAPS_H
#define _USER_PROCMAPS_H

#define PROCMAPS_TEXT 32768 /* bytes of smaps text read at most */

struct procmap {
	uint64 start, end; /* [start, end) */
	uint64 offset;	   /* in the file, bytes */
	char perms[5];	   /* "r-xp" */
	char name[48];	   /* file, [heap], [stack], or "" */
	/* from smaps, in KiB (0 if the file has no such line) */
	uint64 size, rss, pss, shared_clean, shared_dirty, private_clean, private_dirty, anon, swap;
};

static inline int pm_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse hex digits at *@pp; advance past them. */
static inline uint64 pm_hex(char **pp)
{
	uint64 v = 0;
	char *p = *pp;

	while (pm_hexval(*p) >= 0)
		v = v * 16 + (uint64)pm_hexval(*p++);
	*pp = p;
	return v;
}

static inline char *pm_skip_spaces(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static inline char *pm_skip_word(char *p)
{
	while (*p && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	return p;
}

/* "start-end perms offset dev inode [name]" into @m. Return 0, or -1 if not such a line. */
static inline int pm_parse_header(char *line, struct procmap *m)
{
	char *p = line;

	if (pm_hexval(*p) < 0)
		return -1;
	memset(m, 0, sizeof(*m));
	m->start = pm_hex(&p);
	if (*p++ != '-')
		return -1;
	m->end = pm_hex(&p);
	p = pm_skip_spaces(p);
	for (int i = 0; i < 4 && *p && *p != ' '; i++)
		m->perms[i] = *p++;
	p = pm_skip_spaces(p);
	m->offset = pm_hex(&p);
	p = pm_skip_spaces(pm_skip_word(pm_skip_spaces(p))); /* dev */
	p = pm_skip_spaces(pm_skip_word(p));		     /* inode */
	int n = 0;
	while (*p && *p != '\n' && n < (int)sizeof(m->name) - 1)
		m->name[n++] = *p++;
	while (n > 0 && m->name[n - 1] == ' ')
		n--;
	m->name[n] = 0;
	return 0;
}

static inline void pm_parse_field(char *line, struct procmap *m)
{
	static const struct {
		const char *name;
		int off;
	} fields[] = {
	    {"Size:", (int)__builtin_offsetof(struct procmap, size)},
	    {"Rss:", (int)__builtin_offsetof(struct procmap, rss)},
	    {"Pss:", (int)__builtin_offsetof(struct procmap, pss)},
	    {"Shared_Clean:", (int)__builtin_offsetof(struct procmap, shared_clean)},
	    {"Shared_Dirty:", (int)__builtin_offsetof(struct procmap, shared_dirty)},
	    {"Private_Clean:", (int)__builtin_offsetof(struct procmap, private_clean)},
	    {"Private_Dirty:", (int)__builtin_offsetof(struct procmap, private_dirty)},
	    {"Anonymous:", (int)__builtin_offsetof(struct procmap, anon)},
	    {"Swap:", (int)__builtin_offsetof(struct procmap, swap)},
	};

	for (uint i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		uint len = strlen(fields[i].name);
		if (strncmp(line, fields[i].name, len) != 0)
			continue;
		char *p = pm_skip_spaces(line + len);
		uint64 v = 0;
		while (*p >= '0' && *p <= '9')
			v = v * 10 + (uint64)(*p++ - '0');
		*(uint64 *)((char *)m + fields[i].off) = v;
		return;
	}
}

/*
 * procmaps_read - the mappings of process @pid (0: the caller itself,
 * /proc/self) into @v (at most @max of them).
 * Return: how many, or -1 if /proc/PID/smaps cannot be read (no such process).
 */
static inline int procmaps_read(int pid, struct procmap *v, int max)
{
	static char *text; /* from the heap: a static array would enlarge every includer's bss */
	char path[32];
	int fd, len = 0, n = -1;

	if (!text && !(text = malloc(PROCMAPS_TEXT)))
		return -1;
	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/smaps");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while (len < (int)PROCMAPS_TEXT - 1) {
		int r = read(fd, text + len, PROCMAPS_TEXT - 1 - len);
		if (r <= 0)
			break;
		len += r;
	}
	close(fd);
	text[len] = 0;
	for (char *line = text; *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = 0;
		struct procmap m;
		if (pm_parse_header(line, &m) == 0) {
			if (n + 1 >= max)
				break;
			v[++n] = m;
		} else if (n >= 0) {
			pm_parse_field(line, &v[n]);
		}
		if (!end)
			break;
		line = end + 1;
	}
	return n + 1;
}

/* The process's name: the last path element of the first mapping that has a
 * file name (its program image), or "?", into @buf of @size bytes. */
static inline void procmaps_name(const struct procmap *v, int n, char *buf, int size)
{
	for (int i = 0; i < n; i++) {
		const char *s = v[i].name;
		if (s[0] == 0 || s[0] == '[')
			continue;
		const char *base = s;
		for (const char *p = s; *p; p++)
			if (*p == '/' && p[1])
				base = p + 1;
		snprintf(buf, size, "%s", base);
		return;
	}
	snprintf(buf, size, "?");
}

#endif /* _USER_PROCMAPS_H */
