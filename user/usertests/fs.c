/*
 * user/usertests/fs.c - the file system: big files, directories, links,
 * concurrent creation, open() flags and descriptors.
 *
 * Every test runs in its own empty scratch directory, so names are short
 * and fixed.
 */
#include "usertests.h"

/* Is @name in the directory open as @fd? Return: how many times. */
static int count_entries(const char *dir, const char *name)
{
	struct dirent de;
	int fd = ut_open(dir, O_RDONLY), n = 0;

	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum != 0 && strncmp(de.name, name, DIRSIZ) == 0)
			n++;
	}
	close(fd);
	return n;
}

/* Number of live entries in directory @dir, "." and ".." included. */
static int dir_size(const char *dir)
{
	struct dirent de;
	int fd = ut_open(dir, O_RDONLY), n = 0;

	while (read(fd, &de, sizeof(de)) == sizeof(de))
		n += de.inum != 0;
	close(fd);
	return n;
}

void test_bigfile(void)
{
	/* Direct and singly-indirect blocks cover this many bytes: */
	int small_max = (NDIRECT + NINDIRECT) * BSIZE;
	int size = ut_quick ? small_max + 64 * BSIZE : 2 * 1024 * 1024 + 12345;
	static uchar buf[3000]; /* odd-sized writes straddle block boundaries */
	struct stat st;
	int fd, off, n;

	fd = ut_open("big", O_CREATE | O_RDWR);
	for (off = 0; off < size; off += n) {
		n = size - off < (int)sizeof(buf) ? size - off : (int)sizeof(buf);
		for (int i = 0; i < n; i++)
			buf[i] = ut_pattern(off + i);
		CHECK(write(fd, buf, n) == n, "write at offset %d failed", off);
	}
	CHECK(fstat(fd, &st) == 0 && st.size == (uint64)size, "size is %llu, expected %d", st.size,
	      size);
	close(fd);
	CHECK(size > small_max, "the file is too small to need the doubly-indirect block");

	fd = ut_open("big", O_RDONLY);
	for (off = 0;; off += n) {
		n = read(fd, buf, sizeof(buf));
		CHECK(n >= 0, "read at offset %d failed", off);
		if (n == 0)
			break;
		for (int i = 0; i < n; i++)
			CHECK(buf[i] == ut_pattern(off + i), "wrong byte at offset %d", off + i);
	}
	CHECK(off == size, "read back %d bytes of %d", off, size);
	close(fd);

	CHECK(unlink("big") == 0, "unlink failed");
	CHECK(open("big", O_RDONLY) < 0, "the file is still there after unlink");
}

#define CC_CHILDREN 4
#define CC_ROUNDS 12
#define CC_SHARED 8

/*
 * Each child races the others over shared names s0..s7 (creating, writing
 * and unlinking them) and also keeps private names pK_0..pK_7, of which it
 * finally keeps the even ones.
 */
static void create_unlink_child(int k)
{
	char name[16];
	int fd;

	for (int round = 0; round < CC_ROUNDS; round++) {
		for (int j = 0; j < CC_SHARED; j++) {
			snprintf(name, sizeof(name), "s%d", j);
			if ((j + k + round) % 3 == 0) {
				unlink(name); /* may lose the race: fine */
			} else {
				fd = open(name, O_CREATE | O_RDWR);
				if (fd < 0)
					exit(10 + j);
				write(fd, &k, 1);
				close(fd);
			}
			snprintf(name, sizeof(name), "p%d_%d", k, j);
			if ((round + j) % 2 == 0) {
				fd = open(name, O_CREATE | O_RDWR);
				if (fd < 0)
					exit(20 + j);
				close(fd);
			} else {
				unlink(name);
			}
		}
	}
	/* Last round: keep even private names, drop odd ones. */
	for (int j = 0; j < CC_SHARED; j++) {
		snprintf(name, sizeof(name), "p%d_%d", k, j);
		if (j % 2 == 0) {
			fd = open(name, O_CREATE | O_RDWR);
			if (fd < 0)
				exit(30 + j);
			close(fd);
		} else if (unlink(name) < 0 && open(name, O_RDONLY) >= 0) {
			exit(40 + j);
		}
	}
	exit(0);
}

