/*
 * mm/slab_debug.c - the slab allocator's debugging (boot argument
 * slab_debug): the checks on every allocation and free of a debug cache,
 * the reports, and slab_validate(), the checker the tests run.
 *
 * A debug cache (mm/slab.h draws its slot: red zones around the object, the
 * free pointer and a struct slab_track after it) takes no per-CPU fast
 * path: alloc_debug() and free_debug() work under node.list_lock on the
 * node's own lists, so every object is checked at both ends of its life:
 *
 *   allocation   the free object's red zones are 0xbb and its poison intact
 *                (0x6b, last byte 0xa5): otherwise something wrote to it
 *                while it was free; then red zones 0xcc, the caller, CPU,
 *                pid and a sequence number (kmemleak) are recorded, and for
 *                kmalloc the bytes past the size asked for become red zone
 *   free         the pointer is an object's start, the object is allocated
 *                (else a double free), its red zones are intact; then it is
 *                poisoned and marked free
 *
 * Each finding is one report (slab_bug): the cache, the object, the caller,
 * where the object was allocated and last freed, and a backtrace; the
 * damage is repaired (red zones, poison) or the operation refused (a double
 * free, a bad pointer), and the kernel goes on. slab_error_count and
 * slab_last_error let tests see what was reported.
 *
 * See: mm/slab.c, mm/slab.h, mm/kmemleak.c, Linux mm/slub.c (its
 * slub_debug part) and Documentation/mm/slub.rst.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/proc.h>
#include "slab.h"

unsigned long slab_error_count;
struct slab_error_report slab_last_error;
unsigned long slab_alloc_seq;

/* ---- debugging --------------------------------------------------------------- */

static void restore_bytes(u8 *from, u8 *to, int value)
{
	memset(from, value, (size_t)(to - from));
}

/*
 * slab_bug - report a finding of the debugging checks: one block in the
 * log with the cache, the object, the caller and the object's history.
 */
