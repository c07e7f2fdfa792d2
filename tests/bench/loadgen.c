/* Load generator for `make bench`: P sleeping processes holding about F fds
 * each, every IPC object with its ends in two different processes (a chain:
 * process i shares half of its fds with i-1 and half with i+1), across
 * pipes, unix socket pairs and loopback TCP connections; every tenth process
 * also creates and uses one SysV shm segment (attached), semaphore set and
 * message queue, and one POSIX shm object (open and mapped), semaphore and
 * message queue (open).
 *
 *   loadgen -p P -f F      builds the load, prints "ready procs=N fds=N pid=PID"
 *                          and waits for stdin EOF, SIGINT, SIGTERM or SIGHUP,
 *                          then removes everything and exits
 *   loadgen --cleanup      removes what a killed loadgen left (its SysV keys,
 *                          its POSIX names)
 *
 * Children die with the parent (PR_SET_PDEATHSIG); the parent removes the
 * SysV objects (by key, LOADGEN_KEY_BASE + i) and the POSIX names
 * (/ipctop-bench-*) on every exit path it can see. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <unistd.h>

#define LOADGEN_KEY_BASE 0x1bc70000
#define LOADGEN_KEY_SPAN 0x10000
#define LOADGEN_PREFIX "ipctop-bench-"
#define LOADGEN_OBJ_EVERY 10

static volatile sig_atomic_t loadgen_stop;
static pid_t *loadgen_kids;
static int loadgen_nkids;

static void loadgen_on_signal(int sig)
{
	(void)sig;
	loadgen_stop = 1;
}

static void loadgen_die(const char *what)
{
	perror(what);
	for (int i = 0; i < loadgen_nkids; i++)
		kill(loadgen_kids[i], SIGKILL);
	exit(1);
}

/* An fd pair whose two ends will live in different processes. */
static void loadgen_pair(int kind, int listener, const struct sockaddr_in *addr, int out[2])
{
	switch (kind) {
	case 0:
		if (pipe(out) < 0)
			loadgen_die("pipe");
		break;
	case 1:
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, out) < 0)
			loadgen_die("socketpair");
		break;
	default:
		out[0] = socket(AF_INET, SOCK_STREAM, 0);
		if (out[0] < 0 || connect(out[0], (const struct sockaddr *)addr, sizeof(*addr)) < 0)
			loadgen_die("connect");
		out[1] = accept(listener, NULL, NULL);
		if (out[1] < 0)
			loadgen_die("accept");
		break;
	}
}

static void loadgen_names(int i, char *name, size_t size)
{
	snprintf(name, size, "/" LOADGEN_PREFIX "%d-%d", (int)getppid(), i);
}

/* Objects a child creates itself, so that it is their creator. */
static void loadgen_child_objects(int i)
{
	char name[64];
	int id, fd;
	void *p;

	id = shmget(LOADGEN_KEY_BASE + i, 65536, IPC_CREAT | 0600);
	if (id >= 0 && (p = shmat(id, NULL, 0)) != (void *)-1)
		memset(p, 1, 16);
	id = semget(LOADGEN_KEY_BASE + i, 4, IPC_CREAT | 0600);
	if (id >= 0)
		semctl(id, 0, SETVAL, 3);
	id = msgget(LOADGEN_KEY_BASE + i, IPC_CREAT | 0600);
	if (id >= 0) {
		struct {
			long mtype;
			char text[32];
		} msg = { 1, "queued" };
		msgsnd(id, &msg, sizeof(msg.text), IPC_NOWAIT);
	}
	loadgen_names(i, name, sizeof(name));
	fd = shm_open(name, O_RDWR | O_CREAT, 0600);
	if (fd >= 0 && ftruncate(fd, 4096) == 0)
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	sem_open(name, O_CREAT, 0600, 2);
	mq_open(name, O_RDWR | O_CREAT, 0600, NULL);
}

static void loadgen_cleanup(pid_t owner, int n)
{
	char name[64];
	DIR *d;
	struct dirent *de;

	for (int i = 0; i < n; i++) {
		int id;

		if ((id = shmget(LOADGEN_KEY_BASE + i, 0, 0)) >= 0)
			shmctl(id, IPC_RMID, NULL);
		if ((id = semget(LOADGEN_KEY_BASE + i, 0, 0)) >= 0)
			semctl(id, 0, IPC_RMID);
		if ((id = msgget(LOADGEN_KEY_BASE + i, 0)) >= 0)
			msgctl(id, IPC_RMID, NULL);
	}
	/* POSIX names: ours (owner) or, for --cleanup, anyone's */
	snprintf(name, sizeof(name), LOADGEN_PREFIX "%d-", (int)owner);
	if ((d = opendir("/dev/shm"))) {
		while ((de = readdir(d))) {
			const char *base = strncmp(de->d_name, "sem.", 4) ? de->d_name : de->d_name + 4;
			if (!strncmp(base, owner ? name : LOADGEN_PREFIX, strlen(owner ? name : LOADGEN_PREFIX))) {
				char path[300];
				snprintf(path, sizeof(path), "/dev/shm/%s", de->d_name);
				unlink(path);
			}
		}
		closedir(d);
	}
	if ((d = opendir("/dev/mqueue"))) {
		while ((de = readdir(d))) {
			if (!strncmp(de->d_name, owner ? name : LOADGEN_PREFIX,
				     strlen(owner ? name : LOADGEN_PREFIX))) {
				char path[300];
				snprintf(path, sizeof(path), "/%s", de->d_name);
				mq_unlink(path);
			}
		}
		closedir(d);
	}
}

