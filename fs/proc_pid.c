/*
 * fs/proc_pid.c - the files of /proc/PID/, in Linux's formats, so that ps,
 * top and pmap (Linux's procps, or Pagoda's own) can read them:
 *
 *   stat     one line of 52 fields: pid, (name), state, ppid, ... times,
 *            sizes, addresses (proc_pid_stat(5) lists them)
 *   status   the same and more as "Name:\tvalue" lines
 *   statm    seven sizes in pages: size resident shared text lib data dt
 *   cmdline  the arguments, each ending in a NUL, read from the
 *            process's own memory (empty for kernel threads and zombies)
 *   comm     the name, and a newline
 *   maps     the VMAs (mm/mmap.c); smaps: the same with sizes per VMA
 *
 * A process's fields are copied under its locks first (proc_get_info), so
 * one file shows one moment; its memory is counted by mm/task_mmu.c.
 *
 * Where Linux has a concept Pagoda lacks, the field shows what Linux shows
 * for a process without it: no process groups or sessions (pgrp, session
 * 0), no controlling terminal (tty_nr 0, tpgid -1), no signals (masks 0,
 * exit_signal 0), no nice levels (priority 20, nice 0), one thread each,
 * every process runs as root (uid and gid 0: Pagoda has no users).
 * Lines of status whose concept is missing (Umask, Sig*, Cap*, Cpus_*)
 * are left out rather than faked.
 *
 * State letters: R running or runnable, S sleeping, D sleeping for the
 * disk (bio's io_schedule_begin/end), Z zombie (exited, not yet waited
 * for). A process still being forked (USED) shows as S.
 *
 * See: Linux fs/proc/array.c and fs/proc/base.c; proc_pid_stat(5),
 * proc_pid_status(5), proc_pid_statm(5); fs/procfs.c (lookup, listing).
 */
#include <kernel/types.h>
#include <kernel/cputime.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/seq_buf.h>
#include <kernel/string.h>
#include <uapi/pagoda/procfs.h>
#include "internal.h"

#define PF_KTHREAD 0x00200000 /* Linux's flag for a kernel thread (stat field 9) */
#define RLIM_INFINITY (~0ULL)

static const struct {
	const char *name;
	int kind;
} pid_files[] = {
    {"cmdline", PROC_PID_CMDLINE}, {"comm", PROC_PID_COMM}, {"maps", PROC_PID_MAPS},
    {"smaps", PROC_PID_SMAPS},	   {"stat", PROC_PID_STAT}, {"statm", PROC_PID_STATM},
    {"status", PROC_PID_STATUS},
};

int proc_pid_file_kind(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(pid_files); i++)
		if (strcmp(pid_files[i].name, name) == 0)
			return pid_files[i].kind;
	return 0;
}

const char *proc_pid_file_name(int index)
{
	if (index < 0 || index >= (int)ARRAY_SIZE(pid_files))
		return NULL;
	return pid_files[index].name;
}

static char state_char(const struct proc_info *p)
{
	switch (p->state) {
	case RUNNABLE:
	case RUNNING:
		return 'R';
	case SLEEPING:
		return p->in_iowait ? 'D' : 'S';
	case ZOMBIE:
		return 'Z';
	default:
		return 'S'; /* USED: its fork is still copying it */
	}
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R':
		return "running";
	case 'D':
		return "disk sleep";
	case 'Z':
		return "zombie";
	default:
		return "sleeping";
	}
}

/* /proc/PID/stat: the fields in proc_pid_stat(5)'s order, numbered. */
static void show_stat_line(struct seq_buf *m, const struct proc_info *p,
			   const struct task_mem_info *t)
{
	struct mm_struct *mm = p->mm;
	u64 vsize = t->total_vm * PAGE_SIZE, rss = t->rss_anon + t->rss_file;
	int exit_code = p->state == ZOMBIE ? (p->xstate & 0xff) << 8 : 0;

	/* (1) pid (2) comm (3) state (4) ppid (5) pgrp (6) session (7) tty_nr (8) tpgid (9) flags */
	seq_buf_printf(m, "%d (%s) %c %d 0 0 0 -1 %u ", p->pid, p->name, state_char(p), p->ppid,
		       p->kthread ? PF_KTHREAD : 0);
	/* (10) minflt (11) cminflt (12) majflt (13) cmajflt */
	seq_buf_printf(m, "%llu %llu %llu %llu ", p->min_flt, p->cmin_flt, p->maj_flt, p->cmaj_flt);
	/* (14) utime (15) stime (16) cutime (17) cstime, in clock ticks */
	seq_buf_printf(m, "%llu %llu %llu %llu ", jiffies_to_clock_t(p->utime),
		       jiffies_to_clock_t(p->stime), jiffies_to_clock_t(p->cutime),
		       jiffies_to_clock_t(p->cstime));
	/* (18) priority (19) nice (20) num_threads (21) itrealvalue (22) starttime */
	seq_buf_printf(m, "20 0 1 0 %llu ", jiffies_to_clock_t(p->start_time));
	/* (23) vsize in bytes (24) rss in pages (25) rsslim */
	seq_buf_printf(m, "%llu %llu %llu ", vsize, rss, RLIM_INFINITY);
	/* (26) startcode (27) endcode (28) startstack (29) kstkesp (30) kstkeip */
	seq_buf_printf(m, "%llu %llu %llu 0 0 ", mm ? mm->start_code : 0, mm ? mm->end_code : 0,
		       mm ? mm->arg_start : 0);
	/* (31) signal (32) blocked (33) sigignore (34) sigcatch (35) wchan
	 * (36) nswap (37) cnswap (38) exit_signal (39) processor (40) rt_priority
	 * (41) policy (42) delayacct_blkio_ticks (43) guest_time (44) cguest_time */
	seq_buf_printf(m, "0 0 0 0 0 0 0 0 %d 0 0 0 0 0 ", p->cpu);
	/* (45) start_data (46) end_data (47) start_brk (48) arg_start (49) arg_end
	 * (50) env_start (51) env_end: Pagoda passes no environment */
	if (mm)
		seq_buf_printf(m, "%llu %llu %llu %llu %llu %llu %llu ", mm->start_data,
			       mm->end_data, mm->start_brk, mm->arg_start, mm->arg_end, mm->arg_end,
			       mm->arg_end);
	else
		seq_buf_printf(m, "0 0 0 0 0 0 0 ");
	/* (52) exit_code, as wait() would report it */
	seq_buf_printf(m, "%d\n", exit_code);
}

