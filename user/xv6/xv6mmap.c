// user/xv6/xv6mmap.c - a program in the style of an xv6 mmap-lab test,
// written for Pagoda's compatibility check: it takes PROT_* and MAP_* from
// kernel/fcntl.h and PGSIZE from kernel/riscv.h, defines MAP_FAILED itself
// as the lab's tests do, and checks what the lab asks of mmap: a private
// read-only mapping of a file (zeros past its end), a shared writable
// mapping written back to the file by munmap, private writes that stay
// private, a mapping inherited by fork, and a writable shared mapping of a
// read-only file refused.
//
// Prints "xv6mmap: all N checks passed" and exits 0, or names the first
// check that failed and exits 1.

#include "kernel/param.h"
#include "kernel/fcntl.h"
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/riscv.h"
#include "kernel/fs.h"
#include "user/user.h"

#define MAP_FAILED ((char *) -1)

#define FILESIZE (2*PGSIZE + PGSIZE/2)   // two and a half pages

char *file = "xv6mmap.tmp";
char buf[BSIZE];
int checks;

void
fail(char *what)
{
  printf("xv6mmap: FAILED: %s\n", what);
  unlink(file);
  exit(1);
}

void
check(int ok, char *what)
{
  if(!ok)
    fail(what);
  checks++;
}

// byte i of the test file
char
pattern(int i)
{
  return 'A' + (i * 7) % 26;
}

void
makefile(void)
{
  int fd, i, j;

  unlink(file);
  fd = open(file, O_WRONLY | O_CREATE);
  check(fd >= 0, "create the test file");
  for(i = 0; i < FILESIZE; i += BSIZE){
    for(j = 0; j < BSIZE; j++)
      buf[j] = pattern(i + j);
    check(write(fd, buf, BSIZE) == BSIZE, "write the test file");
  }
  close(fd);
}

// do the first n bytes at p hold the file's pattern?
int
matches(char *p, int n)
{
  int i;

  for(i = 0; i < n; i++)
    if(p[i] != pattern(i))
      return 0;
  return 1;
}

void
private_readonly(void)
{
  int fd, i, zeros;
  char *p;

  fd = open(file, O_RDONLY);
  check(fd >= 0, "open the test file");
  p = mmap(0, 3*PGSIZE, PROT_READ, MAP_PRIVATE, fd, 0);
  check(p != MAP_FAILED, "mmap(PROT_READ, MAP_PRIVATE)");
  close(fd);   // the mapping keeps the file
  check(matches(p, FILESIZE), "the mapping holds the file's bytes");
  zeros = 1;
  for(i = FILESIZE; i < 3*PGSIZE; i++)
    if(p[i] != 0)
      zeros = 0;
  check(zeros, "the last page reads as zeros past the end of the file");
  check(munmap(p, 3*PGSIZE) == 0, "munmap");
}

void
shared_writeback(void)
{
  int fd, i;
  char *p;

  fd = open(file, O_RDWR);
  check(fd >= 0, "open the test file read-write");
  p = mmap(0, 2*PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(p != MAP_FAILED, "mmap(PROT_READ|PROT_WRITE, MAP_SHARED)");
  close(fd);
  for(i = 0; i < PGSIZE; i++)
    p[PGSIZE + i] = 'z';
  check(munmap(p, 2*PGSIZE) == 0, "munmap of the shared mapping");

  fd = open(file, O_RDONLY);
  check(fd >= 0, "reopen the test file");
  check(read(fd, buf, BSIZE) == BSIZE && matches(buf, BSIZE),
        "munmap left the first page alone");
  for(i = BSIZE; i < PGSIZE; i += BSIZE)
    read(fd, buf, BSIZE);
  check(read(fd, buf, BSIZE) == BSIZE && buf[0] == 'z' && buf[BSIZE-1] == 'z',
        "munmap wrote the shared mapping's changes back to the file");
  close(fd);
}

void
private_writes_stay_private(void)
{
  int fd;
  char *p;

  makefile();
  fd = open(file, O_RDWR);
  p = mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  check(p != MAP_FAILED, "mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE)");
  p[0] = '!';
  check(munmap(p, PGSIZE) == 0, "munmap of the private mapping");
  check(read(fd, buf, 1) == 1 && buf[0] == pattern(0),
        "a write to a MAP_PRIVATE mapping does not reach the file");
  close(fd);
}

void
inherited_by_fork(void)
{
  int fd, pid, status;
  char *p;

  fd = open(file, O_RDONLY);
  p = mmap(0, 2*PGSIZE, PROT_READ, MAP_SHARED, fd, 0);
  check(p != MAP_FAILED, "mmap(PROT_READ, MAP_SHARED)");
  close(fd);
  pid = fork();
  check(pid >= 0, "fork");
  if(pid == 0)
    exit(matches(p, 2*PGSIZE) ? 0 : 1);
  wait(&status);
  check(status == 0, "a child reads its parent's mapping");
  check(munmap(p, 2*PGSIZE) == 0, "munmap after fork");
}

void
refused(void)
{
  int fd;
  char *p;

  fd = open(file, O_RDONLY);
  p = mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(p == MAP_FAILED, "a writable shared mapping of a read-only file is refused");
  close(fd);
}

int
main(int argc, char *argv[])
{
  makefile();
  private_readonly();
  shared_writeback();
  private_writes_stay_private();
  inherited_by_fork();
  refused();
  unlink(file);
  printf("xv6mmap: all %d checks passed\n", checks);
  exit(0);
}
