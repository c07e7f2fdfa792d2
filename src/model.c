#include "config.h"

#include "model.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_ids.h"
#include "xalloc.h"

static const char *const kind_names[KIND_COUNT] = {
	[KIND_PIPE] = "pipe",           [KIND_FIFO] = "fifo",
	[KIND_UNIX] = "unix",           [KIND_TCP] = "tcp",
	[KIND_UDP] = "udp",             [KIND_POSIX_SHM] = "posix_shm",
	[KIND_POSIX_SEM] = "posix_sem", [KIND_POSIX_MQ] = "posix_mq",
	[KIND_SYSV_SHM] = "sysv_shm",   [KIND_SYSV_MSG] = "sysv_msg",
	[KIND_SYSV_SEM] = "sysv_sem",   [KIND_MMAP] = "mmap",
	[KIND_MEMFD] = "memfd",         [KIND_EVENTFD] = "eventfd",
};

const char *kind_name(enum obj_kind k)
{
	return (unsigned)k < KIND_COUNT ? kind_names[k] : "?";
}

int kind_parse(const char *s)
{
	char buf[32];
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof(buf))
		return -1;
	for (size_t i = 0; i <= n; i++)
		buf[i] = s[i] == '-' ? '_' : s[i];
	for (int k = 0; k < KIND_COUNT; k++)
		if (strcmp(buf, kind_names[k]) == 0)
			return k;
	/* families, as a user would type them */
	if (strcmp(buf, "sysv") == 0 || strcmp(buf, "posix") == 0 ||
	    strcmp(buf, "socket") == 0 || strcmp(buf, "shm") == 0)
		return -2;
	return -1;
}

static unsigned kind_family(const char *s)
{
	if (strcmp(s, "sysv") == 0)
		return KIND_BIT(KIND_SYSV_SHM) | KIND_BIT(KIND_SYSV_MSG) | KIND_BIT(KIND_SYSV_SEM);
	if (strcmp(s, "posix") == 0)
		return KIND_BIT(KIND_POSIX_SHM) | KIND_BIT(KIND_POSIX_SEM) | KIND_BIT(KIND_POSIX_MQ);
	if (strcmp(s, "socket") == 0)
		return KIND_BIT(KIND_UNIX) | KIND_BIT(KIND_TCP) | KIND_BIT(KIND_UDP);
	if (strcmp(s, "shm") == 0)
		return KIND_BIT(KIND_POSIX_SHM) | KIND_BIT(KIND_SYSV_SHM);
	return 0;
}

