/*
 * kernel/exec.c - replace a process's program with an ELF executable.
 *
 * exec builds the new address space completely before touching the old
 * one, so a bad file leaves the caller running with -1:
 *
 *   1. read and check the ELF header (magic, 64-bit, this architecture)
 *   2. map each PT_LOAD segment with the permissions its flags ask for
 *      (text R-X, data RW-) and copy the file's bytes in (bss stays zero)
 *   3. map the stack below USER_STACK_TOP and push the argument strings
 *      back to back, then the argv[] array, keeping sp 16-byte aligned:
 *
 *        USER_STACK_TOP +----------------+ <- mm->arg_end
 *                       | "arg0\0arg1\0" |
 *                       |                | <- mm->arg_start
 *                       | (align 16)     |
 *                       | NULL           |
 *                       | argv[1]  ------+--> "arg1"
 *              sp ----> | argv[0]  ------+--> "arg0"
 *                       +----------------+
 *
 *      [arg_start, arg_end) is what /proc/PID/cmdline shows (read from the
 *      process's memory, as in Linux, where the same layout holds).
 *
 *   4. switch the process to the new mm, free the old one, and set the user
 *      registers: pc = entry, sp, main(argc, argv).
 */
#include <kernel/proc.h>
#include <kernel/elf.h>
#include <kernel/mm.h>
#include <kernel/fs.h>
#include <kernel/file.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <uapi/pagoda/stat.h>

static int load_segment(struct mm_struct *mm, struct inode *ip, struct proghdr *ph)
{
	unsigned long flags = 0;
	int err;

	if (ph->memsz < ph->filesz || ph->vaddr + ph->memsz < ph->vaddr)
		return -ENOEXEC;
	if (ph->vaddr % PAGE_SIZE || ph->vaddr < PAGE_SIZE || ph->vaddr + ph->memsz > TASK_SIZE / 2)
		return -ENOEXEC;
	if (ph->filesz > 0xffffffffUL || ph->off > 0xffffffffUL)
		return -ENOEXEC;
	if (ph->flags & PF_R)
		flags |= VM_READ;
	if (ph->flags & PF_W)
		flags |= VM_WRITE;
	if (ph->flags & PF_X)
		flags |= VM_EXEC;
	/* a VMA per segment (text R-X, rodata R--, data RW-), filled at once:
	 * executables are read eagerly; anonymous memory is what faults lazily */
	if (!vma_map_range(mm, ph->vaddr, PAGE_ALIGN(ph->vaddr + ph->memsz),
			   flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC, NULL, 0))
		return -ENOEXEC; /* overlapping segments */
	err = mm_populate_range(mm, ph->vaddr, PAGE_ALIGN(ph->vaddr + ph->memsz), flags);
	if (err)
		return err;
	/* copy the file's bytes page by page through the direct map */
	for (u64 done = 0; done < ph->filesz; done += PAGE_SIZE) {
		u64 n = MIN(ph->filesz - done, PAGE_SIZE);
		if (killed(myproc()))
			return -EINTR; /* a kill need not wait for a big program */
		pte_t *pte = walk_pgtable(mm->pgd, ph->vaddr + done, false);
		if (!pte || !pte_present(*pte))
			return -EFAULT;
		void *dst = __va(pte_pfn(*pte) << PAGE_SHIFT);
		if (readi(ip, 0, (u64)dst, (uint)(ph->off + done), (uint)n) != (int)n)
			return -EIO;
	}
	if (ph->vaddr < mm->start_code || mm->start_code == 0)
		mm->start_code = ph->vaddr;
	if (ph->vaddr + ph->memsz > mm->end_code)
		mm->end_code = ph->vaddr + ph->memsz;
	if (flags & VM_WRITE) {
		if (mm->start_data == 0 || ph->vaddr < mm->start_data)
			mm->start_data = ph->vaddr;
		mm->end_data = MAX(mm->end_data, ph->vaddr + ph->memsz);
	}
	return 0;
}

static int push_args(struct mm_struct *mm, char **argv, u64 *spp, u64 *argcp)
{
	u64 sp, ustack[MAXARG + 1], total = 0, p;
	u64 argc;

	for (argc = 0; argv[argc]; argc++) {
		if (argc >= MAXARG)
			return -E2BIG;
		total += strlen(argv[argc]) + 1;
	}
	if (total > USER_STACK_TOP - mm->start_stack)
		return -E2BIG;
	p = mm->arg_start = USER_STACK_TOP - total;
	mm->arg_end = USER_STACK_TOP;
	for (u64 i = 0; i < argc; i++) {
		u64 len = strlen(argv[i]) + 1;
		if (copy_to_mm(mm, p, argv[i], len) < 0)
			return -EFAULT;
		ustack[i] = p;
		p += len;
	}
	ustack[argc] = 0;
	sp = (mm->arg_start - (argc + 1) * sizeof(u64)) & ~15UL;
	if (sp < mm->start_stack)
		return -E2BIG;
	if (copy_to_mm(mm, sp, ustack, (argc + 1) * sizeof(u64)) < 0)
		return -EFAULT;
	*spp = sp;
	*argcp = argc;
	return 0;
}