static int loadgen_cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* In the child: keep the fds in keep[], stdio on /dev/null, close the rest. */
static void loadgen_child(int i, const int *keep, int nkeep, int ready_w, pid_t parent)
{
	int null = open("/dev/null", O_RDWR);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	dup2(null, 0);
	dup2(null, 1);
	close(null);
	int *all = calloc((size_t)nkeep + 1, sizeof(int)), lo = 3;

	memcpy(all, keep, sizeof(int) * (size_t)nkeep);
	all[nkeep] = ready_w;
	qsort(all, (size_t)nkeep + 1, sizeof(int), loadgen_cmp_int);
	for (int k = 0; k <= nkeep; k++) {
		if (all[k] > lo)
			close_range((unsigned)lo, (unsigned)all[k] - 1, 0);
		if (all[k] + 1 > lo)
			lo = all[k] + 1;
	}
	close_range((unsigned)lo, ~0u, 0);
	free(all);
	if (i % LOADGEN_OBJ_EVERY == 0)
		loadgen_child_objects(i);
	if (write(ready_w, "r", 1) != 1)
		_exit(1);
	close(ready_w);
	dup2(0, 2);
	for (;;)
		pause();
}

static int loadgen_run(int nprocs, int nfds)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	int listener, ready[2], half = nfds / 2, total = 0;
	int *carry = calloc((size_t)half + 1, sizeof(int)), ncarry = 0;
	int *next = calloc((size_t)half + 1, sizeof(int));
	int *keep = calloc((size_t)nfds + 2, sizeof(int));
	struct sigaction sa = { .sa_handler = loadgen_on_signal };
	struct rlimit rl;
	pid_t self = getpid();

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < (rlim_t)(4 * nfds + 64)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	loadgen_kids = calloc((size_t)nprocs, sizeof(pid_t));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(listener, 16) < 0 || getsockname(listener, (struct sockaddr *)&addr, &alen) < 0)
		loadgen_die("listen");
	if (pipe(ready) < 0)
		loadgen_die("pipe");

	for (int i = 0; i < nprocs && !loadgen_stop; i++) {
		int nkeep = 0, nnext = 0;
		pid_t pid;

		/* pairs shared with the next process: 2/5 pipes, 2/5 unix, 1/5 tcp */
		for (int k = 0; i + 1 < nprocs && k < half; k += 1) {
			int pr[2];

			loadgen_pair(k % 5 < 2 ? 0 : k % 5 < 4 ? 1 : 2, listener, &addr, pr);
			keep[nkeep++] = pr[0];
			next[nnext++] = pr[1];
		}
		for (int k = 0; k < ncarry; k++)
			keep[nkeep++] = carry[k];
		pid = fork();
		if (pid < 0)
			loadgen_die("fork");
		if (pid == 0)
			loadgen_child(i, keep, nkeep, ready[1], self);
		loadgen_kids[loadgen_nkids++] = pid;
		total += nkeep;
		for (int k = 0; k < nkeep; k++)
			close(keep[k]);
		memcpy(carry, next, sizeof(int) * (size_t)nnext);
		ncarry = nnext;
	}
	close(ready[1]);
	for (int got = 0; got < loadgen_nkids && !loadgen_stop;) {
		char buf[256];
		ssize_t n = read(ready[0], buf, sizeof(buf));

		if (n <= 0 && errno != EINTR)
			break;
		if (n > 0)
			got += (int)n;
	}
	close(ready[0]);
	if (!loadgen_stop) {
		printf("ready procs=%d fds=%d pid=%d\n", loadgen_nkids, total, (int)self);
		fflush(stdout);
	}
	while (!loadgen_stop) {
		struct pollfd p = { .fd = 0, .events = POLLIN };
		char c;

		if (poll(&p, 1, -1) > 0 && read(0, &c, 1) <= 0)
			break;
	}
	for (int i = 0; i < loadgen_nkids; i++)
		kill(loadgen_kids[i], SIGKILL);
	for (int i = 0; i < loadgen_nkids; i++)
		waitpid(loadgen_kids[i], NULL, 0);
	loadgen_cleanup(self, nprocs);
	close(listener);
	free(carry);
	free(next);
	free(keep);
	free(loadgen_kids);
	return 0;
}

int main(int argc, char **argv)
{
	int nprocs = 50, nfds = 20;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cleanup")) {
			loadgen_cleanup(0, LOADGEN_KEY_SPAN);
			return 0;
		} else if (!strcmp(argv[i], "-p") && i + 1 < argc) {
			nprocs = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "-f") && i + 1 < argc) {
			nfds = atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: loadgen [-p PROCS] [-f FDS] | --cleanup\n");
			return 2;
		}
	}
	if (nprocs < 1 || nprocs > LOADGEN_KEY_SPAN || nfds < 2 || nfds > 4000) {
		fprintf(stderr, "loadgen: -p 1..%d, -f 2..4000\n", LOADGEN_KEY_SPAN);
		return 2;
	}
	return loadgen_run(nprocs, nfds);
}