static void show_vm_kb(struct seq_buf *m, const char *name, u64 pages)
{
	seq_buf_printf(m, "%s\t%8llu kB\n", name, pages * (PAGE_SIZE >> 10));
}

/* /proc/PID/status: Linux's lines, in its order, for what Pagoda has. */
static void show_status(struct seq_buf *m, const struct proc_info *p, const struct task_mem_info *t)
{
	char c = state_char(p);

	seq_buf_printf(m, "Name:\t%s\n", p->name);
	seq_buf_printf(m, "State:\t%c (%s)\n", c, state_name(c));
	seq_buf_printf(m, "Tgid:\t%d\n", p->pid);
	seq_buf_printf(m, "Pid:\t%d\n", p->pid);
	seq_buf_printf(m, "PPid:\t%d\n", p->ppid);
	seq_buf_printf(m, "TracerPid:\t0\n");
	seq_buf_printf(m, "Uid:\t0\t0\t0\t0\n");
	seq_buf_printf(m, "Gid:\t0\t0\t0\t0\n");
	seq_buf_printf(m, "FDSize:\t%d\n", NOFILE);
	seq_buf_printf(m, "Groups:\t\n");
	seq_buf_printf(m, "Kthread:\t%d\n", p->kthread ? 1 : 0);
	if (p->mm) {
		show_vm_kb(m, "VmPeak:", t->hiwater_vm);
		show_vm_kb(m, "VmSize:", t->total_vm);
		show_vm_kb(m, "VmLck:", 0);
		show_vm_kb(m, "VmPin:", 0);
		show_vm_kb(m, "VmHWM:", t->hiwater_rss);
		show_vm_kb(m, "VmRSS:", t->rss_anon + t->rss_file);
		show_vm_kb(m, "RssAnon:", t->rss_anon);
		show_vm_kb(m, "RssFile:", t->rss_file);
		show_vm_kb(m, "RssShmem:", 0);
		show_vm_kb(m, "VmData:", t->data);
		show_vm_kb(m, "VmStk:", t->stack);
		show_vm_kb(m, "VmExe:", t->exec);
		show_vm_kb(m, "VmLib:", 0);
		show_vm_kb(m, "VmPTE:", t->pte_pages);
		show_vm_kb(m, "VmSwap:", 0);
	}
	seq_buf_printf(m, "Threads:\t1\n");
	seq_buf_printf(m, "voluntary_ctxt_switches:\t%llu\n", p->nvcsw);
	seq_buf_printf(m, "nonvoluntary_ctxt_switches:\t%llu\n", p->nivcsw);
}

/* /proc/PID/statm: size resident shared text lib data dt, in pages. */
static void show_statm(struct seq_buf *m, const struct task_mem_info *t)
{
	seq_buf_printf(m, "%llu %llu %llu %llu 0 %llu 0\n", t->total_vm, t->rss_anon + t->rss_file,
		       t->rss_file, t->exec, t->data + t->stack);
}

/* /proc/PID/cmdline: the bytes [arg_start, arg_end) of the process's memory. */
static void show_cmdline(struct seq_buf *m, struct mm_struct *mm)
{
	u64 len = mm->arg_end - mm->arg_start;
	int room = (int)(m->size - m->len - 1);

	if (mm->arg_end <= mm->arg_start || room <= 0)
		return;
	m->len += (size_t)access_remote_vm(mm, mm->arg_start, m->buffer + m->len,
					   (int)MIN(len, (u64)room));
	m->buffer[m->len] = '\0';
}

void proc_pid_show(struct seq_buf *m, int pid, int kind)
{
	struct proc_info p;
	struct task_mem_info t;
	bool need_mm = kind != PROC_PID_COMM;

	if (!proc_get_info(pid, &p, need_mm))
		return; /* gone meanwhile: an empty file */
	memset(&t, 0, sizeof(t));
	if (p.mm && kind != PROC_PID_MAPS && kind != PROC_PID_SMAPS && kind != PROC_PID_CMDLINE)
		task_mem(p.mm, &t);
	switch (kind) {
	case PROC_PID_STAT:
		show_stat_line(m, &p, &t);
		break;
	case PROC_PID_STATUS:
		show_status(m, &p, &t);
		break;
	case PROC_PID_STATM:
		show_statm(m, &t);
		break;
	case PROC_PID_CMDLINE:
		if (p.mm)
			show_cmdline(m, p.mm);
		break;
	case PROC_PID_COMM:
		seq_buf_printf(m, "%s\n", p.name);
		break;
	case PROC_PID_MAPS:
	case PROC_PID_SMAPS:
		if (p.mm)
			show_map_vmas(m, p.mm, p.name, kind == PROC_PID_SMAPS);
		break;
	}
	if (p.mm)
		mmput(p.mm);
}
