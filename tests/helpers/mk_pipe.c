/* Test helper: pipes, a FIFO and an eventfd held by different child
 * processes. Prints one "key=value ..." line of facts, waits until stdin
 * reaches EOF (or SIGTERM), then ends its children and removes the FIFO. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t kids[8];
static int nkids;
static char fifo_dir[64], fifo_path[96];

static void cleanup(void)
{
	for (int i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < nkids; i++)
		waitpid(kids[i], NULL, 0);
	if (fifo_path[0])
		unlink(fifo_path);
	if (fifo_dir[0])
		rmdir(fifo_dir);
}

static void on_term(int sig)
{
	(void)sig;
	cleanup();
	_exit(0);
}

/* Forks a child named name that keeps the fds it is given and sleeps. */
static pid_t child(const char *name, void (*setup)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		cleanup();
		exit(1);
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);
		prctl(PR_SET_NAME, name);
		/* hold nothing of the test's: stdin and stdout to /dev/null */
		int null = open("/dev/null", O_RDWR);
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		close(null);
		if (setup)
			setup(arg);
		for (;;)
			pause();
	}
	kids[nkids++] = pid;
	return pid;
}

static int pfd[2], nrfd[2], efd;

static void close_read(void *a)
{
	(void)a;
	close(pfd[0]);
	if (write(pfd[1], "0123456789012345678901234567890123456789012345678901234567890123456789"
			  "012345678901234567890123456789", 100) != 100)
		_exit(1);
}

static void close_nr_read(void *a)
{
	(void)a;
	close(nrfd[0]);
}

static void close_write(void *a)
{
	(void)a;
	close(pfd[1]);
}

static int rfd;

static void fifo_writer(void *a)
{
	(void)a;
	close(rfd);
	int fd = open(fifo_path, O_WRONLY);
	if (fd < 0 || write(fd, "hello fifo", 10) != 10)
		_exit(1);
}

int main(void)
{
	pid_t pw, pr, fr, fw, e1, e2, nr;
	char buf[1];
	struct stat st;

	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	if (pipe(pfd) < 0)
		return 1;
	pw = child("pipe-writer", close_read, NULL);
	pr = child("pipe-reader", close_write, NULL);
	close(pfd[0]);
	close(pfd[1]);

	snprintf(fifo_dir, sizeof(fifo_dir), "/tmp/ipctop-test.%d", (int)getpid());
	if (mkdir(fifo_dir, 0700) < 0)
		return 1;
	snprintf(fifo_path, sizeof(fifo_path), "%s/fifo", fifo_dir);
	if (mkfifo(fifo_path, 0600) < 0) {
		cleanup();
		return 1;
	}
	/* the reader opens first (non-blocking), so the writer's open returns */
	rfd = open(fifo_path, O_RDONLY | O_NONBLOCK);
	fr = child("fifo-reader", NULL, NULL);
	fw = child("fifo-writer", fifo_writer, NULL);
	close(rfd);
	stat(fifo_path, &st);

	efd = eventfd(7, 0);
	e1 = child("efd-one", NULL, NULL);
	e2 = child("efd-two", NULL, NULL);
	close(efd);

	if (pipe(nrfd) < 0) {
		cleanup();
		return 1;
	}
	nr = child("lonely-writer", close_nr_read, NULL);
	close(nrfd[0]);
	close(nrfd[1]);
	usleep(300 * 1000);

	char link[64], target[64];
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pw, pfd[1]);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	printf("pipe=%s writer=%d writer_fd=%d reader=%d reader_fd=%d bytes=100 "
	       "fifo=%s fifo_ino=%lu fifo_reader=%d fifo_reader_fd=%d fifo_writer=%d fifo_bytes=10 "
	       "efd_one=%d efd_two=%d efd_fd=%d efd_count=7 lonely=%d lonely_wfd=%d\n",
	       target, pw, pfd[1], pr, pfd[0], fifo_path, (unsigned long)st.st_ino, fr, rfd, fw,
	       e1, e2, efd, nr, nrfd[1]);
	fflush(stdout);
	while (read(STDIN_FILENO, buf, 1) > 0 || errno == EINTR)
		;
	cleanup();
	return 0;
}