void test_concurrent_create(void)
{
	int pids[CC_CHILDREN], status[CC_CHILDREN];
	char name[16];
	struct stat st;

	for (int k = 0; k < CC_CHILDREN; k++) {
		pids[k] = ut_fork();
		if (pids[k] == 0)
			create_unlink_child(k);
	}
	ut_wait_all(pids, CC_CHILDREN, status);
	for (int k = 0; k < CC_CHILDREN; k++)
		CHECK(status[k] == 0, "child %d failed with status %d", k, status[k]);

	for (int k = 0; k < CC_CHILDREN; k++) {
		for (int j = 0; j < CC_SHARED; j++) {
			int n;
			snprintf(name, sizeof(name), "p%d_%d", k, j);
			n = count_entries(".", name);
			CHECK(n == (j % 2 == 0), "%s appears %d times", name, n);
			if (n)
				CHECK(unlink(name) == 0, "unlink %s failed", name);
		}
	}
	for (int j = 0; j < CC_SHARED; j++) {
		int n;
		snprintf(name, sizeof(name), "s%d", j);
		n = count_entries(".", name);
		CHECK(n <= 1, "%s appears %d times", name, n);
		if (n) {
			CHECK(stat(name, &st) == 0 && st.type == T_FILE && st.nlink == 1,
			      "%s is listed but broken", name);
			CHECK(unlink(name) == 0, "unlink %s failed", name);
		}
	}
	CHECK(dir_size(".") == 2, "%d entries left, expected only . and ..", dir_size("."));
}

void test_link(void)
{
	struct stat a, b;
	char buf[8];
	int fd;

	fd = ut_open("a", O_CREATE | O_WRONLY);
	CHECK(write(fd, "hello", 5) == 5, "write failed");
	close(fd);

	CHECK(link("a", "b") == 0, "link(a, b) failed");
	CHECK(stat("a", &a) == 0 && stat("b", &b) == 0, "stat failed");
	CHECK(a.ino == b.ino, "a and b are different inodes (%d, %d)", a.ino, b.ino);
	CHECK(a.nlink == 2, "nlink is %d after link(), expected 2", a.nlink);
	fd = ut_open("b", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0,
	      "b does not hold a's data");
	close(fd);

	CHECK(link("a", "b") == -1, "link() over an existing name succeeded");
	CHECK(link("missing", "c") == -1, "link() of a missing file succeeded");
	CHECK(link("a", "nodir/c") == -1, "link() into a missing directory succeeded");
	CHECK(link("a", "a") == -1, "link(a, a) succeeded");
	CHECK(mkdir("d") == 0, "mkdir failed");
	CHECK(link("d", "d2") == -1, "link() of a directory succeeded");
	CHECK(link("a", "d/a") == 0, "link() into a subdirectory failed");

	CHECK(unlink("a") == 0, "unlink(a) failed");
	CHECK(open("a", O_RDONLY) < 0, "a can still be opened after unlink");
	CHECK(stat("b", &b) == 0 && b.nlink == 2, "b's nlink is %d, expected 2", b.nlink);
	CHECK(unlink("d/a") == 0, "unlink(d/a) failed");
	CHECK(stat("b", &b) == 0 && b.nlink == 1, "b's nlink is %d, expected 1", b.nlink);
	fd = ut_open("b", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0,
	      "b lost its data when a was unlinked");
	close(fd);
	CHECK(unlink("b") == 0, "unlink(b) failed");
	CHECK(unlink("b") == -1, "a second unlink(b) succeeded");
}

void test_unlink_open(void)
{
	static char buf[5000];
	int wfd, rfd, fd, n;
	struct stat st;

	wfd = ut_open("u", O_CREATE | O_WRONLY);
	rfd = ut_open("u", O_RDONLY);
	memset(buf, 'x', sizeof(buf));
	CHECK(write(wfd, buf, sizeof(buf)) == sizeof(buf), "write failed");
	CHECK(unlink("u") == 0, "unlink of an open file failed");
	CHECK(open("u", O_RDONLY) < 0, "the name is still there after unlink");
	memset(buf, 'y', 100);
	CHECK(write(wfd, buf, 100) == 100, "write after unlink failed");
	CHECK(fstat(rfd, &st) == 0 && st.size == sizeof(buf) + 100 && st.nlink == 0,
	      "fstat after unlink: size %llu, nlink %d", st.size, st.nlink);
	n = 0;
	while (read(rfd, buf, 1000) == 1000)
		n += 1000;
	CHECK(n == 5000, "read back %d bytes of the unlinked file", n);
	close(wfd);
	close(rfd);

	/* A new file may take the name, and starts empty. */
	fd = ut_open("u", O_CREATE | O_RDWR);
	CHECK(fstat(fd, &st) == 0 && st.size == 0, "the new file has size %llu", st.size);
	close(fd);
}

