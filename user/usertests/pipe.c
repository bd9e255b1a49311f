/*
 * user/usertests/pipe.c - pipes: ordering, many writers, closed ends.
 */
#include "usertests.h"

void test_pipe_order(void)
{
	static uchar buf[1500];
	int p[2], pid, n, total = 0, size = 100 * 1000;

	CHECK(pipe(p) == 0, "pipe failed");
	pid = ut_fork();
	if (pid == 0) {
		/* Write with varying sizes, so writes and reads never line up. */
		close(p[0]);
		for (int off = 0, chunk = 1; off < size; off += n, chunk = chunk * 7 % 1499 + 1) {
			n = size - off < chunk ? size - off : chunk;
			for (int i = 0; i < n; i++)
				buf[i] = ut_pattern(off + i);
			if (write(p[1], buf, n) != n)
				exit(2);
		}
		exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0) {
		for (int i = 0; i < n; i++)
			CHECK(buf[i] == ut_pattern(total + i), "byte %d is wrong", total + i);
		total += n;
	}
	CHECK(n == 0, "read returned %d", n);
	CHECK(total == size, "received %d bytes of %d", total, size);
	CHECK(ut_wait(pid) == 0, "the writer failed");
}

#define WRITERS 4
#define PER_WRITER 20000

static uchar writer_byte(int w, int i)
{
	return (uchar)(w * 31 + i * 13 + (i >> 7));
}

void test_pipe_load(void)
{
	static uchar buf[1024];
	uint64 want_sum = 0, sum = 0, total = 0;
	int p[2], pids[WRITERS], status[WRITERS], n;

	CHECK(pipe(p) == 0, "pipe failed");
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = ut_fork();
		if (pids[w] == 0) {
			close(p[0]);
			for (int off = 0; off < PER_WRITER; off += n) {
				n = 1 + (off * 17 + w * 101) % 700;
				if (n > PER_WRITER - off)
					n = PER_WRITER - off;
				for (int i = 0; i < n; i++)
					buf[i] = writer_byte(w, off + i);
				if (write(p[1], buf, n) != n)
					exit(2);
			}
			exit(0);
		}
		for (int i = 0; i < PER_WRITER; i++)
			want_sum += writer_byte(w, i);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0) {
		total += n;
		for (int i = 0; i < n; i++)
			sum += buf[i];
	}
	close(p[0]);
	ut_wait_all(pids, WRITERS, status);
	for (int w = 0; w < WRITERS; w++)
		CHECK(status[w] == 0, "writer %d failed with status %d", w, status[w]);
	CHECK(total == WRITERS * PER_WRITER, "received %llu bytes, expected %d", total,
	      WRITERS * PER_WRITER);
	CHECK(sum == want_sum, "checksum %llu, expected %llu", sum, want_sum);
}

void test_pipe_closed(void)
{
	char buf[8];
	int p[2], pid, status, r;

	/* No reader at all. */
	CHECK(pipe(p) == 0, "pipe failed");
	close(p[0]);
	r = write(p[1], "x", 1);
	CHECK(r == -1, "write() to a pipe without readers returned %d", r);
	close(p[1]);

	/* The writer leaves: the reader gets what was written, then end of file. */
	CHECK(pipe(p) == 0, "pipe failed");
	CHECK(write(p[1], "ab", 2) == 2, "write failed");
	close(p[1]);
	CHECK(read(p[0], buf, sizeof(buf)) == 2, "read did not return the 2 bytes");
	CHECK(read(p[0], buf, sizeof(buf)) == 0, "read after the writer left did not return 0");
	close(p[0]);

	/* A writer blocked on a full pipe is released when the reader closes. */
	CHECK(pipe(p) == 0, "pipe failed");
	pid = ut_fork();
	if (pid == 0) {
		static char chunk[4096];
		close(p[0]);
		do {
			r = write(p[1], chunk, sizeof(chunk));
		} while (r == sizeof(chunk));
		exit(r == -1 ? 0 : r >= 0 ? 3 : 4);
	}
	close(p[1]);
	sleep(3); /* let the child fill the pipe and block */
	close(p[0]);
	status = ut_wait(pid);
	CHECK(status == 0 || status == 3,
	      "the blocked writer's write() misbehaved after the reader closed (status %d)",
	      status);
}
