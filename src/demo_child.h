/* `ipctop --demo`: ipcdemo all, started in the background and stopped on exit. */
#ifndef IPCTOP_DEMO_CHILD_H
#define IPCTOP_DEMO_CHILD_H

#include <sys/types.h>

/* Starts `ipcdemo --quiet all` (found next to our executable, then in PATH) with its
 * output discarded; returns its pid, or -1 with errno. */
pid_t demo_child_start(void);
/* Stops it (SIGTERM, then SIGKILL after a grace period) and reaps it. */
void demo_child_stop(pid_t pid);

#endif
