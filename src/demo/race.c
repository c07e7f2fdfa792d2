/* ipcdemo: a race condition and its cure.  Four workers each add 1 to a
 * counter in POSIX shared memory 1000000 times; in `race` the
 * read-modify-write is unprotected and updates get lost, in `mutex` a POSIX
 * named semaphore makes it a critical section and none are lost.
 *
 * extra[0]: increments done, extra[1]: final counter, extra[2]: workers
 * that finished. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define RACE_WORKERS	4
#define RACE_LOOPS	1000000L

struct race_arg {
	char shm[80];
	char sem[80];		/* empty in `race` */
};

static struct race_arg race_a, mutex_a;

static int race_worker(struct demo_ctx *ctx, void *arg)
{
	struct race_arg *a = arg;
	struct demo_stat *st = demo_stat_get(ctx);
	int *barrier = &ctx->shared->barrier[ctx->scen];
	sem_t *sem = NULL;
	volatile long *counter;
	long i, v;
	int fd, j;

	demo_close_except(-1, -1);
	fd = shm_open(a->shm, O_RDWR, 0);
	if (fd < 0)
		return demo_fail(a->shm);
	counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (counter == MAP_FAILED)
		return demo_fail("mmap");
	if (a->sem[0]) {
		sem = sem_open(a->sem, 0);
		if (sem == SEM_FAILED)
			return demo_fail(a->sem);
	}
	demo_ready(ctx);
	/* start together, or the first one may finish before the last starts */
	__atomic_add_fetch(barrier, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(barrier, __ATOMIC_ACQUIRE) < RACE_WORKERS)
		sched_yield();
	for (i = 0; i < RACE_LOOPS; i++) {
		if (sem)
			while (sem_wait(sem) && errno == EINTR)
				;
		v = *counter;		/* read … */
		for (j = 0; j < 50; j++)	/* … think a little … */
			__asm__ volatile("" ::: "memory");
		*counter = v + 1;	/* … write back: the window */
		if (sem)
			sem_post(sem);
	}
	demo_count(&st->extra[0], RACE_LOOPS);
	demo_note(ctx, "did my %ld increments", RACE_LOOPS);
	if (__atomic_add_fetch(&st->extra[2], 1, __ATOMIC_ACQ_REL) ==
	    RACE_WORKERS)
		__atomic_store_n(&st->extra[1], *counter, __ATOMIC_RELEASE);
	return 0;
}

static int race_setup(struct demo_ctx *ctx, struct race_arg *a, bool locked,
		      const char *worker)
{
	struct demo_obj *o;
	int fd, i;

	o = demo_obj_posix(ctx, DEMO_RM_SHM, locked ? "mutex-counter" :
			   "race-counter");
	if (!o)
		return -1;
	snprintf(o->note, sizeof(o->note), "the shared counter");
	snprintf(a->shm, sizeof(a->shm), "%s", o->name);
	fd = shm_open(a->shm, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || ftruncate(fd, 4096))
		return demo_fail(a->shm), -1;
	close(fd);
	if (locked) {
		sem_t *s;

		o = demo_obj_posix(ctx, DEMO_RM_SEM, "mutex");
		if (!o)
			return -1;
		snprintf(o->note, sizeof(o->note), "binary semaphore: the lock");
		snprintf(a->sem, sizeof(a->sem), "%s", o->name);
		s = sem_open(a->sem, O_CREAT | O_EXCL, 0600, 1);
		if (s == SEM_FAILED)
			return demo_fail(a->sem), -1;
		sem_close(s);
	}
	for (i = 0; i < RACE_WORKERS; i++)
		if (demo_spawn(ctx, worker, race_worker, a) < 0)
			return -1;
	return 0;
}

static int race_start(struct demo_ctx *ctx)
{
	return race_setup(ctx, &race_a, false, "race-worker");
}

static int mutex_start(struct demo_ctx *ctx)
{
	return race_setup(ctx, &mutex_a, true, "mutex-worker");
}

static void race_summary(const struct demo_stat *st, char *buf, size_t len)
{
	if (st->extra[2] < RACE_WORKERS)
		snprintf(buf, len, "interrupted: %ld of %d workers finished",
			 st->extra[2], RACE_WORKERS);
	else
		snprintf(buf, len, "expected %ld, got %ld (lost %ld updates)",
			 st->extra[0], st->extra[1],
			 st->extra[0] - st->extra[1]);
}

const struct demo_scenario demo_scen_race = {
	.name = "race",
	.description = "four processes increment a shared counter without a "
		       "lock: updates are lost",
	.explanation =
"`counter = counter + 1` is three steps for the CPU: load, add, store.  When\n"
"two processes share the counter (here in POSIX shared memory) and both load\n"
"the same old value before either stores, one of the two additions is\n"
"overwritten: a lost update.  Whether it happens depends on how the\n"
"scheduler interleaves them, so the result changes from run to run: a race\n"
"condition.  Four race-worker processes each add 1 to the counter 1000000\n"
"times, all at once; the total should be 4000000 and it is not.  The run ends\n"
"by itself and prints `expected 4000000, got N (lost M updates)`.\n"
"\n"
"Watch in ipctop: a posix_shm object mapped by the four workers, which run\n"
"flat out on the CPUs for a moment.  Then run `mutex`.\n",
	.available = demo_have_posix_shm,
	.start = race_start,
	.summary = race_summary,
};

const struct demo_scenario demo_scen_mutex = {
	.name = "mutex",
	.description = "the same counter guarded by a semaphore: nothing is "
		       "lost",
	.explanation =
"The cure for the race is mutual exclusion: make load-add-store a critical\n"
"section that only one process can be in at a time.  A semaphore whose value\n"
"starts at 1 is a lock: sem_wait() takes it (or sleeps until it is free),\n"
"sem_post() gives it back.  mutex-worker processes do exactly what the race\n"
"workers do, inside sem_wait()/sem_post() on the POSIX named semaphore\n"
"/ipcdemo.PID.mutex, and the total comes out right: expected 4000000, got\n"
"4000000.  It is slower: the workers take turns, and wait for each other.\n"
"\n"
"Watch in ipctop: the posix_sem (value 0 or 1) next to the shared counter;\n"
"most workers are asleep waiting for the lock at any moment.\n",
	.available = demo_have_posix_shm,
	.start = mutex_start,
	.summary = race_summary,
};
