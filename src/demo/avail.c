/* ipcdemo: can this kernel (and this container) run a mechanism?  Each
 * probe creates a throw-away object and removes it at once.
 */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
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
#include <unistd.h>

static int demo_unavailable(char *why, size_t len, const char *what)
{
	snprintf(why, len, "%s: %s", what, strerror(errno));
	return -1;
}

/* IPCDEMO_DISABLE=a,b,… makes scenarios unavailable, as on a kernel
 * without them: for tests, and for a lecture that must skip one. */
int demo_available(const struct demo_scenario *s, char *why, size_t len)
{
	const char *d = getenv("IPCDEMO_DISABLE"), *p;
	size_t n = strlen(s->name);

	for (p = d; p && *p; p += strcspn(p, ",")) {
		p += strspn(p, ",");
		if (!strncmp(p, s->name, n) && (p[n] == ',' || p[n] == 0)) {
			snprintf(why, len, "disabled by IPCDEMO_DISABLE");
			return -1;
		}
	}
	return s->available(why, len);
}

int demo_have_always(char *why, size_t len)
{
	(void)why;
	(void)len;
	return 0;
}

int demo_have_mq(char *why, size_t len)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	char name[64];
	mqd_t q;

	snprintf(name, sizeof(name), "/ipcdemo.%d.probe", (int)getpid());
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1)
		return demo_unavailable(why, len, "POSIX message queues "
					"(mq_open)");
	mq_close(q);
	mq_unlink(name);
	return 0;
}

int demo_have_posix_shm(char *why, size_t len)
{
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "/ipcdemo.%d.probe", (int)getpid());
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return demo_unavailable(why, len, "POSIX shared memory "
					"(shm_open, /dev/shm)");
	close(fd);
	shm_unlink(name);
	return 0;
}

int demo_have_sysv_msg(char *why, size_t len)
{
	int id = msgget(IPC_PRIVATE, 0600);

	if (id < 0)
		return demo_unavailable(why, len, "System V message queues");
	msgctl(id, IPC_RMID, NULL);
	return 0;
}

int demo_have_sysv_shm(char *why, size_t len)
{
	int id = shmget(IPC_PRIVATE, 4096, 0600), sid;

	if (id < 0)
		return demo_unavailable(why, len, "System V shared memory");
	shmctl(id, IPC_RMID, NULL);
	sid = semget(IPC_PRIVATE, 2, 0600);
	if (sid < 0)
		return demo_unavailable(why, len, "System V semaphores");
	semctl(sid, 0, IPC_RMID);
	return 0;
}

int demo_have_unix(char *why, size_t len)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0)
		return demo_unavailable(why, len, "unix sockets");
	close(fd);
	return 0;
}

int demo_have_inet(char *why, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return demo_unavailable(why, len, "IPv4 sockets");
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return demo_unavailable(why, len, "binding 127.0.0.1 "
					"(is loopback up?)");
	}
	close(fd);
	return 0;
}
