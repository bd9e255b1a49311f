/*
 * user/lib/malloc.c - malloc() and free() on top of sbrk().
 *
 * The heap is cut into chunks that sit back to back. Every chunk starts with
 * a 16-byte header; a free chunk also holds two list pointers:
 *
 *   chunk -> +------------------+
 *            | prev_size        |  size of the chunk before, valid only
 *            |                  |  while that chunk is free
 *            | head             |  size of this chunk | CINUSE | PINUSE
 *   user  -> +------------------+  (16-byte aligned)
 *            | next, prev       |  bin links (free chunks only)
 *            | ...              |
 *            +------------------+  next chunk: its prev_size, head, ...
 *
 * Sizes are multiples of 16, so the low bits of head hold two flags: whether
 * this chunk is in use and whether the chunk before it is. These "boundary
 * tags" let free() find both neighbours in constant time and merge with
 * those that are free, so the heap never holds two free chunks side by side.
 *
 * Free chunks wait in bins by size: one bin per 16-byte size below 512
 * bytes, then one per power of two. malloc() takes the first chunk that is
 * big enough, starting from the bin for the request, and splits off the
 * rest when that leaves a chunk of at least MIN_CHUNK.
 *
 * A run of chunks obtained from one or more adjacent sbrk() calls is a
 * segment. It begins with a chunk whose PINUSE is set (nothing before it to
 * merge with) and ends with an epilogue: a bare header of size 0 marked in
 * use, which stops merges past the end. When sbrk() hands out memory right
 * after the current segment, the epilogue becomes the header of the new
 * chunk; when something else moved the break in between (a program may call
 * sbrk() itself), a new segment starts.
 *
 * When free() leaves a large free chunk at the very top of the heap, all but
 * KEEP_TOP bytes of it go back to the kernel with a negative sbrk().
 */
#include "user/user.h"

#define CINUSE 1UL /* this chunk is allocated */
#define PINUSE 2UL /* the chunk before this one is allocated */
#define FLAGS (CINUSE | PINUSE)

#define HDR 16UL	     /* header bytes before the user's pointer */
#define MIN_CHUNK 32UL	     /* header + two list pointers */
#define GROW_MIN (64 * 1024) /* ask sbrk() for at least this much */
#define TRIM_AT (256 * 1024) /* trim a free top chunk this big ... */
#define KEEP_TOP (64 * 1024) /* ... down to this */
#define PGSIZE 4096UL

#define NSMALL 32 /* exact bins for sizes 0, 16, ..., 496 */
#define NBINS 64

struct chunk {
	uint64 prev_size;
	uint64 head;
	struct chunk *next; /* free chunks only */
	struct chunk *prev;
};

static struct chunk bins[NBINS]; /* list heads: circular, doubly linked */
static struct chunk *epilogue;	 /* end marker of the newest segment */
static char *seg_end;		 /* the break right after that segment */

static uint64 chunk_size(struct chunk *c)
{
	return c->head & ~FLAGS;
}

static struct chunk *chunk_at(void *base, uint64 off)
{
	return (struct chunk *)((char *)base + off);
}

static int bin_index(uint64 size)
{
	int i = NSMALL;

	if (size < NSMALL * 16)
		return size / 16;
	/* [512, 1024) -> NSMALL, [1024, 2048) -> NSMALL + 1, ... */
	for (size >>= 10; size != 0 && i < NBINS - 1; size >>= 1)
		i++;
	return i;
}

static void bin_insert(struct chunk *c)
{
	struct chunk *b = &bins[bin_index(chunk_size(c))];

	if (b->next == 0)
		b->next = b->prev = b;
	c->next = b->next;
	c->prev = b;
	b->next->prev = c;
	b->next = c;
}

static void bin_remove(struct chunk *c)
{
	c->prev->next = c->next;
	c->next->prev = c->prev;
}

/* Mark @c (of @size bytes, PINUSE already right) free and tell its successor. */
static void mark_free(struct chunk *c, uint64 size)
{
	struct chunk *next = chunk_at(c, size);

	c->head = size | (c->head & PINUSE);
	next->prev_size = size;
	next->head &= ~PINUSE;
}

