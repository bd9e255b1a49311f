/*
 * tools/bench/vmap_area_bench.c - cost of a vmap_area allocation with 1,000
 * and with 10,000 live areas (host build of mm/vmap_area.c).
 *
 * Each measure_* function performs the same work, ROUNDS allocate+free
 * pairs of random sizes, on a space that already holds N live areas with
 * holes between them. Run under callgrind with --toggle-collect=measure_*:
 * the instruction counts of the two functions, divided by ROUNDS, are the
 * cost per pair. A linear scan would cost ~10x more with 10x the areas; the
 * augmented tree should cost only a few more levels (log2 10 = 3.3).
 */
#include "vmap_area.h"

#include <stdio.h>
#include <stdlib.h>

#define PG 4096UL
#define ROUNDS 2000

static struct vmap_area *node_alloc(void)
{
	return calloc(1, sizeof(struct vmap_area));
}

static void node_free(struct vmap_area *va)
{
	free(va);
}

static void populate(struct vmap_space *s, int n, struct vmap_area **live)
{
	/* n live areas; free every third one so the free tree has n/3 holes */
	for (int i = 0; i < n; i++)
		live[i] = vmap_space_alloc(s, PG * (1 + i % 4), PG);
	for (int i = 0; i < n; i += 3) {
		vmap_space_free(s, live[i]);
		live[i] = NULL;
	}
}

static void __attribute__((noinline)) work(struct vmap_space *s)
{
	struct vmap_area *tmp[8];

	for (int r = 0; r < ROUNDS; r++) {
		int k = r % 8;
		tmp[k] = vmap_space_alloc(s, PG * (1 + (r * 7) % 5), PG << (r % 3));
		if (k == 7)
			for (int j = 0; j < 8; j++)
				if (tmp[j])
					vmap_space_free(s, tmp[j]);
	}
}

static void __attribute__((noinline)) measure_1000(struct vmap_space *s)
{
	work(s);
}

static void __attribute__((noinline)) measure_10000(struct vmap_space *s)
{
	work(s);
}

int main(void)
{
	static struct vmap_area *live[10000];
	struct vmap_space a, b;

	vmap_space_init(&a, 1UL << 40, (1UL << 40) + (64UL << 30), node_alloc, node_free);
	vmap_space_init(&b, 1UL << 40, (1UL << 40) + (64UL << 30), node_alloc, node_free);
	populate(&a, 1000, live);
	populate(&b, 10000, live);
	measure_1000(&a);
	measure_10000(&b);
	printf("rounds %d\n", ROUNDS);
	return 0;
}
