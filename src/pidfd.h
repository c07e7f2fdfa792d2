/* A duplicate of another process's fd through pidfd_getfd(2), for reading
 * side-channel counters (FIONREAD, F_GETPIPE_SZ). The caller closes it at once. */
#ifndef IPCTOP_PIDFD_H
#define IPCTOP_PIDFD_H

#include <sys/types.h>

/* Returns a new fd, or -1 (errno) when the process or fd is gone or refused. */
int pidfd_dup(pid_t pid, int fd);

#endif