/* Give a large free top chunk back to the kernel, keeping KEEP_TOP bytes. */
static void trim_top(struct chunk *c)
{
	uint64 size = chunk_size(c);
	uint64 release;
	char *brk;

	if (chunk_at(c, size) != epilogue || size < TRIM_AT || sbrk(0) != seg_end)
		return;
	release = (size - KEEP_TOP) & ~(PGSIZE - 1);
	brk = seg_end;
	while (release > 0) {
		int step = release > (1UL << 30) ? (1 << 30) : (int)release;
		if (sbrk(-step) == (char *)-1)
			break;
		brk -= step;
		release -= step;
	}
	if (brk == seg_end)
		return;
	/* The new epilogue sits in the last 16-byte slot below the new break. */
	bin_remove(c);
	seg_end = brk;
	epilogue = (struct chunk *)(((uint64)brk & ~15UL) - HDR);
	c->head = ((char *)epilogue - (char *)c) | (c->head & PINUSE);
	epilogue->head = CINUSE;
	epilogue->prev_size = chunk_size(c);
	bin_insert(c);
}

/*
 * release - make the allocated chunk @c free, merging it with free
 * neighbours, and file it in a bin. Return: the (possibly merged) chunk.
 */
static struct chunk *release(struct chunk *c)
{
	uint64 size = chunk_size(c);
	struct chunk *next = chunk_at(c, size);

	if (!(next->head & CINUSE)) {
		bin_remove(next);
		size += chunk_size(next);
	}
	if (!(c->head & PINUSE)) {
		struct chunk *prev = chunk_at(c, -c->prev_size);
		bin_remove(prev);
		size += chunk_size(prev);
		c = prev;
	}
	mark_free(c, size);
	bin_insert(c);
	return c;
}

/* Get at least @need more bytes of chunk from sbrk(). Return: 0 or -1. */
static int grow(uint64 need)
{
	uint64 want = (need + 2 * HDR + 16 + PGSIZE - 1) & ~(PGSIZE - 1);
	uint64 minimal = want;
	struct chunk *c;
	char *p;

	if (want < GROW_MIN)
		want = GROW_MIN;
	if (want > 0x7ffff000)
		return -1;
	p = sbrk(want);
	if (p == (char *)-1 && minimal < want) {
		want = minimal;
		p = sbrk(want);
	}
	if (p == (char *)-1)
		return -1;

	if (epilogue != 0 && p == seg_end) {
		/* Contiguous: the old epilogue becomes the new chunk's header. */
		c = epilogue;
	} else {
		/* A new segment; nothing before it can be merged. */
		c = (struct chunk *)(((uint64)p + 15) & ~15UL);
		c->head = PINUSE;
	}
	seg_end = p + want;
	epilogue = (struct chunk *)(((uint64)seg_end & ~15UL) - HDR);
	epilogue->head = CINUSE | PINUSE;
	c->head = ((char *)epilogue - (char *)c) | CINUSE | (c->head & PINUSE);
	release(c);
	return 0;
}

/* Find a free chunk of at least @size bytes and take it out of its bin. */
static struct chunk *take_fit(uint64 size)
{
	for (int i = bin_index(size); i < NBINS; i++) {
		struct chunk *b = &bins[i];
		if (b->next == 0)
			continue;
		for (struct chunk *c = b->next; c != b; c = c->next) {
			if (chunk_size(c) >= size) {
				bin_remove(c);
				return c;
			}
		}
	}
	return 0;
}

/*
 * malloc - allocate @nbytes of memory, 16-byte aligned, uninitialised.
 * Return: the memory, or NULL when sbrk() cannot provide it.
 */
void *malloc(uint nbytes)
{
	uint64 size = ((uint64)nbytes + HDR + 15) & ~15UL;
	uint64 have;
	struct chunk *c;

	if (size < MIN_CHUNK)
		size = MIN_CHUNK;
	c = take_fit(size);
	if (c == 0) {
		if (grow(size) < 0)
			return 0;
		c = take_fit(size);
		if (c == 0)
			return 0;
	}
	have = chunk_size(c);
	if (have - size >= MIN_CHUNK) {
		/* Split: the tail stays free. Its successor already knows that the
		 * chunk before it is free; only the size changes. */
		struct chunk *rest = chunk_at(c, size);
		rest->head = (have - size) | PINUSE;
		chunk_at(rest, have - size)->prev_size = have - size;
		bin_insert(rest);
		have = size;
	} else {
		chunk_at(c, have)->head |= PINUSE;
	}
	c->head = have | CINUSE | (c->head & PINUSE);
	return (char *)c + HDR;
}

/*
 * free - give back memory from malloc(); free(NULL) does nothing.
 * A pointer that malloc() did not return, or one freed twice, is reported
 * on fd 2 and otherwise ignored.
 */
void free(void *ptr)
{
	struct chunk *c;

	if (ptr == 0)
		return;
	c = (struct chunk *)((char *)ptr - HDR);
	if (((uint64)ptr & 15) != 0 || !(c->head & CINUSE) || chunk_size(c) < MIN_CHUNK) {
		fprintf(2, "free: %p was not allocated (or was freed twice)\n", ptr);
		return;
	}
	trim_top(release(c));
}
