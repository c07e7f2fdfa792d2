/* Another process's fd through pidfd_getfd(2), for reading side-channel
 * counters (FIONREAD, F_GETPIPE_SZ): a pidfd of the process, then a
 * duplicate of its fd, which the caller closes at once. */
#ifndef IPCTOP_PIDFD_H
#define IPCTOP_PIDFD_H

#include <sys/types.h>

/* A pidfd of pid, or -1 (errno) when it is gone or refused. */
int pidfd_of(pid_t pid);
/* A duplicate of fd of the process of pidfd, or -1 (errno). */
int pidfd_dup_fd(int pidfd, int fd);

#endif
