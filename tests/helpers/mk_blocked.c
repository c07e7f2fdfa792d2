/* mk_blocked: child processes asleep in IPC system calls, and signal sets
 * to read back, for tests/live/procs.py. Prints one "role=... pid=... key=value"
 * line per child once it is asleep, waits for stdin EOF or SIGTERM, then
 * ends its children and removes every object it made.
 *
 *   role=read    asleep in read() on the empty pipe ino (parent holds the write end)
 *   role=msgrcv  asleep in msgrcv() on a private SysV queue msqid
 *   role=semop   asleep in semop(-1) on a private SysV set semid (value 0)
 *   role=mq      asleep in mq_receive() on POSIX queue name (skip=1 without mqueue)
 *   role=accept  asleep in accept() on an abstract unix socket ino
 *   role=sigwait asleep in sigtimedwait(SIGUSR2); SIGUSR1 blocked and pending
 *   role=thread  asleep in pause(); SIGUSR2 blocked, pending in thread tid only
 *   role=pause   asleep in pause(); SIGUSR2 ignored, SIGTERM caught
 *   role=sem     asleep in sem_wait() on POSIX semaphore name (a futex)
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CHILDREN 16

static pid_t children[MAX_CHILDREN];
static size_t nchildren;
static int msqid = -1, semid = -1;
static char mq_name[64], sem_name[64];
static volatile sig_atomic_t stop;

static void cleanup(void)
{
	for (size_t i = 0; i < nchildren; i++) {
		kill(children[i], SIGKILL);
		waitpid(children[i], NULL, 0);
	}
	nchildren = 0;
	if (msqid >= 0)
		msgctl(msqid, IPC_RMID, NULL);
	if (semid >= 0)
		semctl(semid, 0, IPC_RMID);
	if (mq_name[0])
		mq_unlink(mq_name);
	if (sem_name[0])
		sem_unlink(sem_name);
	msqid = semid = -1;
	mq_name[0] = sem_name[0] = '\0';
}

static void die(const char *what)
{
	perror(what);
	cleanup();
	exit(1);
}

/* In the child: a name for ps, death with the parent, only the fd it needs. */
static void child_setup(const char *name, int keep)
{
	int null = open("/dev/null", O_RDWR);

	prctl(PR_SET_NAME, name);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);
	dup2(null, 0);
	dup2(null, 1);
	for (int fd = 3; fd < 1024; fd++)
		if (fd != keep)
			close(fd);
}

static pid_t spawn(void)
{
	pid_t pid;

	if (nchildren == MAX_CHILDREN)
		die("too many children");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid > 0)
		children[nchildren++] = pid;
	return pid;
}

/* Waits (up to 10 s) until pid sleeps in one of the system calls nr[]. */
static void wait_asleep(pid_t pid, const long *nr, size_t n)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	for (int tries = 0; tries < 1000; tries++) {
		FILE *f = fopen(path, "r");
		long got = -2;

		if (f) {
			if (fgets(buf, sizeof(buf), f))
				got = strtol(buf, NULL, 10);
			fclose(f);
		}
		for (size_t i = 0; i < n; i++)
			if (got == nr[i] && strncmp(buf, "running", 7))
				return;
		usleep(10000);
	}
	fprintf(stderr, "mk_blocked: pid %d did not fall asleep\n", (int)pid);
	cleanup();
	exit(1);
}
#define WAIT_ASLEEP(pid, ...)                                                 \
	do {                                                                  \
		const long nrs_[] = { __VA_ARGS__ };                          \
		wait_asleep(pid, nrs_, sizeof(nrs_) / sizeof(nrs_[0]));       \
	} while (0)

