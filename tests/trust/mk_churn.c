/* Test helper for races (churn.py, soak.sh): creates and destroys pipes, unix
 * socket pairs, SysV shm/msg/sem, POSIX shm/mq/sem and short-lived processes
 * as fast as it can, until stdin reaches EOF or SIGTERM. Every hold that ever
 * existed is appended to LOGFILE (argv[1]) as one line, with ids spelled as
 * ipctop's JSON spells them:
 *   fd ID PID FD       PID held ID at fd FD
 *   pid ID PID         PID touched ID otherwise (creator, last op, mapping)
 * Then a test can check that every endpoint ipctop reported for a churn
 * object was really a holder. SysV keys are 0x1cPPPPNN (PPPP: the low 16
 * bits of the pid), POSIX names start with "/ipctop-churn.PID.", so that
 * two churns running at once (a soak and churn.py) can be told apart. Prints "pid=PID" once running; at the end
 * removes everything it created and reaps its children.
 * Usage: mk_churn LOGFILE [MAXLIVE] */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHURN_KEY_BASE 0x1c000000
#define MAX_LIVE 64

enum churn_kind { C_PIPE, C_UNIX, C_SHM, C_MSG, C_SEM, C_PSHM, C_PMQ, C_PSEM, C_NKINDS };

struct churn_obj {
	enum churn_kind kind;
	char id[2][96]; /* one per end for unix pairs */
	int fd[2];      /* -1 if none */
	void *map;
	size_t maplen;
	int ipcid;
	char name[64];
	sem_t *sem;
};

static struct churn_obj live[MAX_LIVE];
static int nlive, max_live = 12;
static int logfd = -1;
static volatile sig_atomic_t stop;
static unsigned counter;
static pid_t self;

static void churn_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void churn_log(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(buf))
		(void)!write(logfd, buf, (size_t)n); /* O_APPEND: one line, one write */
}

/* Logs what the calling process holds of o (after a fork: the child). */
static void churn_log_holds(const struct churn_obj *o, pid_t pid)
{
	for (int e = 0; e < 2; e++)
		if (o->fd[e] >= 0)
			churn_log("fd %s %d %d\n", o->id[o->kind == C_UNIX ? e : 0], (int)pid, o->fd[e]);
	if (o->map || o->kind == C_SHM || o->kind == C_PSEM)
		churn_log("pid %s %d\n", o->id[0], (int)pid);
}

static ino_t churn_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

static bool churn_create(struct churn_obj *o, enum churn_kind kind)
{
	int key = CHURN_KEY_BASE | (int)(((unsigned)self & 0xffff) << 8) | (int)(counter++ & 0xff);

	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->fd[0] = o->fd[1] = -1;
	o->ipcid = -1;
	switch (kind) {
	case C_PIPE:
		if (pipe2(o->fd, O_CLOEXEC) < 0)
			return false;
		snprintf(o->id[0], sizeof(o->id[0]), "pipe:%lu", (unsigned long)churn_ino(o->fd[0]));
		break;
	case C_UNIX:
		if (socketpair(AF_UNIX, (counter & 1) ? SOCK_STREAM : SOCK_DGRAM, 0, o->fd) < 0)
			return false;
		for (int e = 0; e < 2; e++)
			snprintf(o->id[e], sizeof(o->id[e]), "unix:%lu",
				 (unsigned long)churn_ino(o->fd[e]));
		break;
	case C_SHM:
		o->ipcid = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600);
		if (o->ipcid < 0)
			return false;
		snprintf(o->id[0], sizeof(o->id[0]), "sysv_shm:%d", o->ipcid);
		churn_log("pid %s %d\n", o->id[0], (int)self);
		o->map = shmat(o->ipcid, NULL, 0);
		if (o->map == (void *)-1) {
			o->map = NULL;
			break;
		}
		break;
	case C_MSG: {
		struct {
			long mtype;
			char text[16];
		} m = { 1, "churn" };

		o->ipcid = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
		if (o->ipcid < 0)
			return false;
		snprintf(o->id[0], sizeof(o->id[0]), "sysv_msg:%d", o->ipcid);
		churn_log("pid %s %d\n", o->id[0], (int)self);
		(void)msgsnd(o->ipcid, &m, sizeof(m.text), IPC_NOWAIT);
		break;
	}
	case C_SEM: {
		struct sembuf op = { 0, 1, 0 };

		o->ipcid = semget(key, 3, IPC_CREAT | IPC_EXCL | 0600);
		if (o->ipcid < 0)
			return false;
		snprintf(o->id[0], sizeof(o->id[0]), "sysv_sem:%d", o->ipcid);
		churn_log("pid %s %d\n", o->id[0], (int)self);
		(void)semop(o->ipcid, &op, 1);
		break;
	}
	case C_PSHM:
		snprintf(o->name, sizeof(o->name), "/ipctop-churn.%d.%u", (int)self, counter);
		snprintf(o->id[0], sizeof(o->id[0]), "posix_shm:%s", o->name);
		o->fd[0] = shm_open(o->name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
		if (o->fd[0] < 0)
			return false;
		if (ftruncate(o->fd[0], 4096) == 0) {
			o->map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, o->fd[0], 0);
			if (o->map == MAP_FAILED)
				o->map = NULL;
			else
				o->maplen = 4096;
		}
		break;
	case C_PMQ: {
		struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 16 };

		snprintf(o->name, sizeof(o->name), "/ipctop-churn.%d.%u", (int)self, counter);
		snprintf(o->id[0], sizeof(o->id[0]), "posix_mq:%s", o->name);
		o->fd[0] = mq_open(o->name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, &a);
		if (o->fd[0] < 0)
			return false;
		(void)mq_send(o->fd[0], "x", 1, 0);
		break;
	}
	case C_PSEM:
		snprintf(o->name, sizeof(o->name), "/ipctop-churn.%d.%u", (int)self, counter);
		snprintf(o->id[0], sizeof(o->id[0]), "posix_sem:%s", o->name);
		o->sem = sem_open(o->name, O_CREAT | O_EXCL, 0600, 1);
		if (o->sem == SEM_FAILED) {
			o->sem = NULL;
			return false;
		}
		(void)sem_post(o->sem);
		break;
	default:
		return false;
	}
	churn_log_holds(o, self);
	return true;
}

