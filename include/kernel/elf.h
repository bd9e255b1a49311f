/*
 * kernel/elf.h - the parts of the ELF-64 format the program loader reads.
 *
 * See: System V ABI, "ELF Header" and "Program Header"; elf(5).
 */
#ifndef _KERNEL_ELF_H
#define _KERNEL_ELF_H

#include <kernel/types.h>

#define ELF_MAGIC 0x464C457FU /* "\x7FELF" little-endian */
#define ELFCLASS64 2
#define ET_EXEC 2

struct elfhdr {
	u32 magic;
	u8 ident_class, ident_data, ident_version, ident_pad[9];
	u16 type;
	u16 machine;
	u32 version;
	u64 entry;
	u64 phoff;
	u64 shoff;
	u32 flags;
	u16 ehsize;
	u16 phentsize;
	u16 phnum;
	u16 shentsize;
	u16 shnum;
	u16 shstrndx;
};

struct proghdr {
	u32 type;
	u32 flags;
	u64 off;
	u64 vaddr;
	u64 paddr;
	u64 filesz;
	u64 memsz;
	u64 align;
};

#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

#endif /* _KERNEL_ELF_H */
