/* For tests/live/churn.py: processes whose fd tables change between
 * refreshes while others sleep, to prove the fd-table cache exact.
 *
 * Workers 0..3 are forked children that act only on command: each holds a
 * stack of fds and, per round, opens a pipe (both ends), opens a unix
 * socket pair, closes its newest fd, or hands its newest fd to the next
 * worker over a socket (SCM_RIGHTS). Worker 4 sleeps for good holding the
 * other ends of pipes whose first ends the others close. Worker 5 sleeps for
 * good too, but shares its fd table (clone CLONE_FILES, no CLONE_THREAD) with
 * worker 6, which opens and closes fds in it on command: 5 never runs, yet
 * its table changes.
 * Worker 7 forks worker 8 and waits for a command to exit; 8 never runs
 * after it set up: it holds both ends of a pipe with 3 bytes in it, blocks
 * SIGUSR1/SIGUSR2 and sleeps in read() on a pipe only this process writes
 * to (EOF when we go: it leaves then). While 8 sleeps, others change its
 * facts: round 2 and 5 send it a blocked signal (pending, it does not
 * wake), round 4 ends its parent 7 (it is reparented). The sleeper 4
 * writes 5 bytes into every write end it holds on rounds 3 and 6 (queues of
 * pipes whose read ends quiet workers hold).
 *
 * stdin: "round N" -> does round N's changes, prints "ok". At start prints
 * "pids=P,P,..." (this process and every worker). EOF or SIGTERM: every
 * worker is killed and reaped, then exit. */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHURN_WORKERS 4
#define CHURN_MAXFD 64

static pid_t churn_pids[12];
static int churn_npids;
static int churn_ctl[8];      /* parent's end of each commanded worker's channel */
static int churn_give[CHURN_WORKERS][2]; /* worker i -> worker i+1, SCM_RIGHTS */

static void churn_send_fd(int sock, int fd)
{
	char byte = 'f', cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	sendmsg(sock, &m, 0);
}

static int churn_recv_fd(int sock)
{
	char byte, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(sock, &m, MSG_DONTWAIT) <= 0)
		return -1;
	c = CMSG_FIRSTHDR(&m);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* A worker: one command byte in, one 'k' out. */
static void churn_worker(int idx, int ctl, int sleeper)
{
	int stack[CHURN_MAXFD], n = 0;
	char cmd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (read(ctl, &cmd, 1) == 1) {
		int p[2];

		switch (cmd) {
		case 'p': /* a pipe: keep the read end, the sleeper gets the write end */
			if (pipe(p) == 0 && n < CHURN_MAXFD) {
				stack[n++] = p[0];
				if (sleeper >= 0)
					churn_send_fd(sleeper, p[1]);
				close(p[1]);
			}
			break;
		case 's':
			if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) == 0 && n + 1 < CHURN_MAXFD) {
				stack[n++] = p[0];
				stack[n++] = p[1];
			}
			break;
		case 'c':
			if (n > 0)
				close(stack[--n]);
			break;
		case 'g': /* hand the newest fd to the next worker */
			if (n > 0 && idx < CHURN_WORKERS) {
				churn_send_fd(churn_give[idx][0], stack[n - 1]);
				close(stack[--n]);
			}
			break;
		case 'r': /* receive what the previous worker handed over */
			if (idx > 0 && idx < CHURN_WORKERS && n < CHURN_MAXFD) {
				int fd = churn_recv_fd(churn_give[idx - 1][1]);
				if (fd >= 0)
					stack[n++] = fd;
			}
			break;
		}
		if (write(ctl, "k", 1) != 1)
			break;
	}
	_exit(0);
}

/* Worker 4 receives write ends and keeps them, then sleeps: it receives
 * only when told (it runs then), so between rounds it is quiet. */
static void churn_sleeper(int ctl, int in)
{
	int held[CHURN_MAXFD], n = 0;
	char cmd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (read(ctl, &cmd, 1) == 1) {
		int fd;

		if (cmd == 'r' && (fd = churn_recv_fd(in)) >= 0 && n < CHURN_MAXFD)
			held[n++] = fd;
		for (int i = 0; cmd == 'W' && i < n; i++)
			if (write(held[i], "abcde", 5) < 0)
				break;
		if (write(ctl, "k", 1) != 1)
			break;
	}
	_exit(0);
}

static int churn_cmd(int w, char c)
{
	char k;

	return write(churn_ctl[w], &c, 1) == 1 && read(churn_ctl[w], &k, 1) == 1 ? 0 : -1;
}

/* Worker 5 clones worker 6 with CLONE_FILES, then sleeps for good. */
static pid_t churn_sharer(int ctl_child, int *shared_pid_out)
{
	int report[2];
	pid_t s;

	if (pipe(report) < 0)
		return -1;
	s = fork();
	if (s == 0) {
		pid_t t;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		t = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
		if (t == 0)
			churn_worker(CHURN_WORKERS + 2, ctl_child, -1);
		if (write(report[1], &t, sizeof(t)) != sizeof(t))
			_exit(1);
		for (;;)
			pause();
	}
	if (s < 0 || read(report[0], shared_pid_out, sizeof(int)) != sizeof(int))
		return -1;
	close(report[0]);
	close(report[1]);
	return s;
}