void test_dirs(void)
{
	struct stat a, b;
	int fd;

	CHECK(mkdir("d1") == 0, "mkdir d1 failed");
	CHECK(mkdir("d1") == -1, "mkdir of an existing directory succeeded");
	CHECK(mkdir("d1/d2") == 0, "mkdir d1/d2 failed");
	CHECK(mkdir("nodir/d") == -1, "mkdir inside a missing directory succeeded");
	fd = ut_open("d1/d2/f", O_CREATE | O_WRONLY);
	close(fd);

	CHECK(stat(".", &a) == 0 && a.type == T_DIR, "stat(.) is not a directory");
	CHECK(stat("d1/..", &b) == 0 && b.ino == a.ino, "d1/.. is not .");
	CHECK(stat("d1/d2/../../d1/./d2/f", &b) == 0 && b.type == T_FILE,
	      "a path with . and .. did not resolve");

	CHECK(chdir("d1/d2") == 0, "chdir d1/d2 failed");
	CHECK(stat("f", &b) == 0, "f is not in d1/d2");
	CHECK(chdir("..") == 0, "chdir .. failed");
	CHECK(stat("d2/f", &b) == 0, "chdir .. did not reach d1");
	CHECK(chdir("../d1/d2/..") == 0 && chdir("..") == 0, "chdir through .. failed");
	CHECK(stat(".", &b) == 0 && b.ino == a.ino, "did not get back to the start");
	CHECK(chdir("nodir") == -1, "chdir to a missing directory succeeded");
	CHECK(chdir("d1/d2/f") == -1, "chdir to a file succeeded");
	CHECK(stat(".", &b) == 0 && b.ino == a.ino, "a failed chdir moved us");

	/* The root's .. is the root itself. */
	CHECK(stat("/", &a) == 0 && stat("/..", &b) == 0 && a.ino == b.ino, "/.. is not /");
	CHECK(a.ino == ROOTINO, "the root's inode is %d, not ROOTINO", a.ino);
}

void test_dir_file(void)
{
	int fd;

	close(ut_open("f", O_CREATE | O_RDWR));
	CHECK(open("f/x", O_CREATE | O_RDWR) < 0, "created f/x inside a file");
	CHECK(open("f/x", O_RDONLY) < 0, "opened f/x inside a file");
	CHECK(mkdir("f/x") == -1, "mkdir f/x inside a file succeeded");
	CHECK(link("f", "f/x") == -1, "link into a file succeeded");
	CHECK(unlink("f/x") == -1, "unlink f/x inside a file succeeded");
	CHECK(chdir("f") == -1, "chdir into a file succeeded");
	CHECK(mknod("f/x", 1, 0) == -1, "mknod f/x inside a file succeeded");

	CHECK(mkdir("d") == 0, "mkdir failed");
	CHECK(open("d", O_RDWR) < 0, "opened a directory for reading and writing");
	CHECK(open("d", O_WRONLY) < 0, "opened a directory for writing");
	CHECK(open("d", O_CREATE | O_RDWR) < 0, "open(O_CREATE) of a directory succeeded");
	fd = ut_open("d", O_RDONLY);
	CHECK(write(fd, "x", 1) == -1, "wrote to a directory");
	close(fd);
}

void test_unlink_dir(void)
{
	struct stat st;

	CHECK(mkdir("d") == 0, "mkdir failed");
	close(ut_open("d/f", O_CREATE | O_RDWR));
	CHECK(unlink("d") == -1, "unlink of a non-empty directory succeeded");
	CHECK(unlink("d/.") == -1, "unlink(d/.) succeeded");
	CHECK(unlink("d/..") == -1, "unlink(d/..) succeeded");
	CHECK(chdir("d") == 0, "chdir failed");
	CHECK(unlink(".") == -1, "unlink(.) succeeded");
	CHECK(unlink("..") == -1, "unlink(..) succeeded");
	CHECK(unlink("f") == 0, "unlink(f) failed");
	CHECK(chdir("..") == 0, "chdir(..) failed");
	CHECK(unlink("d") == 0, "unlink of an empty directory failed");
	CHECK(stat("d", &st) < 0, "d still exists");
	CHECK(dir_size(".") == 2, "the parent has %d entries, expected 2", dir_size("."));

	/* The parent's link count follows its subdirectories' "..". */
	CHECK(mkdir("d") == 0 && unlink("d") == 0 && mkdir("d") == 0, "mkdir/unlink failed");
	CHECK(unlink("d") == 0, "unlink failed");
}

static void remove_own_cwd(void)
{
	CHECK(mkdir("cw") == 0, "mkdir failed");
	CHECK(chdir("cw") == 0, "chdir failed");
	if (unlink("../cw") < 0)
		exit(2); /* refusing is allowed */
	/* The directory is gone; creating in it must not corrupt anything. */
	close(open("ghost", O_CREATE | O_RDWR));
	exit(0);
}

void test_cwd_removed(void)
{
	struct stat st;
	int status = ut_run(remove_own_cwd);

	CHECK(status == 0 || status == 2, "child status %d", status);
	if (status == 0)
		CHECK(stat("cw", &st) < 0, "cw still exists after unlink");
	CHECK(count_entries(".", "ghost") == 0, "ghost appeared in the parent directory");
	close(ut_open("after", O_CREATE | O_RDWR));
	CHECK(unlink("after") == 0, "the file system misbehaves afterwards");
}

