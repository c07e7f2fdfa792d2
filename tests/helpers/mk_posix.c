/* mk_posix: makes POSIX IPC objects and shared mappings held by child
 * processes, for tests/live/posix.py.
 *
 * Prints one "what=... key=value ..." line per fact on stdout (the first is
 * what=names), then waits until stdin reaches EOF or SIGTERM, then kills its
 * children by pid and removes every name it created. Names hold the
 * helper's pid, so runs never collide. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PIDS 32
#define MQ_MAXMSG 5
#define MQ_MSGSIZE 128
#define MQFULL_MAXMSG 3

static char shm_name[64], sem_name[64], mq_name[64], mqfull_name[64], del_name[64];
static char file_path[128], memfd_name[64];
static int report_fd = -1;
static FILE *report_in;
static pid_t pids[MAX_PIDS];
static int npids;
static volatile sig_atomic_t stop;

static pid_t supervisor;

static void die(const char *what)
{
	fprintf(stderr, "mk_posix: %s: %s\n", what, strerror(errno));
	if (getpid() == supervisor)
		exit(2); /* cleanup() removes what was made */
	_exit(2);
}

/* A child's one report line, written atomically into the report pipe. */
static void report(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	buf[n++] = '\n';
	if (write(report_fd, buf, (size_t)n) != n)
		die("report");
}

static void wait_forever(void)
{
	for (;;)
		pause();
}

/* Forks a child named comm that dies with its parent and runs fn. */
static pid_t spawn(const char *comm, void (*fn)(void))
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid > 0)
		return pid;
	signal(SIGTERM, SIG_DFL);
	prctl(PR_SET_NAME, comm);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	fn();
	wait_forever();
	_exit(0);
}

/* Supervisor: starts a direct child, then relays its n report lines. */
static void start(const char *comm, void (*fn)(void), int lines)
{
	char line[512];

	pids[npids++] = spawn(comm, fn);
	for (int i = 0; i < lines; i++) {
		if (!fgets(line, sizeof(line), report_in))
			die("child report");
		fputs(line, stdout);
		/* remember grandchildren too: they are killed by pid at the end */
		char *p = strstr(line, " pid=");
		if (p && npids < MAX_PIDS && atoi(p + 5) != pids[npids - 1])
			pids[npids++] = atoi(p + 5);
	}
	fflush(stdout);
}

static void *map_fd(int fd, size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void shm_holder(void)
{
	int fd = shm_open(shm_name, O_RDWR, 0);

	if (fd < 0)
		die("shm_open holder");
	report("what=shm_holder pid=%d fd=%d", getpid(), fd);
}

static void shm_mapper(void)
{
	int fd = shm_open(shm_name, O_RDWR, 0);
	char *p;

	if (fd < 0)
		die("shm_open mapper");
	p = map_fd(fd, 4096, PROT_READ | PROT_WRITE);
	close(fd);
	strcpy(p, "hello");
	report("what=shm_mapper pid=%d", getpid());
}

static void sem_creator(void)
{
	sem_t *s = sem_open(sem_name, O_CREAT | O_EXCL, 0600, 0);

	if (s == SEM_FAILED)
		die("sem_open create");
	for (int i = 0; i < 3; i++)
		sem_post(s);
	report("what=sem_creator pid=%d value=3", getpid());
}

static void sem_opener(void)
{
	if (sem_open(sem_name, 0) == SEM_FAILED)
		die("sem_open");
	report("what=sem_opener pid=%d", getpid());
}

static void mq_writer(void)
{
	mqd_t q = mq_open(mq_name, O_WRONLY);
	char buf[64];

	if (q < 0)
		die("mq_open writer");
	memset(buf, 'x', sizeof(buf));
	if (mq_send(q, buf, 10, 0) < 0 || mq_send(q, buf, 23, 1) < 0)
		die("mq_send");
	report("what=mq_writer pid=%d fd=%d messages=2 bytes=33 maxmsg=%d msgsize=%d", getpid(),
	       (int)q, MQ_MAXMSG, MQ_MSGSIZE);
}

static void mq_reader(void)
{
	mqd_t q = mq_open(mq_name, O_RDONLY);

	if (q < 0)
		die("mq_open reader");
	report("what=mq_reader pid=%d fd=%d", getpid(), (int)q);
}

static void mq_notifier(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	mqd_t q = mq_open(mq_name, O_RDONLY);

	if (q < 0 || mq_notify(q, &ev) < 0)
		die("mq_notify");
	report("what=mq_notify pid=%d fd=%d", getpid(), (int)q);
}

static void mq_filler(void)
{
	struct mq_attr a = { .mq_maxmsg = MQFULL_MAXMSG, .mq_msgsize = 16 };
	mqd_t q = mq_open(mqfull_name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);

	if (q < 0)
		die("mq_open full");
	for (int i = 0; i < MQFULL_MAXMSG; i++)
		if (mq_send(q, "full", 4, 0) < 0)
			die("mq_send full");
	report("what=mqfull pid=%d fd=%d messages=%d", getpid(), (int)q, MQFULL_MAXMSG);
}

static void map_a(void)
{
	int fd = open(file_path, O_RDWR);

	if (fd < 0)
		die("open map file");
	map_fd(fd, 8192, PROT_READ | PROT_WRITE);
	report("what=map_a pid=%d fd=%d", getpid(), fd);
}

static void map_b(void)
{
	int fd = open(file_path, O_RDONLY);

	if (fd < 0)
		die("open map file");
	map_fd(fd, 8192, PROT_READ);
	close(fd);
	report("what=map_b pid=%d", getpid());
}

static int memfd;

static void memfd_child(void)
{
	map_fd(memfd, 4096, PROT_READ | PROT_WRITE);
	close(memfd);
	report("what=memfd_child pid=%d", getpid());
}

static void memfd_parent(void)
{
	struct stat st;

	memfd = memfd_create(memfd_name, MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, 4096) < 0 || fstat(memfd, &st) < 0)
		die("memfd_create");
	report("what=memfd_parent pid=%d fd=%d ino=%llu", getpid(), memfd,
	       (unsigned long long)st.st_ino);
	spawn("pmemfd_child", memfd_child);
}