/* Worker 7 (returned) and worker 8 (*quiet_out), see the top. */
static pid_t churn_orphan(int ctl_child, pid_t *quiet_out)
{
	int life[2], report[2];
	pid_t o;

	if (pipe(life) < 0 || pipe(report) < 0)
		return -1;
	o = fork();
	if (o == 0) {
		pid_t g;
		char cmd;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		g = fork();
		if (g == 0) {
			sigset_t set;
			int qp[2];
			char b;

			close(life[1]);
			sigemptyset(&set);
			sigaddset(&set, SIGUSR1);
			sigaddset(&set, SIGUSR2);
			sigprocmask(SIG_BLOCK, &set, NULL);
			if (pipe(qp) < 0 || write(qp[1], "xyz", 3) != 3)
				_exit(1);
			while (read(life[0], &b, 1) > 0)
				;
			_exit(0);
		}
		if (write(report[1], &g, sizeof(g)) != sizeof(g))
			_exit(1);
		while (read(ctl_child, &cmd, 1) == 1 && cmd != 'x')
			if (write(ctl_child, "k", 1) != 1)
				break;
		_exit(0);
	}
	close(life[0]);
	if (o < 0 || read(report[0], quiet_out, sizeof(pid_t)) != sizeof(pid_t))
		return -1;
	close(report[0]);
	close(report[1]);
	return o; /* life[1] stays open here: worker 8 lives as long as we do */
}

static void churn_stop(int sig)
{
	(void)sig;
	for (int i = 0; i < churn_npids; i++)
		if (churn_pids[i] > 0)
			kill(churn_pids[i], SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	_exit(0);
}

int main(void)
{
	int sv[8][2], sleeper_in[2], shared;
	pid_t orphan_parent, quiet;
	char line[64];

	signal(SIGTERM, churn_stop);
	signal(SIGINT, churn_stop);
	signal(SIGPIPE, SIG_IGN);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sleeper_in) < 0)
		return 1;
	for (int i = 0; i < CHURN_WORKERS; i++)
		if (socketpair(AF_UNIX, SOCK_DGRAM, 0, churn_give[i]) < 0)
			return 1;
	for (int i = 0; i < CHURN_WORKERS + 4; i++)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]) < 0)
			return 1;
	for (int i = 0; i < CHURN_WORKERS; i++) {
		pid_t p = fork();

		if (p == 0)
			churn_worker(i, sv[i][1], sleeper_in[0]);
		churn_pids[churn_npids++] = p;
		churn_ctl[i] = sv[i][0];
	}
	churn_pids[churn_npids] = fork();
	if (churn_pids[churn_npids] == 0)
		churn_sleeper(sv[CHURN_WORKERS][1], sleeper_in[1]);
	churn_ctl[CHURN_WORKERS] = sv[CHURN_WORKERS][0];
	churn_npids++;
	churn_pids[churn_npids++] = churn_sharer(sv[CHURN_WORKERS + 2][1], &shared);
	churn_pids[churn_npids++] = shared;
	churn_ctl[CHURN_WORKERS + 2] = sv[CHURN_WORKERS + 2][0];
	orphan_parent = churn_orphan(sv[CHURN_WORKERS + 3][1], &quiet);
	churn_pids[churn_npids++] = orphan_parent;
	churn_pids[churn_npids++] = quiet;
	if (orphan_parent < 0)
		return 1;

	printf("pids=%d", (int)getpid());
	for (int i = 0; i < churn_npids; i++)
		printf(",%d", (int)churn_pids[i]);
	printf("\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		int r = atoi(line + (strncmp(line, "round ", 6) ? 0 : 6));
		int w = r % CHURN_WORKERS, ok = 0;

		/* every round changes some tables and leaves the rest asleep */
		ok |= churn_cmd(w, "pspcgsc"[r % 7]);
		ok |= churn_cmd((w + 1) % CHURN_WORKERS, "rpcsp"[r % 5]);
		if (r % 3 == 0)
			ok |= churn_cmd(CHURN_WORKERS, 'r'); /* the sleeper takes a write end */
		ok |= churn_cmd(CHURN_WORKERS + 2, "psccp"[r % 5]); /* in worker 5's table */
		if (r == 3 || r == 6)
			ok |= churn_cmd(CHURN_WORKERS, 'W'); /* into pipes quiet workers read */
		if (r == 2)
			ok |= kill(quiet, SIGUSR1);
		if (r == 5)
			ok |= kill(quiet, SIGUSR2);
		if (r == 4) { /* worker 8 is reparented while it sleeps */
			char x = 'x';

			ok |= write(sv[CHURN_WORKERS + 3][0], &x, 1) != 1;
			ok |= waitpid(orphan_parent, NULL, 0) != orphan_parent;
			churn_pids[churn_npids - 2] = 0;
		}
		printf("%s\n", ok ? "error" : "ok");
		fflush(stdout);
	}
	churn_stop(0);
	return 0;
}
