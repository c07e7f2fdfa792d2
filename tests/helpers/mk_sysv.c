/* mk_sysv: creates SysV IPC objects used by named child processes, prints
 * one "key=value ..." line per object, waits until stdin reaches EOF (or
 * SIGTERM), then kills its children by pid, removes every object and exits.
 *
 *   obj=shm_att    a private segment attached by two children (rw and ro)
 *   obj=shm_orphan a keyed segment nobody attached whose creator exited
 *   obj=shm_dest   a keyed segment removed (IPC_RMID) while still attached
 *   obj=msg_main   a queue (negative key): 3 messages sent by one child,
 *                  the first received by another; 2 remain
 *   obj=msg_full   a private queue shrunk to 100 bytes and filled; its
 *                  sender is blocked sending a third message
 *   obj=sem        3 semaphores (negative key) with values 1 0 5; one child
 *                  operated on sem 0, one waits to decrement sem 1 (ncnt),
 *                  one waits for sem 2 to be zero (zcnt)
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

struct msgbuf64 {
	long mtype;
	char mtext[64];
};

static pid_t children[16];
static size_t nchildren;
static int shm_att = -1, shm_orphan = -1, shm_dest = -1;
static int msg_main = -1, msg_full = -1, sem_set = -1;
static volatile sig_atomic_t stop;

static void cleanup(void)
{
	for (size_t i = 0; i < nchildren; i++)
		kill(children[i], SIGKILL);
	for (size_t i = 0; i < nchildren; i++)
		waitpid(children[i], NULL, 0);
	nchildren = 0;
	if (shm_att >= 0)
		shmctl(shm_att, IPC_RMID, NULL);
	if (shm_orphan >= 0)
		shmctl(shm_orphan, IPC_RMID, NULL);
	if (shm_dest >= 0)
		shmctl(shm_dest, IPC_RMID, NULL); /* gone already once detached */
	if (msg_main >= 0)
		msgctl(msg_main, IPC_RMID, NULL);
	if (msg_full >= 0)
		msgctl(msg_full, IPC_RMID, NULL);
	if (sem_set >= 0)
		semctl(sem_set, 0, IPC_RMID);
	shm_att = shm_orphan = shm_dest = msg_main = msg_full = sem_set = -1;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "mk_sysv: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(errno));
	va_end(ap);
	exit(1); /* atexit: cleanup() */
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Forks a child named `name` (PR_SET_NAME, so ipctop shows it as comm) that
 * runs fn(arg, fd), writes one byte to fd when its setup is done, then sleeps
 * (or stays blocked) until killed. Returns once the child is ready. */
typedef void (*child_fn)(int arg, int ready_fd);

static pid_t spawn(const char *name, child_fn fn, int arg)
{
	int p[2];
	pid_t parent = getpid(), pid;
	char c;

	if (pipe(p) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		prctl(PR_SET_NAME, name);
		nchildren = 0; /* the parent's list is not ours to clean */
		shm_att = shm_orphan = shm_dest = msg_main = msg_full = sem_set = -1;
		fn(arg, p[1]);
		for (;;)
			pause();
	}
	children[nchildren++] = pid;
	close(p[1]);
	/* the child writes one byte when its setup is done */
	if (read(p[0], &c, 1) != 1)
		die("child %s failed", name);
	close(p[0]);
	return pid;
}

static void ready(int fd)
{
	if (write(fd, "", 1) != 1)
		_exit(1);
	close(fd);
}

static void child_attach_rw(int id, int fd)
{
	char *p = shmat(id, NULL, 0);

	if (p == (void *)-1)
		_exit(1);
	memset(p, 'x', 64);
	ready(fd);
}

static void child_attach_ro(int id, int fd)
{
	if (shmat(id, NULL, SHM_RDONLY) == (void *)-1)
		_exit(1);
	ready(fd);
}

/* Creates the orphan segment and exits: its creator is then gone. */
static void child_make_orphan(int key, int fd)
{
	int id = shmget((key_t)key, 4096, IPC_CREAT | IPC_EXCL | 0600);

	if (id < 0 || write(fd, &id, sizeof(id)) != sizeof(id))
		_exit(1);
	_exit(0);
}

static void child_send3(int id, int fd)
{
	struct msgbuf64 m = { .mtype = 1 };

	memset(m.mtext, 'm', sizeof(m.mtext));
	if (msgsnd(id, &m, 10, 0) < 0 || msgsnd(id, &m, 20, 0) < 0 || msgsnd(id, &m, 30, 0) < 0)
		_exit(1);
	ready(fd);
}

static void child_receive1(int id, int fd)
{
	struct msgbuf64 m;

	if (msgrcv(id, &m, sizeof(m.mtext), 0, 0) != 10)
		_exit(1);
	ready(fd);
}

static void child_fill(int id, int fd)
{
	struct msgbuf64 m = { .mtype = 2 };

	if (msgsnd(id, &m, 50, 0) < 0 || msgsnd(id, &m, 50, 0) < 0)
		_exit(1);
	ready(fd);
	msgsnd(id, &m, 50, 0); /* blocks: the queue is full */
}

static void child_semop(int id, int fd)
{
	struct sembuf down = { 0, -1, 0 }, up = { 0, 1, 0 };

	if (semop(id, &down, 1) < 0 || semop(id, &up, 1) < 0)
		_exit(1);
	ready(fd);
}

