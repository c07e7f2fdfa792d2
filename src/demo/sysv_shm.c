/* ipcdemo: a ring of records in a System V shared memory segment, guarded
 * by a System V semaphore set (0: filled slots, 1: free slots). */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

#define SV_SLOTS 8
#define SEM_FULL 0
#define SEM_FREE 1

struct sv_ring {
	uint32_t head, tail, slot;
	char data[];
};

static int sv_shmid, sv_semid;

static int sv_op(int sem, int delta)
{
	struct sembuf op = { .sem_num = (unsigned short)sem,
			     .sem_op = (short)delta };

	while (semop(sv_semid, &op, 1))
		if (errno != EINTR)
			return -1;
	return 0;
}

static struct sv_ring *sv_attach(void)
{
	struct sv_ring *r;

	demo_close_except(-1, -1);
	r = shmat(sv_shmid, NULL, 0);
	if (r == (void *)-1)
		return demo_fail("shmat"), NULL;
	return r;
}

static int sv_producer(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	struct sv_ring *r = sv_attach();
	struct timespec next;
	uint32_t seq;

	if (!r)
		return 1;
	demo_pace_init(&next);
	for (seq = 1;; seq++) {
		demo_pace(ctx, &next, 1);
		if (sv_op(SEM_FREE, -1))
			return errno == EIDRM ? 0 : demo_fail("semop");
		demo_msg_fill(r->data + (size_t)(r->head % SV_SLOTS) * r->slot,
			      r->slot, seq);
		r->head++;
		sv_op(SEM_FULL, 1);
		demo_count(&st->sent, 1);
		demo_note(ctx, "wrote record #%u into slot %u", seq,
			  (r->head - 1) % SV_SLOTS);
	}
}

static int sv_consumer(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	struct sv_ring *r = sv_attach();
	uint32_t seq, slot;

	if (!r)
		return 1;
	demo_ready(ctx);
	for (;;) {
		if (sv_op(SEM_FULL, -1))
			return errno == EIDRM ? 0 : demo_fail("semop");
		slot = r->tail % SV_SLOTS;
		seq = demo_msg_seq(r->data + (size_t)slot * r->slot);
		r->tail++;
		sv_op(SEM_FREE, 1);
		demo_count(&st->received, 1);
		demo_note(ctx, "read record #%u from slot %u", seq, slot);
	}
}

static int sysv_shm_start(struct demo_ctx *ctx)
{
	size_t slot = demo_size(ctx, 4096);
	struct demo_obj *om, *os;
	struct sv_ring *r;

	om = demo_obj_sysv(ctx, DEMO_RM_SYSV_SHM,
			   sizeof(*r) + SV_SLOTS * slot);
	if (!om)
		return -1;
	snprintf(om->note, sizeof(om->note), "a ring of %d records",
		 SV_SLOTS);
	os = demo_obj_sysv(ctx, DEMO_RM_SYSV_SEM, 2);
	if (!os)
		return -1;
	snprintf(os->note, sizeof(os->note), "sem 0: filled, 1: free slots");
	sv_shmid = om->ipcid;
	sv_semid = os->ipcid;
	r = shmat(sv_shmid, NULL, 0);
	if (r == (void *)-1)
		return demo_fail("shmat"), -1;
	r->slot = (uint32_t)slot;
	shmdt(r);
	if (semctl(sv_semid, SEM_FREE, SETVAL, SV_SLOTS))
		return demo_fail("semctl"), -1;
	if (demo_spawn(ctx, "svshm-consumer", sv_consumer, NULL) < 0 ||
	    demo_spawn(ctx, "svshm-producer", sv_producer, NULL) < 0)
		return -1;
	return 0;
}

const struct demo_scenario demo_scen_sysv_shm = {
	.name = "sysv-shm",
	.description = "a ring in a System V shared memory segment with a "
		       "System V semaphore set",
	.explanation =
"The System V version of shared memory: shmget() makes a segment known by a\n"
"numeric key, shmat() attaches it into a process's address space and shmdt()\n"
"detaches it.  The segment lives until IPC_RMID (or `ipcrm`), and the kernel\n"
"counts how many processes have it attached (nattch).  Synchronisation again\n"
"is the programs' own business: a System V semaphore set with two counters\n"
"(filled slots and free slots) makes svshm-consumer wait for data and\n"
"svshm-producer wait for room, with semop() changing a counter atomically.\n"
"\n"
"Watch in ipctop (or `ipcs -m -s`): a sysv_shm with nattch 2 and the\n"
"producer and consumer as attachers, and a sysv_sem with two values that move\n"
"as records go through, with the pid of the last semop.\n",
	.available = demo_have_sysv_shm,
	.start = sysv_shm_start,
};