static void churn_destroy(struct churn_obj *o)
{
	if (o->map && o->kind == C_SHM)
		shmdt(o->map);
	else if (o->map)
		munmap(o->map, o->maplen);
	for (int e = 0; e < 2; e++)
		if (o->fd[e] >= 0)
			close(o->fd[e]);
	switch (o->kind) {
	case C_SHM:
		shmctl(o->ipcid, IPC_RMID, NULL);
		break;
	case C_MSG:
		msgctl(o->ipcid, IPC_RMID, NULL);
		break;
	case C_SEM:
		semctl(o->ipcid, 0, IPC_RMID);
		break;
	case C_PSHM:
		shm_unlink(o->name);
		break;
	case C_PMQ:
		mq_unlink(o->name);
		break;
	case C_PSEM:
		if (o->sem)
			sem_close(o->sem);
		sem_unlink(o->name);
		break;
	default:
		break;
	}
}

/* A short-lived process: it holds what the parent held at fork (fds and
 * mappings are inherited; CLOEXEC does not matter without exec), logs it,
 * sometimes makes a pipe of its own, lives a few milliseconds. */
static void churn_child(void)
{
	pid_t me = getpid();
	struct timespec ts = { 0, (long)(rand() % 20) * 1000000L };

	for (int i = 0; i < nlive; i++)
		churn_log_holds(&live[i], me);
	if (rand() % 2) {
		struct churn_obj o;

		self = me;
		if (churn_create(&o, C_PIPE))
			nanosleep(&ts, NULL);
	} else {
		nanosleep(&ts, NULL);
	}
	_exit(0);
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static bool stdin_closed(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	char c;

	if (poll(&p, 1, 0) <= 0)
		return false;
	return read(0, &c, 1) <= 0;
}

int main(int argc, char **argv)
{
	unsigned long iterations = 0, children = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: mk_churn LOGFILE [MAXLIVE]\n");
		return 2;
	}
	if (argc > 2)
		max_live = atoi(argv[2]) > 0 && atoi(argv[2]) <= MAX_LIVE ? atoi(argv[2]) : max_live;
	logfd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
	if (logfd < 0) {
		perror(argv[1]);
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	self = getpid();
	srand((unsigned)self);
	printf("pid=%d\n", (int)self);
	fflush(stdout);
	while (!stop) {
		int k = rand() % (C_NKINDS + 2);

		if ((iterations++ & 63) == 0 && stdin_closed())
			break;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (k >= C_NKINDS) { /* a short-lived process */
			pid_t pid = fork();

			if (pid == 0)
				churn_child();
			if (pid > 0)
				children++;
			continue;
		}
		if (nlive == max_live || (nlive && rand() % 3 == 0)) {
			int i = rand() % nlive;

			churn_destroy(&live[i]);
			live[i] = live[--nlive];
		}
		if (churn_create(&live[nlive], (enum churn_kind)k))
			nlive++;
	}
	while (nlive)
		churn_destroy(&live[--nlive]);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	fprintf(stderr, "mk_churn: %lu iterations, %lu processes\n", iterations, children);
	return 0;
}
