/* Makes unix, tcp and udp sockets held by child processes, for
 * tests/live/sock.py. The parent creates and connects every socket (so it
 * knows each inode and port), then forks one child per end, each named
 * (PR_SET_NAME) and keeping only its own fds; the parent closes its copies.
 * It prints one "what=NAME key=value ..." line per scenario, waits until
 * stdin reaches EOF (or SIGTERM), then ends its children and removes the
 * socket files. Children die with it (PR_SET_PDEATHSIG). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN 16

static pid_t children[MAX_CHILDREN];
static int nchildren;
static char dir[64];
static char paths[2][128];
static volatile sig_atomic_t stop;

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	fprintf(stderr, "mk_sock: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(e));
	va_end(ap);
	for (int i = 0; i < nchildren; i++)
		kill(children[i], SIGKILL);
	for (int i = 0; i < 2; i++)
		if (paths[i][0])
			unlink(paths[i]);
	if (dir[0])
		rmdir(dir);
	exit(1);
}

static unsigned long ino_of(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat %d", fd);
	return (unsigned long)st.st_ino;
}

static unsigned port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		die("getsockname");
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* Forks a child named name that keeps fds keep[0..n) and sleeps. */
static pid_t child(const char *name, const int *keep, int n)
{
	pid_t parent = getpid(), pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid > 0) {
		children[nchildren++] = pid;
		return pid;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	prctl(PR_SET_NAME, name);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	int null = open("/dev/null", O_RDWR);

	/* do not hold the test's pipes */
	dup2(null, 0);
	dup2(null, 1);
	for (int fd = 3; fd < 256; fd++) {
		bool mine = false;

		for (int i = 0; i < n; i++)
			mine |= keep[i] == fd;
		if (!mine)
			close(fd);
	}
	for (;;)
		pause();
}

static int unix_socket(int type)
{
	int fd = socket(AF_UNIX, type, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

static socklen_t unix_addr(struct sockaddr_un *sa, const char *path, size_t len)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, len);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
}

static int unix_listener(const char *path, int backlog)
{
	struct sockaddr_un sa;
	socklen_t len = unix_addr(&sa, path, strlen(path) + 1);
	int fd = unix_socket(SOCK_STREAM);

	if (bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, backlog) < 0)
		die("bind/listen %s", path);
	return fd;
}

static int unix_connect(const char *path)
{
	struct sockaddr_un sa;
	socklen_t len = unix_addr(&sa, path, strlen(path) + 1);
	int fd = unix_socket(SOCK_STREAM);

	if (connect(fd, (struct sockaddr *)&sa, len) < 0)
		die("connect %s", path);
	return fd;
}

static void fill(int fd, size_t n)
{
	char buf[4096];

	memset(buf, 'x', sizeof(buf));
	if (n > sizeof(buf) || write(fd, buf, n) != (ssize_t)n)
		die("write");
}

static void scenario_unix_stream(void)
{
	int l, c, a;

	snprintf(paths[0], sizeof(paths[0]), "%s/stream srv.sock", dir);
	l = unix_listener(paths[0], 7);
	c = unix_connect(paths[0]);
	a = accept(l, NULL, NULL);
	if (a < 0)
		die("accept");
	fill(c, 100); /* the server does not read it */
	pid_t s = child("mks_ustream_s", (int[]){ l, a }, 2);
	pid_t k = child("mks_ustream_c", (int[]){ c }, 1);
	printf("what=ustream dir=%s spid=%d lfd=%d lino=%lu afd=%d aino=%lu cpid=%d cfd=%d "
	       "cino=%lu queued=100 backlog=7\n",
	       dir, s, l, ino_of(l), a, ino_of(a), k, c, ino_of(c));
	close(l);
	close(a);
	close(c);
}

static void scenario_unix_pending(void)
{
	int l, c1, c2;

	snprintf(paths[1], sizeof(paths[1]), "%s/pending.sock", dir);
	l = unix_listener(paths[1], 5);
	c1 = unix_connect(paths[1]);
	c2 = unix_connect(paths[1]);
	pid_t s = child("mks_pend_s", (int[]){ l }, 1);
	pid_t k = child("mks_pend_c", (int[]){ c1, c2 }, 2);
	printf("what=upending spid=%d lfd=%d lino=%lu cpid=%d c1fd=%d c1ino=%lu c2fd=%d c2ino=%lu "
	       "pending=2 backlog=5\n",
	       s, l, ino_of(l), k, c1, ino_of(c1), c2, ino_of(c2));
	close(l);
	close(c1);
	close(c2);
}