int exec(const char *path, char **argv)
{
	struct proc *p = myproc();
	struct mm_struct *mm, *old;
	struct elfhdr elf;
	struct inode *ip;
	u64 sp, argc;
	int err = -ENOEXEC;

	begin_op();
	ip = namei(path);
	if (!ip) {
		end_op();
		return -ENOENT;
	}
	ilock(ip);
	mm = mm_alloc();
	if (!mm) {
		err = -ENOMEM;
		goto bad;
	}
	if (ip->type != T_FILE)
		goto bad;
	if (readi(ip, 0, (u64)&elf, 0, sizeof(elf)) != sizeof(elf))
		goto bad;
	if (elf.magic != ELF_MAGIC || elf.ident_class != ELFCLASS64 ||
	    elf.machine != ELF_ARCH_MACHINE || elf.phentsize != sizeof(struct proghdr))
		goto bad;
	for (int i = 0; i < elf.phnum; i++) {
		struct proghdr ph;
		u64 off = elf.phoff + (u64)i * sizeof(ph);
		if (off > 0xffffffffUL ||
		    readi(ip, 0, (u64)&ph, (uint)off, sizeof(ph)) != sizeof(ph))
			goto bad;
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		err = load_segment(mm, ip, &ph);
		if (err)
			goto bad;
	}
	if (mm->end_code == 0)
		goto bad;
	iunlockput(ip);
	end_op();
	ip = NULL;

	mm->start_brk = mm->brk = PAGE_ALIGN(mm->end_code);
	/* the stack VMA starts at USERSTACK pages and grows down on faults;
	 * pages arrive as they are touched (push_args touches the top ones) */
	mm->start_stack = USER_STACK_TOP - USERSTACK * PAGE_SIZE;
	if (!vma_map_range(mm, mm->start_stack, USER_STACK_TOP,
			   VM_READ | VM_WRITE | VM_GROWSDOWN | VM_MAYREAD | VM_MAYWRITE |
			       VM_MAYEXEC,
			   NULL, 0)) {
		err = -ENOMEM;
		goto bad;
	}
	err = push_args(mm, argv, &sp, &argc);
	if (err)
		goto bad;

	/* point of no return: the new image is complete. Swap the mm under
	 * p->lock: a /proc reader takes its reference to p->mm under it, so it
	 * never gets the old one after our mmput() below may have freed it */
	spin_lock(&p->lock);
	old = p->mm;
	p->mm = mm;
	spin_unlock(&p->lock);
	switch_mm(mm);
	if (old)
		mmput(old);
	regs_init_user(p->regs, elf.entry, sp, argc, sp);
	const char *last = path;
	for (const char *s = path; *s; s++)
		if (*s == '/')
			last = s + 1;
	strlcpy(p->name, last, sizeof(p->name));
	vmprint_exec(p->pid, p->name, mm->pgd);
	return (int)argc;

bad:
	if (mm)
		mmput(mm);
	if (ip) {
		iunlockput(ip);
		end_op();
	}
	return err;
}

/* exec(path, argv): fetch the path and the argument strings from user space. */
u64 sys_exec(void)
{
	char path[MAXPATH];
	char *argv[MAXARG + 1];
	u64 uargv = argaddr(1);
	int argc = 0, ret;

	if (argstr(0, path, sizeof(path)) < 0)
		return (u64)-EFAULT;
	memset(argv, 0, sizeof(argv));
	for (;; argc++) {
		u64 uarg;
		if (argc >= MAXARG) {
			ret = -E2BIG;
			goto out;
		}
		if (copy_from_user(&uarg, uargv + (u64)argc * sizeof(u64), sizeof(uarg)) < 0) {
			ret = -EFAULT;
			goto out;
		}
		if (uarg == 0)
			break;
		argv[argc] = (char *)__get_free_page(GFP_KERNEL);
		if (!argv[argc]) {
			ret = -ENOMEM;
			goto out;
		}
		if (strncpy_from_user(argv[argc], uarg, PAGE_SIZE) < 0) {
			ret = -EFAULT;
			goto out;
		}
	}
	argv[argc] = NULL;
	ret = exec(path, argv);
out:
	for (int i = 0; i < MAXARG && argv[i]; i++)
		free_page((unsigned long)argv[i]);
	return (u64)(s64)ret;
}