unsigned kind_parse_list(const char *s, const char **bad, size_t *badlen)
{
	unsigned mask = 0;
	const char *p = s;

	*bad = NULL;
	*badlen = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		char buf[32];
		int k;

		if (n == 0 || n >= sizeof(buf)) {
			*bad = p;
			*badlen = n;
			return 0;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		k = kind_parse(buf);
		if (k == -1) {
			*bad = p;
			*badlen = n;
			return 0;
		}
		mask |= k >= 0 ? KIND_BIT(k) : kind_family(buf);
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	return mask;
}

static const char *const flag_names[FLAG_COUNT] = {
	"orphan", "dest", "deleted", "no_reader", "no_writer", "full", "stuck", "waiters", "new",
};

const char *flag_name(unsigned bit_index)
{
	return bit_index < FLAG_COUNT ? flag_names[bit_index] : "?";
}

const char *via_name(enum ep_via v)
{
	static const char *const n[] = { "fd", "map", "lastop", "creator", "waiter" };
	return (unsigned)v < sizeof(n) / sizeof(n[0]) ? n[v] : "?";
}

const char *mode_name(enum ep_mode m)
{
	static const char *const n[] = { "", "r", "w", "rw" };
	return (unsigned)m < sizeof(n) / sizeof(n[0]) ? n[m] : "";
}

const char *role_name(enum ep_role r)
{
	static const char *const n[] = {
		"",	  "reader",   "writer",	 "server",	"client",	 "creator",
		"attacher", "mapper", "last_sender", "last_receiver", "waiter", "holder",
	};
	return (unsigned)r < sizeof(n) / sizeof(n[0]) ? n[r] : "";
}

/* FNV-1a over the id string. */
static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t hash_pid(pid_t pid)
{
	return (size_t)pid * 2654435761u;
}

struct snapshot *snapshot_new(void)
{
	return xcalloc(1, sizeof(struct snapshot));
}

/* A snapshot makes tens of thousands of objects and frees them all at
 * once: each object and its id are carved from blocks of OBJ_BLOCK bytes,
 * and only the blocks are freed (with the snapshot). */
#define OBJ_BLOCK (64 * 1024)

struct obj_block {
	struct obj_block *next;
	size_t used, size;
	max_align_t data[];
};

static void *snapshot_carve(struct snapshot *s, size_t n)
{
	struct obj_block *b = s->blocks;
	void *p;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (!b || b->size - b->used < n) {
		size_t size = n > OBJ_BLOCK ? n : OBJ_BLOCK;

		b = xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		b->next = s->blocks;
		s->blocks = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

/* Frees what an object holds; the object itself goes with its block. */
static void object_free(struct ipc_object *o)
{
	free(o->path);
	free(o->name);
	free(o->local);
	free(o->remote);
	free(o->sems);
	if (o->eps != o->eps_inline)
		free(o->eps);
	free(o->ep_hash);
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nobjs; i++) {
		/* sorted, the objects are all over their blocks: ask for one
		 * ahead of time rather than wait for each */
		if (i + 8 < s->nobjs)
			__builtin_prefetch(s->objs[i + 8]);
		object_free(s->objs[i]);
	}
	for (size_t i = 0; i < s->nprocs; i++) {
		struct ipc_process *p = &s->procs[i];
		free(p->comm);
		free(p->cmdline);
		free(p->user);
		free(p->blocked_syscall);
		free(p->blocked_object);
	}
	while (s->blocks) {
		struct obj_block *b = s->blocks;

		s->blocks = b->next;
		free(b);
	}
	free(s->objs);
	free(s->procs);
	free(s->obj_hash);
	free(s->proc_hash);
	free(s->host);
	free(s);
}

#define SLOT_EMPTY ((size_t)-1)

/* An object slot holds its index in the low 32 bits and the top of its id's
 * hash in the high ones, so a lookup compares strings only on a likely
 * match and never touches the objects it passes over. */
static size_t obj_slot(size_t idx, size_t h)
{
	return (h & ~(size_t)0xffffffff) | (idx & 0xffffffff);
}

static size_t slot_idx(size_t slot)
{
	return slot & 0xffffffff;
}

static bool slot_tag_is(size_t slot, size_t h)
{
	return (slot & ~(size_t)0xffffffff) == (h & ~(size_t)0xffffffff);
}

/* Rehashes s's objects into a table with room for n of them. */
static void obj_hash_resize(struct snapshot *s, size_t n)
{
	size_t cap = 64;

	while (cap < n * 2 + 2)
		cap *= 2;
	free(s->obj_hash);
	s->obj_hash = xmalloc(cap * sizeof(size_t));
	memset(s->obj_hash, 0xff, cap * sizeof(size_t));
	s->obj_hash_cap = cap;
	for (size_t i = 0; i < s->nobjs; i++) {
		size_t full = s->objs[i]->id_hash, h = full & (cap - 1);
		while (s->obj_hash[h] != SLOT_EMPTY)
			h = (h + 1) & (cap - 1);
		s->obj_hash[h] = obj_slot(i, full);
	}
}

static void obj_hash_rebuild(struct snapshot *s)
{
	obj_hash_resize(s, s->nobjs);
}

/* The index in s->objs of the object with this id, or SLOT_EMPTY. */
static size_t find_hashed_idx(const struct snapshot *s, const char *id, size_t full)
{
	if (!s->obj_hash_cap)
		return SLOT_EMPTY;
	for (size_t h = full & (s->obj_hash_cap - 1);; h = (h + 1) & (s->obj_hash_cap - 1)) {
		size_t slot = s->obj_hash[h];
		if (slot == SLOT_EMPTY)
			return SLOT_EMPTY;
		if (slot_tag_is(slot, full) && strcmp(s->objs[slot_idx(slot)]->id, id) == 0)
			return slot_idx(slot);
	}
}

static struct ipc_object *find_hashed(const struct snapshot *s, const char *id, size_t full)
{
	size_t i = find_hashed_idx(s, id, full);

	return i == SLOT_EMPTY ? NULL : s->objs[i];
}

struct ipc_object *snapshot_find(const struct snapshot *s, const char *id)
{
	return find_hashed(s, id, hash_str(id));
}

struct ipc_object *snapshot_find_same(const struct snapshot *s, const struct ipc_object *o)
{
	return find_hashed(s, o->id, o->id_hash);
}

struct ipc_object *snapshot_find_next(const struct snapshot *s, const struct ipc_object *o,
				      size_t *next)
{
	size_t i = *next;

	if (i >= s->nobjs || s->objs[i]->id_hash != o->id_hash || strcmp(s->objs[i]->id, o->id))
		i = find_hashed_idx(s, o->id, o->id_hash);
	if (i == SLOT_EMPTY)
		return NULL;
	*next = i + 1;
	return s->objs[i];
}

/* Appends o (its id not yet in s) and enters it in the id hash. */
static void snapshot_push(struct snapshot *s, struct ipc_object *o)
{
	if (s->nobjs == s->objs_cap) {
		s->objs_cap = s->objs_cap ? s->objs_cap * 2 : 256;
		s->objs = xreallocarray(s->objs, s->objs_cap, sizeof(*s->objs));
	}
	s->objs[s->nobjs++] = o;
	if (s->nobjs * 2 + 2 > s->obj_hash_cap) {
		obj_hash_rebuild(s);
	} else {
		size_t full = o->id_hash, h = full & (s->obj_hash_cap - 1);
		while (s->obj_hash[h] != SLOT_EMPTY)
			h = (h + 1) & (s->obj_hash_cap - 1);
		s->obj_hash[h] = obj_slot(s->nobjs - 1, full);
	}
}

static struct ipc_object *object_new(struct snapshot *s, enum obj_kind kind, const char *id,
				     size_t idlen)
{
	/* the id just before the object, where a look at one sees the other */
	size_t idsize = (idlen + 1 + sizeof(max_align_t) - 1) / sizeof(max_align_t) *
			sizeof(max_align_t);
	char *p = snapshot_carve(s, idsize + sizeof(struct ipc_object));
	struct ipc_object *o = (struct ipc_object *)(p + idsize);

	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->id = memcpy(p, id, idlen + 1);
	o->id_hash = hash_str(o->id);
	o->eps = o->eps_inline;
	o->eps_cap = sizeof(o->eps_inline) / sizeof(o->eps_inline[0]);
	o->inode = NONE;
	o->dev_major = o->dev_minor = -1;
	o->key = o->ipcid = o->eventfd_id = o->peer_inode = NONE;
	o->queue.bytes = o->queue.messages = o->queue.capacity = o->queue.tx_bytes = NONE;
	o->backlog = NONE;
	o->size = o->nattch = o->cpid = o->lpid = o->lspid = o->lrpid = o->uid = o->mode = NONE;
	o->value = o->count = NONE;
	o->mq_max_messages = o->mq_max_msgsize = o->mq_notify_pid = NONE;
	o->tx_total = o->rx_total = o->msg_total = NONE;
	o->stime = o->rtime = o->ctime = NONE;
	return o;
}

struct ipc_object *snapshot_object(struct snapshot *s, enum obj_kind kind, bool *created,
				   const char *idfmt, ...)
{
	char buf[128], *id = buf;
	va_list ap;
	int n;
	struct ipc_object *o;

	/* most ids fit: format on the stack */
	va_start(ap, idfmt);
	n = id_format(buf, sizeof(buf), idfmt, ap);
	va_end(ap);
	if (n < 0) {
		va_start(ap, idfmt);
		n = vsnprintf(buf, sizeof(buf), idfmt, ap);
		va_end(ap);
	}
	if (n < 0)
		xalloc_die();
	if ((size_t)n >= sizeof(buf)) {
		va_start(ap, idfmt);
		if (vasprintf(&id, idfmt, ap) < 0)
			xalloc_die();
		va_end(ap);
	}
	o = snapshot_find(s, id);
	if (created)
		*created = !o;
	if (!o) {
		o = object_new(s, kind, id, (size_t)n);
		snapshot_push(s, o);
	}
	if (id != buf)
		free(id);
	return o;
}

void snapshot_filter(struct snapshot *s, bool (*keep)(const struct ipc_object *, void *), void *arg)
{
	size_t n = 0;
	bool *k = xcalloc(s->nobjs, sizeof(bool));

	/* decide first: keep() may look other objects up */
	for (size_t i = 0; i < s->nobjs; i++)
		k[i] = keep(s->objs[i], arg);
	for (size_t i = 0; i < s->nobjs; i++) {
		if (k[i])
			s->objs[n++] = s->objs[i];
		else
			object_free(s->objs[i]);
	}
	free(k);
	s->nobjs = n;
	obj_hash_rebuild(s);
}

void snapshot_merge(struct snapshot *dst, struct snapshot *src)
{
	/* one rehash for all of src, not one each time the table doubles */
	if ((dst->nobjs + src->nobjs) * 2 + 2 > dst->obj_hash_cap)
		obj_hash_resize(dst, dst->nobjs + src->nobjs);
	for (size_t i = 0; i < src->nobjs; i++) {
		struct ipc_object *o = src->objs[i];

		if (snapshot_find_same(dst, o)) {
			object_free(o);
			continue;
		}
		snapshot_push(dst, o);
	}
	src->nobjs = 0;
	if (src->blocks) {
		/* dst's objects now, src's duplicates too: freed with dst */
		struct obj_block *tail = src->blocks;

		while (tail->next)
			tail = tail->next;
		tail->next = dst->blocks;
		dst->blocks = src->blocks;
		src->blocks = NULL;
	}
	free(src->obj_hash); /* its indices were src's */
	src->obj_hash = NULL;
	src->obj_hash_cap = 0;
	dst->kinds_unavailable |= src->kinds_unavailable;
	src->kinds_unavailable = 0;
}

static int ep_cmp(const void *a, const void *b)
{
	const struct ipc_endpoint *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->via != y->via)
		return x->via < y->via ? -1 : 1;
	if (x->fd != y->fd)
		return x->fd < y->fd ? -1 : 1;
	return (int)x->role - (int)y->role;
}

static int proc_cmp(const void *a, const void *b)
{
	const struct ipc_process *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void proc_hash_rebuild(struct snapshot *s)
{
	size_t cap = 64;

	while (cap < s->nprocs * 2 + 2)
		cap *= 2;
	free(s->proc_hash);
	s->proc_hash = xmalloc(cap * sizeof(size_t));
	memset(s->proc_hash, 0xff, cap * sizeof(size_t));
	s->proc_hash_cap = cap;
	for (size_t i = 0; i < s->nprocs; i++) {
		size_t h = hash_pid(s->procs[i].pid) & (cap - 1);
		while (s->proc_hash[h] != SLOT_EMPTY)
			h = (h + 1) & (cap - 1);
		s->proc_hash[h] = i;
	}
}

/* An object's endpoints in ep_cmp order. Most objects have one to three:
 * a stable insertion sort (glibc's qsort is a stable merge sort, so the
 * order is the same) without qsort's calls and copies. */
static void eps_sort(struct ipc_endpoint *eps, size_t n)
{
	if (n > 8) {
		qsort(eps, n, sizeof(*eps), ep_cmp);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct ipc_endpoint e = eps[i];
		size_t j = i;

		for (; j > 0 && ep_cmp(&e, &eps[j - 1]) < 0; j--)
			eps[j] = eps[j - 1];
		eps[j] = e;
	}
}

static void object_sort_eps(struct ipc_object *o)
{
	if (o->neps < 2)
		return;
	eps_sort(o->eps, o->neps);
	/* indices moved: the duplicate index is rebuilt when needed */
	free(o->ep_hash);
	o->ep_hash = NULL;
	o->ep_hash_cap = 0;
}

/* Sorts each object's endpoints, then s->objs; the id hash keeps its
 * slots, with each index moved to where its object went. */
static void objs_sort(struct snapshot *s)
{
	size_t n = s->nobjs;
	struct obj_sortent *ent, *sorted;
	struct ipc_object **objs;
	uint32_t *to; /* slots hold 32-bit indices */

	if (n < 2) {
		if (n)
			object_sort_eps(s->objs[0]);
		obj_hash_rebuild(s);
		return;
	}
	ent = xreallocarray(NULL, 2 * n, sizeof(*ent));
	/* one pass over the objects (and the ids just before them) */
	for (size_t i = 0; i < n; i++) {
		if (i + 8 < n)
			__builtin_prefetch(s->objs[i + 8]);
		object_sort_eps(s->objs[i]);
		ent[i] = (struct obj_sortent){ obj_sort_key(s->objs[i]), i };
	}
	sorted = obj_sortent_sort((const struct ipc_object *const *)s->objs, ent, ent + n, n);
	objs = xreallocarray(NULL, s->objs_cap, sizeof(*objs));
	to = xreallocarray(NULL, n, sizeof(*to));
	for (size_t i = 0; i < n; i++) {
		objs[i] = s->objs[sorted[i].idx];
		to[sorted[i].idx] = (uint32_t)i;
	}
	for (size_t h = 0; h < s->obj_hash_cap; h++)
		if (s->obj_hash[h] != SLOT_EMPTY)
			s->obj_hash[h] = obj_slot(to[slot_idx(s->obj_hash[h])], s->obj_hash[h]);
	free(s->objs);
	s->objs = objs;
	free(to);
	free(ent);
}

void snapshot_sort(struct snapshot *s)
{
	objs_sort(s);
	if (s->nprocs > 1)
		qsort(s->procs, s->nprocs, sizeof(*s->procs), proc_cmp);
	proc_hash_rebuild(s);
}

struct ipc_process *snapshot_add_process(struct snapshot *s, pid_t pid)
{
	struct ipc_process *p = snapshot_process(s, pid);

	if (p)
		return p;
	if (s->nprocs == s->procs_cap) {
		s->procs_cap = s->procs_cap ? s->procs_cap * 2 : 256;
		s->procs = xreallocarray(s->procs, s->procs_cap, sizeof(*s->procs));
	}
	p = &s->procs[s->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = -1;
	p->ns_ipc = p->ns_net = p->ns_mnt = NONE;
	p->rchar = p->wchar = p->syscr = p->syscw = NONE;
	p->cpu_time = NONE;
	p->start_time = NONE;
	p->syscall_nr = -1;
	if (s->nprocs * 2 + 2 > s->proc_hash_cap) {
		proc_hash_rebuild(s);
	} else {
		size_t h = hash_pid(pid) & (s->proc_hash_cap - 1);
		while (s->proc_hash[h] != SLOT_EMPTY)
			h = (h + 1) & (s->proc_hash_cap - 1);
		s->proc_hash[h] = s->nprocs - 1;
	}
	return p;
}

struct ipc_process *snapshot_process(const struct snapshot *s, pid_t pid)
{
	if (!s->proc_hash_cap)
		return NULL;
	for (size_t h = hash_pid(pid) & (s->proc_hash_cap - 1);; h = (h + 1) & (s->proc_hash_cap - 1)) {
		size_t i = s->proc_hash[h];
		if (i == SLOT_EMPTY)
			return NULL;
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	}
}

/* Endpoints are deduplicated on (pid, via, fd, role). A short list is
 * scanned; past EP_SCAN_MAX an index keeps it O(1) (an shm segment or a
 * pipe can have thousands of holders). */
#define EP_SCAN_MAX 16

static size_t ep_hash(pid_t pid, enum ep_via via, int fd, enum ep_role role)
{
	uint64_t h = (uint64_t)(uint32_t)pid * 0x9e3779b97f4a7c15ULL;

	h ^= ((uint64_t)(uint32_t)fd << 8 | (uint64_t)via << 4 | (uint64_t)role) * 0xc2b2ae3d27d4eb4fULL;
	return (size_t)(h ^ (h >> 29));
}

static bool ep_same(const struct ipc_endpoint *e, pid_t pid, enum ep_via via, int fd,
		    enum ep_role role)
{
	return e->pid == pid && e->via == via && e->fd == fd && e->role == role;
}

static void ep_index_insert(struct ipc_object *o, size_t idx)
{
	const struct ipc_endpoint *e = &o->eps[idx];
	size_t mask = o->ep_hash_cap - 1;
	size_t h = ep_hash(e->pid, e->via, e->fd, e->role) & mask;

	while (o->ep_hash[h])
		h = (h + 1) & mask;
	o->ep_hash[h] = (uint32_t)(idx + 1);
}

static void ep_index_rebuild(struct ipc_object *o)
{
	size_t cap = 64;

	while (cap < o->neps * 2 + 2)
		cap *= 2;
	free(o->ep_hash);
	o->ep_hash = xcalloc(cap, sizeof(*o->ep_hash));
	o->ep_hash_cap = cap;
	for (size_t i = 0; i < o->neps; i++)
		ep_index_insert(o, i);
}

static struct ipc_endpoint *ep_find(struct ipc_object *o, pid_t pid, enum ep_via via, int fd,
				    enum ep_role role)
{
	if (o->neps <= EP_SCAN_MAX) {
		for (size_t i = 0; i < o->neps; i++)
			if (ep_same(&o->eps[i], pid, via, fd, role))
				return &o->eps[i];
		return NULL;
	}
	if (!o->ep_hash)
		ep_index_rebuild(o);
	size_t mask = o->ep_hash_cap - 1;
	for (size_t h = ep_hash(pid, via, fd, role) & mask; o->ep_hash[h]; h = (h + 1) & mask) {
		struct ipc_endpoint *e = &o->eps[o->ep_hash[h] - 1];
		if (ep_same(e, pid, via, fd, role))
			return e;
	}
	return NULL;
}

struct ipc_endpoint *object_add_endpoint(struct ipc_object *o, pid_t pid, enum ep_via via, int fd,
					 enum ep_mode mode, enum ep_role role)
{
	struct ipc_endpoint *e;

	if (via != VIA_FD)
		fd = -1;
	e = ep_find(o, pid, via, fd, role);
	if (e) {
		/* MODE_R | MODE_W == MODE_RW: a read and a write hold merge */
		e->mode |= mode;
		return e;
	}
	if (o->neps == o->eps_cap) {
		o->eps_cap *= 2;
		if (o->eps == o->eps_inline)
			o->eps = memcpy(xreallocarray(NULL, o->eps_cap, sizeof(*o->eps)),
					o->eps_inline, sizeof(o->eps_inline));
		else
			o->eps = xreallocarray(o->eps, o->eps_cap, sizeof(*o->eps));
	}
	e = &o->eps[o->neps++];
	e->pid = pid;
	e->via = via;
	e->fd = fd;
	e->mode = mode;
	e->role = role;
	if (o->ep_hash) {
		if (o->neps * 2 + 2 > o->ep_hash_cap)
			ep_index_rebuild(o);
		else
			ep_index_insert(o, o->neps - 1);
	}
	return e;
}

bool object_has_pid(const struct ipc_object *o, pid_t pid, enum ep_via via)
{
	for (size_t i = 0; i < o->neps; i++)
		if (o->eps[i].pid == pid && o->eps[i].via == via)
			return true;
	return false;
}

size_t object_holders(const struct ipc_object *o)
{
	size_t n = 0;

	for (size_t i = 0; i < o->neps; i++) {
		const struct ipc_endpoint *e = &o->eps[i];
		bool seen = false;

		if (e->via != VIA_FD && e->via != VIA_MAP)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = o->eps[j].pid == e->pid &&
			       (o->eps[j].via == VIA_FD || o->eps[j].via == VIA_MAP);
		n += !seen;
	}
	return n;
}

void object_set_str(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}