static void scenario_unix_dgram(void)
{
	struct sockaddr_un sa, sb;
	char na[64], nb[64];
	int a = unix_socket(SOCK_DGRAM), b = unix_socket(SOCK_DGRAM);
	size_t la, lb;

	/* abstract names with a NUL inside: shown "@mk_sock@PID.a" */
	la = (size_t)snprintf(na, sizeof(na), "_mk_sock_%d.a", (int)getpid());
	lb = (size_t)snprintf(nb, sizeof(nb), "_mk_sock_%d.b", (int)getpid());
	na[0] = nb[0] = '\0';
	na[8] = nb[8] = '\0';
	socklen_t alen = unix_addr(&sa, na, la), blen = unix_addr(&sb, nb, lb);

	if (bind(a, (struct sockaddr *)&sa, alen) < 0 || bind(b, (struct sockaddr *)&sb, blen) < 0 ||
	    connect(a, (struct sockaddr *)&sb, blen) < 0 || connect(b, (struct sockaddr *)&sa, alen) < 0)
		die("abstract dgram");
	fill(a, 33); /* one datagram of 33 bytes waits in b */
	pid_t pa = child("mks_dgram_a", (int[]){ a }, 1);
	pid_t pb = child("mks_dgram_b", (int[]){ b }, 1);
	printf("what=udgram apid=%d afd=%d aino=%lu aname=@mk_sock@%d.a bpid=%d bfd=%d bino=%lu "
	       "bname=@mk_sock@%d.b queued=33\n",
	       pa, a, ino_of(a), (int)getpid(), pb, b, ino_of(b), (int)getpid());
	close(a);
	close(b);
}

static void scenario_seqpacket(void)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
		die("socketpair");
	fill(sv[0], 10);
	pid_t pa = child("mks_seqp_a", (int[]){ sv[0] }, 1);
	pid_t pb = child("mks_seqp_b", (int[]){ sv[1] }, 1);
	printf("what=seqpacket apid=%d afd=%d aino=%lu bpid=%d bfd=%d bino=%lu queued=10\n", pa,
	       sv[0], ino_of(sv[0]), pb, sv[1], ino_of(sv[1]));
	close(sv[0]);
	close(sv[1]);
}

/* A listener, a connected client and the accepted end, on loopback. */
static bool tcp_triple(int family, int fds[3])
{
	struct sockaddr_storage ss = { .ss_family = (sa_family_t)family };
	socklen_t len = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

	if (family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	else
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fds[0] = socket(family, SOCK_STREAM, 0);
	if (fds[0] < 0 || bind(fds[0], (struct sockaddr *)&ss, len) < 0 || listen(fds[0], 9) < 0 ||
	    getsockname(fds[0], (struct sockaddr *)&ss, &len) < 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		return false;
	}
	fds[1] = socket(family, SOCK_STREAM, 0);
	if (fds[1] < 0 || connect(fds[1], (struct sockaddr *)&ss, len) < 0)
		die("tcp connect");
	fds[2] = accept(fds[0], NULL, NULL);
	if (fds[2] < 0)
		die("accept");
	return true;
}

static void scenario_tcp(int family)
{
	const char *what = family == AF_INET6 ? "tcp6" : "tcp";
	int fds[3];

	if (!tcp_triple(family, fds)) {
		printf("what=%s skip=1\n", what);
		return;
	}
	fill(fds[1], 1000); /* client -> server, unread */
	/* loopback delivers at once, but let the receive queue settle */
	usleep(50000);
	pid_t s = child(family == AF_INET6 ? "mks_tcp6_s" : "mks_tcp_s", (int[]){ fds[0], fds[2] }, 2);
	pid_t k = child(family == AF_INET6 ? "mks_tcp6_c" : "mks_tcp_c", (int[]){ fds[1] }, 1);
	printf("what=%s skip=0 spid=%d lfd=%d lino=%lu afd=%d aino=%lu cpid=%d cfd=%d cino=%lu "
	       "lport=%u cport=%u queued=1000 backlog=9\n",
	       what, s, fds[0], ino_of(fds[0]), fds[2], ino_of(fds[2]), k, fds[1], ino_of(fds[1]),
	       port_of(fds[0]), port_of(fds[1]));
	for (int i = 0; i < 3; i++)
		close(fds[i]);
}

static void scenario_udp(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (r < 0 || w < 0 || bind(r, (struct sockaddr *)&sa, len) < 0 ||
	    getsockname(r, (struct sockaddr *)&sa, &len) < 0 ||
	    connect(w, (struct sockaddr *)&sa, len) < 0)
		die("udp");
	fill(w, 50); /* one datagram waits in r */
	pid_t pr = child("mks_udp_r", (int[]){ r }, 1);
	pid_t pw = child("mks_udp_w", (int[]){ w }, 1);
	printf("what=udp rpid=%d rfd=%d rino=%lu rport=%u wpid=%d wfd=%d wino=%lu wport=%u\n", pr, r,
	       ino_of(r), port_of(r), pw, w, ino_of(w), port_of(w));
	close(r);
	close(w);
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_term }; /* no SA_RESTART: read returns */
	char buf[256];

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	snprintf(dir, sizeof(dir), "/tmp/mk_sock.XXXXXX");
	if (!mkdtemp(dir))
		die("mkdtemp");

	scenario_unix_stream();
	scenario_unix_pending();
	scenario_unix_dgram();
	scenario_seqpacket();
	scenario_tcp(AF_INET);
	scenario_tcp(AF_INET6);
	scenario_udp();
	fflush(stdout);

	while (!stop) {
		ssize_t n = read(0, buf, sizeof(buf));

		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	for (int i = 0; i < nchildren; i++)
		kill(children[i], SIGTERM);
	for (int i = 0; i < nchildren; i++)
		waitpid(children[i], NULL, 0);
	for (int i = 0; i < 2; i++)
		if (paths[i][0])
			unlink(paths[i]);
	rmdir(dir);
	return 0;
}
