#include "config.h"

#include "demo_child.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Candidates: the build tree (src/ipctop -> src/demo/ipcdemo), an installed
 * sibling (bin/ipctop -> bin/ipcdemo), then PATH. */
static void find_ipcdemo(char *out, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out, size, "%s/demo/ipcdemo", self);
			if (access(out, X_OK) == 0)
				return;
			snprintf(out, size, "%s/ipcdemo", self);
			if (access(out, X_OK) == 0)
				return;
		}
	}
	snprintf(out, size, "ipcdemo");
}

pid_t demo_child_start(void)
{
	char path[PATH_MAX + 32];
	pid_t pid;

	find_ipcdemo(path, sizeof(path));
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			if (null > STDERR_FILENO)
				close(null);
		}
		/* its own process group: a Ctrl-C meant for the screen is ours to handle */
		setpgid(0, 0);
		execlp(path, "ipcdemo", "--quiet", "all", (char *)NULL);
		_exit(127);
	}
	/* did it start? an exec failure shows at once */
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	int st;
	if (waitpid(pid, &st, WNOHANG) == pid) {
		errno = WIFEXITED(st) && WEXITSTATUS(st) == 127 ? ENOENT : ECHILD;
		return -1;
	}
	return pid;
}

void demo_child_stop(pid_t pid)
{
	int st;

	kill(pid, SIGTERM);
	for (int i = 0; i < 50; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return;
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}