void slab_bug(struct kmem_cache *s, const void *object, unsigned long caller, const char *what,
	      const char *fmt, ...)
{
	char detail[160], sym[96], sym2[96], sym3[96];
	va_list ap;

	detail[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	slab_error_count++;
	slab_last_error = (struct slab_error_report){s->name, what, object, caller};
	printk("=============================================================================\n");
	printk("BUG %s: %s\n", s->name, what);
	printk("-----------------------------------------------------------------------------\n");
	printk("object 0x%llx (%u bytes) of cache %s, caller %s\n", (u64)(uintptr_t)object,
	       s->object_size, s->name, slab_symbol(caller, sym, sizeof(sym)));
	if (detail[0])
		printk("%s\n", detail);
	if ((s->flags & SLAB_STORE_USER) && object) {
		struct page *slab = virt_to_head_page(object);
		const char *err = slab_check_pointer(s, slab, object);

		if (!err) {
			struct slab_track *t = get_track(s, object);

			printk("allocated by %s (cpu %u, pid %u)%s%s\n",
			       slab_symbol(t->alloc_caller, sym2, sizeof(sym2)), t->cpu, t->pid,
			       t->free_caller ? ", last freed by " : "",
			       t->free_caller ? slab_symbol(t->free_caller, sym3, sizeof(sym3))
					      : "");
		}
	}
	dump_stack();
}

/* Is every byte of [@start, @start + @len) @value? If not, report and repair. */
static bool check_bytes(struct kmem_cache *s, const void *object, unsigned long caller,
			const char *what, u8 *start, unsigned int len, u8 value)
{
	u8 *end = start + len, *bad = NULL;

	for (u8 *p = start; p < end; p++) {
		if (*p != value) {
			bad = p;
			break;
		}
	}
	if (!bad)
		return true;
	u8 *last = bad;
	for (u8 *p = end; p > bad; p--) {
		if (p[-1] != value) {
			last = p - 1;
			break;
		}
	}
	/* e.g. "bytes object+40..+43 (0x...28-0x...2b): found 0x11, expected 0xcc; restored" */
	slab_bug(s, object, caller, what,
		 "bytes object%+ld..%+ld (0x%llx-0x%llx): found 0x%02x, expected 0x%02x; restored",
		 (long)(bad - (u8 *)object), (long)(last - (u8 *)object), (u64)(uintptr_t)bad,
		 (u64)(uintptr_t)last, *bad, value);
	restore_bytes(start, end, value);
	return false;
}

/*
 * check_object - are @object's red zones (and, while free, its poison)
 * intact? @val is the red zone value it should have: SLUB_RED_ACTIVE for
 * an allocated object, SLUB_RED_INACTIVE for a free one. Reports and
 * repairs what is not. Context: node.list_lock held.
 */
static bool check_object(struct kmem_cache *s, void *object, u8 val, unsigned long caller)
{
	u8 *p = object;
	bool ok = true;

	if (s->flags & SLAB_RED_ZONE) {
		ok &= check_bytes(s, object, caller, "left red zone overwritten",
				  p - s->red_left_pad, s->red_left_pad, val);
		ok &= check_bytes(s, object, caller, "right red zone overwritten",
				  p + s->object_size, s->inuse - s->object_size, val);
		if (val == SLUB_RED_ACTIVE && (s->flags & SLAB_KMALLOC) &&
		    (s->flags & SLAB_STORE_USER)) {
			unsigned int orig = get_track(s, object)->orig_size;

			if (orig < s->object_size)
				ok &=
				    check_bytes(s, object, caller,
						"kmalloc red zone overwritten (past the size asked "
						"for)",
						p + orig, s->object_size - orig, val);
		}
	}
	if (val == SLUB_RED_INACTIVE && (s->flags & SLAB_POISON) && !s->ctor) {
		ok &= check_bytes(s, object, caller, "poison overwritten (written after free)", p,
				  s->object_size - 1, POISON_FREE);
		ok &= check_bytes(s, object, caller, "poison overwritten (written after free)",
				  p + s->object_size - 1, 1, POISON_END);
	}
	return ok;
}

/* Fill @object's red zones with @val and, for a free object, its poison. */
static void init_object(struct kmem_cache *s, void *object, u8 val)
{
	u8 *p = object;

	if (s->flags & SLAB_RED_ZONE) {
		memset(p - s->red_left_pad, val, s->red_left_pad);
		memset(p + s->object_size, val, s->inuse - s->object_size);
	}
	if (val == SLUB_RED_INACTIVE && (s->flags & SLAB_POISON) && !s->ctor) {
		memset(p, POISON_FREE, s->object_size - 1);
		p[s->object_size - 1] = POISON_END;
	}
}

const char *slab_check_pointer(struct kmem_cache *s, struct page *slab, const void *object)
{
	const u8 *base = (const u8 *)slab_address(slab) + slab->s_mem + s->red_left_pad;
	long off = (const u8 *)object - base;

	if (off < 0 || off >= (long)slab->objects * (long)s->size)
		return "pointer outside the slab's objects";
	if (off % s->size)
		return "pointer inside an object, not at its start";
	return NULL;
}

/* Is @object on @slab's freelist? (double-free check without tracking) */
static bool on_freelist(struct kmem_cache *s, struct page *slab, void *object)
{
	unsigned int n = 0;

	for (void *p = slab->freelist; p && n <= slab->objects; p = get_freepointer(s, p), n++)
		if (p == object)
			return true;
	return false;
}

static int current_pid(void)
{
	struct proc *p = myproc();

	return p ? p->pid : 0;
}

static void set_track_alloc(struct kmem_cache *s, void *object, unsigned long caller,
			    size_t orig_size)
{
	struct slab_track *t = get_track(s, object);

	t->alloc_caller = caller;
	t->free_caller = 0;
	t->seq = __atomic_add_fetch(&slab_alloc_seq, 1, __ATOMIC_RELAXED);
	t->orig_size = (u32)MIN(orig_size, (size_t)s->object_size);
	t->pid = (u16)current_pid();
	t->cpu = (u8)cpuid();
	t->state = SLAB_OBJ_ALLOCATED;
}

void slab_debug_set_size(struct kmem_cache *s, void *object, size_t size)
{
	if (!(s->flags & SLAB_STORE_USER))
		return;
	struct slab_track *t = get_track(s, object);

	if (size > s->object_size)
		size = s->object_size;
	if ((s->flags & SLAB_RED_ZONE) && size < s->object_size)
		memset((u8 *)object + size, SLUB_RED_ACTIVE, s->object_size - size);
	t->orig_size = (u32)size;
}

size_t slab_debug_orig_size(struct kmem_cache *s, const void *object)
{
	if (!(s->flags & SLAB_STORE_USER))
		return s->object_size;
	return get_track(s, object)->orig_size;
}

/* A new slab's objects, debug caches: free state everywhere. */
void setup_debug_objects(struct kmem_cache *s, struct page *slab)
{
	unsigned int i;
	void *p;

	for_each_object(p, s, slab, i) {
		init_object(s, p, SLUB_RED_INACTIVE);
		if (s->flags & SLAB_STORE_USER) {
			memset(get_track(s, p), 0, sizeof(struct slab_track));
			get_track(s, p)->state = SLAB_OBJ_FREE;
		}
	}
}

/*
 * alloc_debug - a debug cache's allocation: under the node lock, from the
 * node's partial slabs or a new one; the object is checked (red zones,
 * poison: was it written while free?), marked allocated and tracked.
 */
void *alloc_debug(struct kmem_cache *s, gfp_t gfp, unsigned long caller, size_t orig_size)
{
	struct kmem_cache_node *n = &s->node;
	struct page *slab;
	void *object, *next;

	spin_lock(&n->list_lock);
	while (list_empty(&n->partial)) {
		spin_unlock(&n->list_lock);
		slab = allocate_slab(s, gfp);
		if (!slab)
			return NULL;
		spin_lock(&n->list_lock);
		account_new_slab(n, slab);
		list_add(&slab->slab_list, &n->partial);
		n->nr_partial++;
	}
	slab = list_first_entry(&n->partial, struct page, slab_list);
	object = slab->freelist;
	if ((s->flags & SLAB_CONSISTENCY_CHECKS) && slab_check_pointer(s, slab, object)) {
		slab_bug(s, object, caller, "freelist corrupted",
			 "slab 0x%llx: its free list points to 0x%llx; the slab's remaining free "
			 "objects are dropped",
			 (u64)(uintptr_t)slab_address(slab), (u64)(uintptr_t)object);
		n->free_objects -= slab->objects - slab->inuse;
		slab->inuse = slab->objects;
		slab->freelist = NULL;
		list_move(&slab->slab_list, &n->full);
		n->nr_partial--;
		spin_unlock(&n->list_lock);
		return alloc_debug(s, gfp, caller, orig_size);
	}
	check_object(s, object, SLUB_RED_INACTIVE, caller);
	next = get_freepointer(s, object);
	if (next && (s->flags & SLAB_CONSISTENCY_CHECKS) && slab_check_pointer(s, slab, next)) {
		slab_bug(s, object, caller, "free pointer overwritten",
			 "the free object's next pointer is 0x%llx; the rest of the slab's free "
			 "list is dropped",
			 (u64)(uintptr_t)next);
		n->free_objects -= slab->objects - slab->inuse - 1;
		slab->inuse = slab->objects - 1;
		next = NULL;
	}
	slab->freelist = next;
	slab->inuse++;
	n->free_objects--;
	if (!next) {
		list_move(&slab->slab_list, &n->full);
		n->nr_partial--;
	}
	init_object(s, object, SLUB_RED_ACTIVE);
	if (s->flags & SLAB_STORE_USER)
		set_track_alloc(s, object, caller, orig_size);
	spin_unlock(&n->list_lock);
	if (gfp & __GFP_ZERO) {
		memset(object, 0, s->object_size);
		if ((s->flags & SLAB_KMALLOC) && (s->flags & SLAB_RED_ZONE))
			slab_debug_set_size(s, object, orig_size);
	} else if ((s->flags & SLAB_KMALLOC) && (s->flags & SLAB_RED_ZONE) &&
		   (s->flags & SLAB_STORE_USER) && orig_size < s->object_size) {
		memset((u8 *)object + orig_size, SLUB_RED_ACTIVE, s->object_size - orig_size);
	}
	return object;
}

/*
 * free_debug - a debug cache's free: the pointer must be an object's start,
 * the object allocated (else a double free), its red zones intact; then it
 * is poisoned and tracked as free.
 */
void free_debug(struct kmem_cache *s, struct page *slab, void *object, unsigned long caller)
{
	struct kmem_cache_node *n = &s->node;
	struct list_head discard = LIST_HEAD_INIT(discard);
	const char *err;
	void *prior;

	spin_lock(&n->list_lock);
	err = slab_check_pointer(s, slab, object);
	if (err) {
		spin_unlock(&n->list_lock);
		slab_bug(s, object, caller, "invalid free", "%s: not freed", err);
		return;
	}
	if (s->flags & SLAB_STORE_USER) {
		struct slab_track *t = get_track(s, object);

		if (t->state != SLAB_OBJ_ALLOCATED) {
			spin_unlock(&n->list_lock);
			slab_bug(s, object, caller,
				 t->state == SLAB_OBJ_FREE ? "double free"
							   : "tracking data overwritten",
				 "the object is not allocated: this free is ignored");
			return;
		}
	} else if ((s->flags & SLAB_CONSISTENCY_CHECKS) && on_freelist(s, slab, object)) {
		spin_unlock(&n->list_lock);
		slab_bug(s, object, caller, "double free",
			 "the object is on its slab's free list: this free is ignored");
		return;
	}
	check_object(s, object, SLUB_RED_ACTIVE, caller);
	init_object(s, object, SLUB_RED_INACTIVE);
	if (s->flags & SLAB_STORE_USER) {
		get_track(s, object)->free_caller = caller;
		get_track(s, object)->state = SLAB_OBJ_FREE;
	}
	prior = slab->freelist;
	set_freepointer(s, object, prior);
	slab->freelist = object;
	slab->inuse--;
	n->free_objects++;
	if (!prior) {
		list_move_tail(&slab->slab_list, &n->partial);
		n->nr_partial++;
	}
	if (slab->inuse == 0 && n->nr_partial > s->min_partial) {
		list_del(&slab->slab_list);
		n->nr_partial--;
		unaccount_slab(n, slab);
		list_add(&slab->slab_list, &discard);
	}
	spin_unlock(&n->list_lock);
	discard_list(s, &discard);
}

void kfree_bug(const void *p, unsigned long caller, const char *what)
{
	char sym[96];

	slab_error_count++;
	slab_last_error = (struct slab_error_report){"kmalloc", what, p, caller};
	printk("=============================================================================\n");
	printk("BUG kfree: %s\n", what);
	printk("-----------------------------------------------------------------------------\n");
	printk("pointer 0x%llx, caller %s: not freed\n", (u64)(uintptr_t)p,
	       slab_symbol(caller, sym, sizeof(sym)));
	dump_stack();
}

/* ---- the checker ------------------------------------------------------------------ */

#define VFAIL(...)                                \
	do {                                      \
		snprintf(why, size, __VA_ARGS__); \
		goto fail;                        \
	} while (0)

/* Walk @slab's freelist (and @extra, a CPU freelist): each object once, inside the slab. */
static int check_slab(struct kmem_cache *s, struct page *slab, void *extra, unsigned int *nfree,
		      char *why, size_t size)
{
	u64 seen[MAX_OBJS_PER_SLAB / 64];
	unsigned int n = 0;

	if (!PageSlab(slab) || slab->slab_cache != s)
		VFAIL("%s: slab 0x%llx is not marked as this cache's", s->name,
		      (u64)(uintptr_t)slab_address(slab));
	if (slab->inuse > slab->objects)
		VFAIL("%s: slab 0x%llx has inuse %u > objects %u", s->name,
		      (u64)(uintptr_t)slab_address(slab), slab->inuse, slab->objects);
	memset(seen, 0, (slab->objects + 63) / 64 * 8);
	for (int pass = 0; pass < 2; pass++) {
		for (void *p = pass ? extra : slab->freelist; p; p = get_freepointer(s, p)) {
			const char *err = slab_check_pointer(s, slab, p);
			unsigned long i;

			if (err)
				VFAIL("%s: free list of slab 0x%llx holds 0x%llx: %s", s->name,
				      (u64)(uintptr_t)slab_address(slab), (u64)(uintptr_t)p, err);
			i = (unsigned long)((char *)p - (char *)slab_object(s, slab, 0)) / s->size;
			if (seen[i / 64] & (1ULL << (i % 64)))
				VFAIL("%s: object 0x%llx is on the free lists twice", s->name,
				      (u64)(uintptr_t)p);
			seen[i / 64] |= 1ULL << (i % 64);
			if (++n > slab->objects)
				VFAIL("%s: free list of slab 0x%llx loops", s->name,
				      (u64)(uintptr_t)slab_address(slab));
			if (pass == 0 && slab_debug(s)) {
				if ((s->flags & SLAB_STORE_USER) &&
				    get_track(s, p)->state != SLAB_OBJ_FREE)
					VFAIL("%s: free object 0x%llx is not marked free", s->name,
					      (u64)(uintptr_t)p);
			}
		}
		if (pass == 0 && n != (unsigned int)(slab->objects - slab->inuse))
			VFAIL("%s: slab 0x%llx: %u objects on its free list, inuse %u of %u",
			      s->name, (u64)(uintptr_t)slab_address(slab), n, slab->inuse,
			      slab->objects);
	}
	*nfree = n;
	return 0;
fail:
	return -1;
}

int slab_validate(struct kmem_cache *s, char *why, size_t size)
{
	struct kmem_cache_node *n = &s->node;
	unsigned long slabs = 0, objects = 0, free = 0, partial = 0;
	unsigned int nf;
	struct page *slab;
	int ret = -1;

	spin_lock(&n->list_lock);
	list_for_each_entry(slab, &n->partial, slab_list) {
		if (slab->frozen || !slab->freelist)
			VFAIL("%s: slab 0x%llx on node.partial is %s", s->name,
			      (u64)(uintptr_t)slab_address(slab), slab->frozen ? "frozen" : "full");
		if (check_slab(s, slab, NULL, &nf, why, size))
			goto fail;
		slabs++, partial++, objects += slab->objects, free += nf;
	}
	list_for_each_entry(slab, &n->full, slab_list) {
		if (slab->frozen || slab->freelist || slab->inuse != slab->objects)
			VFAIL("%s: slab 0x%llx on node.full is not full (inuse %u of %u)", s->name,
			      (u64)(uintptr_t)slab_address(slab), slab->inuse, slab->objects);
		slabs++, objects += slab->objects;
	}
	for (int cpu = 0; cpu < NCPU; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		unsigned int np = 0;

		if (slab_debug(s) && (c->slab || c->nr_partial))
			VFAIL("%s: a debug cache has CPU slabs", s->name);
		if (c->slab) {
			if (!c->slab->frozen)
				VFAIL("%s: CPU%d's slab is not frozen", s->name, cpu);
			if (check_slab(s, c->slab, c->freelist, &nf, why, size))
				goto fail;
			slabs++, objects += c->slab->objects, free += nf;
		} else if (c->freelist) {
			VFAIL("%s: CPU%d has a freelist but no slab", s->name, cpu);
		}
		list_for_each_entry(slab, &c->partial, slab_list) {
			if (!slab->frozen || !slab->freelist)
				VFAIL("%s: CPU%d's partial slab 0x%llx is %s", s->name, cpu,
				      (u64)(uintptr_t)slab_address(slab),
				      !slab->frozen ? "not frozen" : "full");
			if (check_slab(s, slab, NULL, &nf, why, size))
				goto fail;
			slabs++, np++, objects += slab->objects, free += nf;
		}
		if (np != c->nr_partial)
			VFAIL("%s: CPU%d has %u partial slabs, counts %u", s->name, cpu, np,
			      c->nr_partial);
	}
	if (partial != n->nr_partial || slabs != n->nr_slabs || objects != n->total_objects)
		VFAIL("%s: counts: %lu slabs (node says %lu), %lu objects (%lu), %lu partial (%lu)",
		      s->name, slabs, n->nr_slabs, objects, n->total_objects, partial,
		      n->nr_partial);
	{
		unsigned long cpu_free = 0;

		for (int cpu = 0; cpu < NCPU; cpu++)
			cpu_free += s->cpu_slab[cpu].nr_free;
		if (free != n->free_objects + cpu_free)
			VFAIL("%s: %lu free objects found, counts say %lu + %lu on CPUs", s->name,
			      free, n->free_objects, cpu_free);
	}
	ret = 0;
fail:
	spin_unlock(&n->list_lock);
	return ret;
}