static void shm_deleted(void)
{
	int fd = shm_open(del_name, O_RDWR | O_CREAT | O_EXCL, 0600);
	struct stat st;

	if (fd < 0 || ftruncate(fd, 4096) < 0 || fstat(fd, &st) < 0)
		die("shm_open deleted");
	map_fd(fd, 4096, PROT_READ | PROT_WRITE);
	shm_unlink(del_name);
	report("what=shm_deleted pid=%d fd=%d ino=%llu", getpid(), fd,
	       (unsigned long long)st.st_ino);
}

static void anon_child(void)
{
	report("what=anon_b pid=%d", getpid());
}

static void anon_parent(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap anon");
	report("what=anon_a pid=%d", getpid());
	spawn("panon_child", anon_child);
}

static void on_term(int sig)
{
	stop = 1;
}

static void cleanup(void)
{
	for (int i = npids - 1; i >= 0; i--)
		kill(pids[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	shm_unlink(shm_name);
	shm_unlink(del_name);
	sem_unlink(sem_name);
	mq_unlink(mq_name);
	mq_unlink(mqfull_name);
	unlink(file_path);
}

static void create_objects(void)
{
	struct mq_attr a = { .mq_maxmsg = MQ_MAXMSG, .mq_msgsize = MQ_MSGSIZE };
	int fd;
	mqd_t q;

	fd = shm_open(shm_name, O_RDWR | O_CREAT | O_EXCL, 0640);
	if (fd < 0 || ftruncate(fd, 4096) < 0)
		die("shm_open");
	close(fd);
	q = mq_open(mq_name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	if (q < 0)
		die("mq_open");
	mq_close(q);
	fd = open(file_path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || ftruncate(fd, 8192) < 0)
		die("create map file");
	close(fd);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_term };
	int pfd[2];
	int me = (int)getpid();
	char c;

	supervisor = getpid();
	snprintf(shm_name, sizeof(shm_name), "/ipct_shm_%d", me);
	snprintf(sem_name, sizeof(sem_name), "/ipct_sem_%d", me);
	snprintf(mq_name, sizeof(mq_name), "/ipct_mq_%d", me);
	snprintf(mqfull_name, sizeof(mqfull_name), "/ipct_mqf_%d", me);
	snprintf(del_name, sizeof(del_name), "/ipct_del_%d", me);
	snprintf(file_path, sizeof(file_path), "/tmp/ipct_map_%d", me);
	snprintf(memfd_name, sizeof(memfd_name), "ipct mem %d", me);

	/* orphaned grandchildren come back to us, to be reaped in cleanup() */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART: read() returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	if (pipe(pfd) < 0)
		die("pipe");
	report_fd = pfd[1];
	report_in = fdopen(pfd[0], "r");
	atexit(cleanup);
	create_objects();

	printf("what=names helper=%d shm=%s sem=%s mq=%s mqfull=%s del=%s file=%s\n", me,
	       shm_name, sem_name, mq_name, mqfull_name, del_name, file_path);
	fflush(stdout);
	start("pshm_holder", shm_holder, 1);
	start("pshm_mapper", shm_mapper, 1);
	start("psem_creator", sem_creator, 1);
	start("psem_opener", sem_opener, 1);
	start("pmq_writer", mq_writer, 1);
	start("pmq_reader", mq_reader, 1);
	start("pmq_notify", mq_notifier, 1);
	start("pmq_full", mq_filler, 1);
	start("pmap_a", map_a, 1);
	start("pmap_b", map_b, 1);
	start("pmemfd_parent", memfd_parent, 2);
	start("pshm_deleted", shm_deleted, 1);
	start("panon_parent", anon_parent, 2);

	while (!stop) {
		ssize_t n = read(STDIN_FILENO, &c, 1);
		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	return 0; /* cleanup() runs at exit */
}
