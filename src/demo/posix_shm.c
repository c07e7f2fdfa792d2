/* ipcdemo: a ring of records in POSIX shared memory, guarded by two POSIX
 * named semaphores (free slots, filled slots). */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define RING_SLOTS 8

struct demo_ring {
	uint32_t head;		/* next slot the producer fills */
	uint32_t tail;		/* next slot the consumer empties */
	uint32_t slot;		/* bytes a slot */
	char data[];
};

static char ring_shm[80], ring_full[80], ring_free[80];
static size_t ring_bytes;

static struct demo_ring *ring_map(sem_t **full, sem_t **space)
{
	struct demo_ring *r;
	int fd;

	demo_close_except(-1, -1);
	fd = shm_open(ring_shm, O_RDWR, 0);
	if (fd < 0)
		return demo_fail(ring_shm), NULL;
	r = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);	/* the mapping keeps the object in use */
	*full = sem_open(ring_full, 0);
	*space = sem_open(ring_free, 0);
	if (r == MAP_FAILED || *full == SEM_FAILED || *space == SEM_FAILED)
		return demo_fail("mmap/sem_open"), NULL;
	return r;
}

static int ring_wait(sem_t *s)
{
	while (sem_wait(s))
		if (errno != EINTR)
			return -1;
	return 0;
}

static int shm_producer(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	struct timespec next;
	sem_t *full, *space;
	struct demo_ring *r = ring_map(&full, &space);
	uint32_t seq;

	if (!r)
		return 1;
	demo_pace_init(&next);
	for (seq = 1;; seq++) {
		demo_pace(ctx, &next, 1);
		if (ring_wait(space))
			return demo_fail("sem_wait");
		demo_msg_fill(r->data + (size_t)(r->head % RING_SLOTS) * r->slot,
			      r->slot, seq);
		r->head++;
		sem_post(full);
		demo_count(&st->sent, 1);
		demo_note(ctx, "wrote record #%u into slot %u", seq,
			  (r->head - 1) % RING_SLOTS);
	}
}

static int shm_consumer(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	sem_t *full, *space;
	struct demo_ring *r = ring_map(&full, &space);
	uint32_t seq, slot;

	if (!r)
		return 1;
	demo_ready(ctx);
	for (;;) {
		if (ring_wait(full))
			return demo_fail("sem_wait");
		slot = r->tail % RING_SLOTS;
		seq = demo_msg_seq(r->data + (size_t)slot * r->slot);
		r->tail++;
		sem_post(space);
		demo_count(&st->received, 1);
		demo_note(ctx, "read record #%u from slot %u", seq, slot);
	}
}

static int posix_shm_start(struct demo_ctx *ctx)
{
	struct demo_obj *o, *of, *os;
	struct demo_ring *r;
	sem_t *s1, *s2;
	size_t slot = demo_size(ctx, 4096);
	int fd;

	ring_bytes = sizeof(*r) + RING_SLOTS * slot;
	o = demo_obj_posix(ctx, DEMO_RM_SHM, "ring");
	if (!o)
		return -1;
	snprintf(o->note, sizeof(o->note), "a ring of %d records", RING_SLOTS);
	snprintf(ring_shm, sizeof(ring_shm), "%s", o->name);
	fd = shm_open(ring_shm, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)ring_bytes))
		return demo_fail(ring_shm), -1;
	r = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (r == MAP_FAILED)
		return demo_fail("mmap"), -1;
	r->slot = (uint32_t)slot;
	munmap(r, ring_bytes);
	of = demo_obj_posix(ctx, DEMO_RM_SEM, "ring-full");
	os = demo_obj_posix(ctx, DEMO_RM_SEM, "ring-free");
	if (!of || !os)
		return -1;
	snprintf(of->note, sizeof(of->note), "records ready to read");
	snprintf(os->note, sizeof(os->note), "free slots");
	snprintf(ring_full, sizeof(ring_full), "%s", of->name);
	snprintf(ring_free, sizeof(ring_free), "%s", os->name);
	s1 = sem_open(ring_full, O_CREAT | O_EXCL, 0600, 0);
	s2 = sem_open(ring_free, O_CREAT | O_EXCL, 0600, RING_SLOTS);
	if (s1 == SEM_FAILED || s2 == SEM_FAILED)
		return demo_fail("sem_open"), -1;
	sem_close(s1);
	sem_close(s2);
	if (demo_spawn(ctx, "shm-consumer", shm_consumer, NULL) < 0 ||
	    demo_spawn(ctx, "shm-producer", shm_producer, NULL) < 0)
		return -1;
	return 0;
}

const struct demo_scenario demo_scen_posix_shm = {
	.name = "posix-shm",
	.description = "a producer fills a ring in POSIX shared memory, a "
		       "consumer empties it",
	.explanation =
"Shared memory is the other basic model: instead of asking the kernel to\n"
"carry each message, two processes map the same pages and simply read and\n"
"write them.  The kernel is involved only to set it up (shm_open, ftruncate,\n"
"mmap), so it is the fastest channel, but nothing stops both sides from\n"
"touching the same bytes at once: the programs must synchronise themselves.\n"
"Here shm-producer writes numbered records into a ring of 8 slots in\n"
"/dev/shm/ipcdemo.PID.ring and shm-consumer reads them.  Two POSIX named\n"
"semaphores count the free slots and the filled slots: the producer waits\n"
"when the ring is full, the consumer when it is empty (the classic bounded\n"
"buffer).\n"
"\n"
"Watch in ipctop: a posix_shm object mapped by both processes, and two\n"
"posix_sem objects (/dev/shm/sem.ipcdemo.PID.ring-*) whose values move as\n"
"records go through.  No data moves through a system call.\n",
	.available = demo_have_posix_shm,
	.start = posix_shm_start,
};