static void child_semwait(int id, int fd)
{
	struct sembuf op = { 1, -1, 0 };

	ready(fd);
	semop(id, &op, 1); /* blocks: sem 1 is 0 */
}

static void child_semzero(int id, int fd)
{
	struct sembuf op = { 2, 0, 0 };

	ready(fd);
	semop(id, &op, 1); /* blocks: sem 2 is 5 */
}

/* Waits until semctl(cmd) on semaphore num reports 1. */
static void wait_count(int id, int num, int cmd)
{
	for (int i = 0; i < 1000; i++) {
		if (semctl(id, num, cmd) == 1)
			return;
		usleep(10000);
	}
	errno = ETIMEDOUT;
	die("waiting for a semaphore waiter");
}

/* Keys unique to this run: "5a" or "a5" (negative as a signed int) followed
 * by 16 bits of our pid and an object number. */
static key_t make_key(unsigned hi, unsigned n)
{
	return (key_t)(int32_t)(hi << 24 | ((unsigned)getpid() & 0xffff) << 8 | n);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_term };
	unsigned short vals[3] = { 1, 0, 5 };
	struct msqid_ds mds;
	pid_t self = getpid(), rw, ro, mk, att, snd, rcv, fill, op, nw, zw;
	key_t korphan = make_key(0x5a, 1), kdest = make_key(0x5a, 2);
	key_t kmsg = make_key(0xa5, 3), ksem = make_key(0xa5, 4);
	int p[2], status;
	char c;

	atexit(cleanup);
	sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART: read() returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* shared memory */
	shm_att = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
	if (shm_att < 0)
		die("shmget");
	rw = spawn("sysv-att-rw", child_attach_rw, shm_att);
	ro = spawn("sysv-att-ro", child_attach_ro, shm_att);
	printf("obj=shm_att shmid=%d key=0 size=8192 nattch=2 cpid=%d att_rw=%d att_ro=%d\n",
	       shm_att, self, rw, ro);

	if (pipe(p) < 0)
		die("pipe");
	mk = fork();
	if (mk < 0)
		die("fork");
	if (mk == 0) {
		close(p[0]);
		prctl(PR_SET_NAME, "sysv-mkorphan");
		child_make_orphan(korphan, p[1]);
	}
	close(p[1]);
	if (read(p[0], &shm_orphan, sizeof(shm_orphan)) != sizeof(shm_orphan))
		die("orphan segment");
	close(p[0]);
	if (waitpid(mk, &status, 0) != mk || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("orphan creator");
	printf("obj=shm_orphan shmid=%d key=%d size=4096 nattch=0 cpid=%d\n", shm_orphan,
	       korphan, mk);

	shm_dest = shmget(kdest, 12288, IPC_CREAT | IPC_EXCL | 0640);
	if (shm_dest < 0)
		die("shmget dest");
	att = spawn("sysv-att-dest", child_attach_rw, shm_dest);
	if (shmctl(shm_dest, IPC_RMID, NULL) < 0)
		die("IPC_RMID");
	/* the kernel resets the key of a segment marked for removal to 0 */
	printf("obj=shm_dest shmid=%d key=0 origkey=%d size=12288 nattch=1 cpid=%d att=%d\n",
	       shm_dest, kdest, self, att);

	/* message queues */
	msg_main = msgget(kmsg, IPC_CREAT | IPC_EXCL | 0620);
	if (msg_main < 0)
		die("msgget");
	snd = spawn("sysv-sender", child_send3, msg_main);
	rcv = spawn("sysv-receiver", child_receive1, msg_main);
	printf("obj=msg_main msqid=%d key=%d bytes=50 messages=2 lspid=%d lrpid=%d mode=620\n",
	       msg_main, kmsg, snd, rcv);

	msg_full = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (msg_full < 0 || msgctl(msg_full, IPC_STAT, &mds) < 0)
		die("msgget full");
	mds.msg_qbytes = 100;
	if (msgctl(msg_full, IPC_SET, &mds) < 0)
		die("IPC_SET");
	fill = spawn("sysv-fill", child_fill, msg_full);
	printf("obj=msg_full msqid=%d key=0 bytes=100 messages=2 capacity=100 lspid=%d\n",
	       msg_full, fill);

	/* semaphores */
	sem_set = semget(ksem, 3, IPC_CREAT | IPC_EXCL | 0600);
	if (sem_set < 0 || semctl(sem_set, 0, SETALL, (union semun){ .array = vals }) < 0)
		die("semget");
	op = spawn("sysv-semop", child_semop, sem_set);
	nw = spawn("sysv-semwait", child_semwait, sem_set);
	zw = spawn("sysv-semzero", child_semzero, sem_set);
	wait_count(sem_set, 1, GETNCNT);
	wait_count(sem_set, 2, GETZCNT);
	/* SETALL made us the last pid of every semaphore; semop child took sem 0 */
	printf("obj=sem semid=%d key=%d nsems=3 values=1,0,5 pids=%d,%d,%d ncnt_waiter=%d "
	       "zcnt_waiter=%d\n",
	       sem_set, ksem, op, self, self, nw, zw);

	while (!stop) {
		ssize_t n = read(0, &c, 1);

		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	cleanup();
	return 0;
}