static void make_read(int *write_end)
{
	int p[2];
	struct stat st;
	pid_t pid;

	if (pipe(p) < 0)
		die("pipe");
	pid = spawn();
	if (pid == 0) {
		char c;

		child_setup("blk_read", p[0]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	*write_end = p[1];
	fstat(p[1], &st);
	WAIT_ASLEEP(pid, SYS_read);
	printf("role=read pid=%d fd=%d ino=%lu\n", (int)pid, p[0], (unsigned long)st.st_ino);
}

static void make_msgrcv(void)
{
	pid_t pid;

	msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (msqid < 0)
		die("msgget");
	pid = spawn();
	if (pid == 0) {
		struct {
			long type;
			char text[64];
		} m;

		child_setup("blk_msgrcv", -1);
		msgrcv(msqid, &m, sizeof(m.text), 0, 0);
		_exit(0);
	}
	WAIT_ASLEEP(pid, SYS_msgrcv);
	printf("role=msgrcv pid=%d msqid=%d\n", (int)pid, msqid);
}

static void make_semop(void)
{
	pid_t pid;

	semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	if (semid < 0)
		die("semget");
	pid = spawn();
	if (pid == 0) {
		struct sembuf op = { .sem_num = 0, .sem_op = -1, .sem_flg = 0 };

		child_setup("blk_semop", -1);
		semop(semid, &op, 1);
		_exit(0);
	}
	WAIT_ASLEEP(pid, SYS_semop, SYS_semtimedop);
	printf("role=semop pid=%d semid=%d\n", (int)pid, semid);
}

static void make_mq(void)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	struct stat st;
	mqd_t q;
	pid_t pid;

	snprintf(mq_name, sizeof(mq_name), "/ipctop-blk-%d", (int)getpid());
	q = stat("/dev/mqueue", &st) == 0 ? mq_open(mq_name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr)
					    : (mqd_t)-1;
	if (q == (mqd_t)-1) {
		mq_name[0] = '\0';
		printf("role=mq skip=1\n");
		return;
	}
	pid = spawn();
	if (pid == 0) {
		char buf[64];

		child_setup("blk_mq", (int)q);
		mq_receive(q, buf, sizeof(buf), NULL);
		_exit(0);
	}
	mq_close(q);
	WAIT_ASLEEP(pid, SYS_mq_timedreceive);
	printf("role=mq pid=%d fd=%d name=%s\n", (int)pid, (int)q, mq_name);
}

static void make_accept(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	socklen_t len;
	pid_t pid;
	int s;

	/* abstract: nothing to remove afterwards */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			  (size_t)snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1,
					   "ipctop-blk-%d", (int)getpid()));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, len) < 0 || listen(s, 4) < 0)
		die("unix socket");
	fstat(s, &st);
	pid = spawn();
	if (pid == 0) {
		child_setup("blk_accept", s);
		accept(s, NULL, NULL);
		_exit(0);
	}
	close(s);
	WAIT_ASLEEP(pid, SYS_accept, SYS_accept4);
	printf("role=accept pid=%d fd=%d ino=%lu\n", (int)pid, s, (unsigned long)st.st_ino);
}

static void make_sigwait(void)
{
	pid_t pid = spawn();

	if (pid == 0) {
		sigset_t block, wait;

		child_setup("blk_sigwait", -1);
		sigemptyset(&block);
		sigaddset(&block, SIGUSR1);
		sigaddset(&block, SIGUSR2);
		sigprocmask(SIG_BLOCK, &block, NULL);
		sigemptyset(&wait);
		sigaddset(&wait, SIGUSR2);
		sigwaitinfo(&wait, NULL);
		_exit(0);
	}
	WAIT_ASLEEP(pid, SYS_rt_sigtimedwait);
	/* blocked and not waited for: it stays pending (ShdPnd) */
	kill(pid, SIGUSR1);
	printf("role=sigwait pid=%d\n", (int)pid);
}

static void *thread_pause(void *arg)
{
	*(volatile pid_t *)arg = (pid_t)syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

static void make_thread(void)
{
	int sync[2];
	pid_t pid, tid = 0;

	if (pipe(sync) < 0)
		die("pipe");
	pid = spawn();
	if (pid == 0) {
		volatile pid_t t = 0;
		pthread_t th;
		sigset_t block;

		child_setup("blk_thread", sync[1]);
		sigemptyset(&block);
		sigaddset(&block, SIGUSR2);
		sigprocmask(SIG_BLOCK, &block, NULL);
		if (pthread_create(&th, NULL, thread_pause, (void *)&t))
			_exit(1);
		while (!t)
			usleep(1000);
		/* to the thread alone: its SigPnd, not ShdPnd nor the leader's */
		syscall(SYS_tgkill, getpid(), t, SIGUSR2);
		write(sync[1], (const void *)&t, sizeof(t));
		for (;;)
			pause();
	}
	close(sync[1]);
	if (read(sync[0], &tid, sizeof(tid)) != sizeof(tid))
		die("thread child");
	close(sync[0]);
	WAIT_ASLEEP(pid, SYS_pause);
	printf("role=thread pid=%d tid=%d\n", (int)pid, (int)tid);
}

static void on_term(int sig)
{
	(void)sig;
}

static void make_pause(void)
{
	pid_t pid = spawn();

	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_term };

		child_setup("blk_pause", -1);
		signal(SIGUSR2, SIG_IGN);
		sigaction(SIGTERM, &sa, NULL);
		for (;;)
			pause();
	}
	WAIT_ASLEEP(pid, SYS_pause);
	printf("role=pause pid=%d\n", (int)pid);
}

static void make_sem(void)
{
	sem_t *s;
	pid_t pid;

	snprintf(sem_name, sizeof(sem_name), "/ipctop-blk-%d", (int)getpid());
	s = sem_open(sem_name, O_CREAT | O_EXCL, 0600, 0);
	if (s == SEM_FAILED)
		die("sem_open");
	pid = spawn();
	if (pid == 0) {
		child_setup("blk_sem", -1);
		sem_wait(s);
		_exit(0);
	}
	sem_close(s);
	WAIT_ASLEEP(pid, SYS_futex);
	printf("role=sem pid=%d name=%s\n", (int)pid, sem_name);
}

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_stop }; /* no SA_RESTART: read() returns */
	int write_end = -1;
	char buf[256];

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	make_read(&write_end);
	make_msgrcv();
	make_semop();
	make_mq();
	make_accept();
	make_sigwait();
	make_thread();
	make_pause();
	make_sem();
	fflush(stdout);

	while (!stop && read(0, buf, sizeof(buf)) > 0)
		;
	close(write_end);
	cleanup();
	return 0;
}
