/*
 * kernel/list.h - circular doubly linked lists with a sentinel head,
 * under Linux's names (struct list_head, list_add, list_del, ...).
 *
 * The links live inside the listed object (an "intrusive" list): a struct
 * page's lru field links it into a buddy free list or a per-CPU list, and
 * list_entry() (container_of) gets from the links back to the page.
 *
 *   head <-> a.lru <-> b.lru <-> c.lru <-> (back to head)
 *
 * An empty list is a head pointing at itself. Nothing here locks: the
 * owner of the list holds whatever lock protects it.
 *
 * See: Linux include/linux/list.h for the same interface.
 */
#ifndef _KERNEL_LIST_H
#define _KERNEL_LIST_H

#include <kernel/types.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)     \
	{                        \
		&(name), &(name) \
	}

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void __list_add(struct list_head *entry, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = entry;
	entry->next = next;
	entry->prev = prev;
	prev->next = entry;
}

/* Insert @entry right after @head (a stack: the newest is first). */
static inline void list_add(struct list_head *entry, struct list_head *head)
{
	__list_add(entry, head, head->next);
}

/* Insert @entry right before @head (a queue: the newest is last). */
static inline void list_add_tail(struct list_head *entry, struct list_head *head)
{
	__list_add(entry, head->prev, head);
}

/* Unlink @entry; its links are poisoned so a second list_del faults. */
static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = NULL;
	entry->prev = NULL;
}

/* Move @entry from its list to the front of @head. */
static inline void list_move(struct list_head *entry, struct list_head *head)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	list_add(entry, head);
}

/* Move @entry from its list to the back of @head. */
static inline void list_move_tail(struct list_head *entry, struct list_head *head)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	list_add_tail(entry, head);
}

static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)
#define list_last_entry(head, type, member) list_entry((head)->prev, type, member)
/* The first entry, or NULL when the list is empty. */
#define list_first_entry_or_null(head, type, member) \
	(list_empty(head) ? NULL : list_first_entry(head, type, member))

#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/*
 * The list_head inside @pos, computed without dereferencing @pos: at the end
 * of a walk @pos is the head "entry", which is not a real object.
 */
#define __list_member(pos, member) \
	((struct list_head *)((char *)(pos) + offsetof(__typeof__(*(pos)), member)))

/* Visit each entry; @pos is a pointer to the containing type. */
#define list_for_each_entry(pos, head, member)                             \
	for ((pos) = list_entry((head)->next, __typeof__(*(pos)), member); \
	     __list_member(pos, member) != (head);                         \
	     (pos) = list_entry((pos)->member.next, __typeof__(*(pos)), member))

/* The same, safe against list_del of @pos: @n holds the next entry. */
#define list_for_each_entry_safe(pos, n, head, member)                        \
	for ((pos) = list_entry((head)->next, __typeof__(*(pos)), member),    \
	    (n) = list_entry((pos)->member.next, __typeof__(*(pos)), member); \
	     __list_member(pos, member) != (head);                            \
	     (pos) = (n), (n) = list_entry((n)->member.next, __typeof__(*(n)), member))

#endif /* _KERNEL_LIST_H */