void test_open_modes(void)
{
	struct stat st;
	char buf[8];
	int fd;

	CHECK(open("nx", O_RDONLY) < 0, "opened a missing file without O_CREATE");
	CHECK(open("nx", O_RDWR) < 0, "opened a missing file O_RDWR without O_CREATE");

	fd = ut_open("m", O_CREATE | O_WRONLY);
	CHECK(write(fd, "abcdef", 6) == 6, "write failed");
	CHECK(read(fd, buf, 1) == -1, "read from an O_WRONLY descriptor worked");
	close(fd);

	fd = ut_open("m", O_RDONLY);
	CHECK(write(fd, "x", 1) == -1, "write to an O_RDONLY descriptor worked");
	CHECK(read(fd, buf, 8) == 6 && memcmp(buf, "abcdef", 6) == 0, "read back failed");
	close(fd);

	fd = ut_open("m", O_RDWR);
	CHECK(write(fd, "XY", 2) == 2, "O_RDWR write failed");
	CHECK(read(fd, buf, 8) == 4 && memcmp(buf, "cdef", 4) == 0, "O_RDWR read failed");
	close(fd);

	fd = ut_open("m", O_CREATE | O_RDWR);
	CHECK(fstat(fd, &st) == 0 && st.size == 6, "O_CREATE of an existing file changed its size");
	CHECK(read(fd, buf, 8) == 6 && memcmp(buf, "XYcdef", 6) == 0, "the data changed");
	close(fd);

	fd = ut_open("m", O_WRONLY | O_TRUNC);
	CHECK(fstat(fd, &st) == 0 && st.size == 0, "O_TRUNC left size %llu", st.size);
	close(fd);
}

void test_nofile(void)
{
	int fds[NOFILE + 8];
	int n = 0, fd, p[2], first;

	/* Normally 0, 1 and 2 are open, so this is 3. */
	first = dup(0);
	CHECK(first > 0, "dup(0) failed");
	close(first);
	for (;;) {
		fd = open("f", O_CREATE | O_RDWR);
		if (fd < 0)
			break;
		CHECK(n < NOFILE, "opened %d files, NOFILE is %d", n + 1, NOFILE);
		CHECK(fd >= 0 && fd < NOFILE, "open() returned descriptor %d", fd);
		fds[n++] = fd;
	}
	CHECK(n == NOFILE - first, "opened %d files before failing, expected %d", n,
	      NOFILE - first);
	CHECK(dup(0) == -1, "dup() worked with every descriptor in use");
	CHECK(pipe(p) == -1, "pipe() worked with every descriptor in use");

	/* With one slot free, pipe() (which needs two) must fail without leaking. */
	close(fds[0]);
	CHECK(pipe(p) == -1, "pipe() worked with one free descriptor");
	fd = open("f", O_RDWR);
	CHECK(fd == fds[0], "open() after closing %d returned %d", fds[0], fd);

	for (int i = 0; i < n; i++)
		close(fds[i]);
	CHECK(pipe(p) == 0, "pipe() failed after closing everything");
	close(p[0]);
	close(p[1]);
	fd = ut_open("f", O_RDONLY);
	CHECK(fd == first, "the first free descriptor is %d, not %d", fd, first);
	close(fd);
}

void test_shared_offset(void)
{
	char buf[32];
	int fd, fd2, pid, n;

	fd = ut_open("o", O_CREATE | O_RDWR);
	pid = ut_fork();
	if (pid == 0) {
		write(fd, "child ", 6);
		exit(0);
	}
	CHECK(ut_wait(pid) == 0, "the child failed");
	write(fd, "parent ", 7);
	fd2 = dup(fd);
	CHECK(fd2 >= 0, "dup failed");
	write(fd2, "dup", 3);
	close(fd);
	close(fd2);

	fd = ut_open("o", O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	CHECK(n == 16 && memcmp(buf, "child parent dup", 16) == 0,
	      "the file holds %d bytes, not \"child parent dup\"", n);
}

void test_bigdir(void)
{
	/* One block's worth and then some (mkfs makes only ~200 inodes). */
	int n = BSIZE / sizeof(struct dirent) + 16;
	char name[16];
	int fd;

	CHECK(mkdir("big") == 0 && chdir("big") == 0, "mkdir/chdir failed");
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		fd = open(name, O_CREATE | O_RDWR);
		CHECK(fd >= 0, "creating file %d failed", i);
		close(fd);
	}
	CHECK(dir_size(".") == n + 2, "the directory lists %d entries, expected %d", dir_size("."),
	      n + 2);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		CHECK(unlink(name) == 0, "unlink %s failed", name);
	}
	CHECK(dir_size(".") == 2, "%d entries left", dir_size("."));
	CHECK(chdir("..") == 0 && unlink("big") == 0, "removing the directory failed");
}
