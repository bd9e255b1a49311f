// user/xv6/xv6layout.c - a program in the style of xv6 course tests that
// take the page size and the address-space limits from kernel/riscv.h and
// kernel/memlayout.h (PGSIZE, PGROUNDUP, PGROUNDDOWN, MAXVA, KERNBASE,
// PHYSTOP), written for Pagoda's compatibility check. It checks that
//   - sbrk() moves the break by whole pages once it is page aligned, and
//     the memory it gives reads and writes;
//   - a sixteenth of "physical memory" (PHYSTOP - KERNBASE) can be
//     allocated, filled and given back;
//   - touching KERNBASE, MAXVA or the byte below MAXVA kills only the
//     child that tried (wait() says -1), and write() and read() of a file
//     refuse a buffer there.
//
// Prints "xv6layout: all N checks passed" and exits 0, or names the first
// check that failed and exits 1.

#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "user/user.h"

int checks;

void
check(int ok, char *what)
{
  if(!ok){
    printf("xv6layout: FAILED: %s\n", what);
    exit(1);
  }
  checks++;
}

void
page_steps(void)
{
  uint64 top, a;
  char *p;
  int i;

  top = (uint64) sbrk(0);
  check(PGROUNDDOWN(top) <= top && top <= PGROUNDUP(top), "PGROUNDDOWN <= break <= PGROUNDUP");
  check(PGROUNDUP(top) - PGROUNDDOWN(top) == (top % PGSIZE ? PGSIZE : 0),
        "the break rounds to the pages around it");
  sbrk(PGROUNDUP(top) - top);
  a = (uint64) sbrk(4*PGSIZE);
  check(a == PGROUNDUP(top) && a % PGSIZE == 0, "sbrk returns the old, page-aligned break");
  check((uint64) sbrk(0) == a + 4*PGSIZE, "sbrk(4*PGSIZE) moves the break by four pages");
  p = (char *) a;
  for(i = 0; i < 4; i++)
    p[i*PGSIZE + PGSIZE - 1] = i + 1;
  for(i = 0; i < 4; i++)
    check(p[i*PGSIZE + PGSIZE - 1] == i + 1, "new heap pages keep what is written");
  sbrk(-4*PGSIZE);
}

void
big_allocation(void)
{
  uint64 n = (PHYSTOP - KERNBASE) / 16;
  char *p;
  uint64 i, sum;

  check(PHYSTOP > KERNBASE && n % PGSIZE == 0, "PHYSTOP - KERNBASE is whole pages");
  p = sbrk(n);
  check(p != (char *) -1, "sbrk a sixteenth of PHYSTOP - KERNBASE");
  for(i = 0; i < n; i += PGSIZE)
    p[i] = (i / PGSIZE) & 0x7f;
  sum = 0;
  for(i = 0; i < n; i += PGSIZE)
    sum += p[i];
  check(sum == ((n / PGSIZE) / 128) * (127 * 128 / 2), "every page keeps its own byte");
  check(sbrk(-n) != (char *) -1, "give it back");
}

// In a child, read or write at a; the kernel must kill the child.
void
must_fault(uint64 a, int write, char *what)
{
  int pid, status;

  pid = fork();
  check(pid >= 0, "fork");
  if(pid == 0){
    if(write)
      *(volatile char *) a = 1;
    else
      printf("xv6layout: read 0x%x at %p\n", *(volatile char *) a, a);
    exit(0);
  }
  status = 0;
  wait(&status);
  check(status == -1, what);
}

void
limits(void)
{
  int fd;

  check(MAXVA > KERNBASE && MAXVA % PGSIZE == 0, "MAXVA lies above KERNBASE, page aligned");
  check((uint64) &fd < MAXVA && (uint64) check < MAXVA, "stack and code lie below MAXVA");
  must_fault(KERNBASE, 0, "reading KERNBASE kills the program");
  must_fault(KERNBASE + PGSIZE, 1, "writing above KERNBASE kills the program");
  must_fault(MAXVA, 1, "writing at MAXVA kills the program");
  must_fault(MAXVA - 1, 0, "reading the byte below MAXVA kills the program");
  fd = open("xv6layout.tmp", O_CREATE | O_RDWR);
  check(fd >= 0, "create a file");
  check(write(fd, (char *) MAXVA, 1) == -1, "write() refuses a buffer at MAXVA");
  check(write(fd, "x", 1) == 1, "write() takes a good buffer");
  close(fd);
  fd = open("xv6layout.tmp", O_RDONLY);
  check(read(fd, (char *) MAXVA - 1, 1) == -1, "read() refuses a buffer below MAXVA");
  close(fd);
  unlink("xv6layout.tmp");
}

int
main(void)
{
  page_steps();
  big_allocation();
  limits();
  printf("xv6layout: all %d checks passed\n", checks);
  exit(0);
}
