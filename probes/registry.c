#include "config.h"

#include "probe.h"

/* Order matters only for finish(): sockets resolve peers after every holder
 * is known; mmap runs last so it can attach mappings to shm/sem objects. */
const struct probe *const probe_registry[] = {
	&probe_pipe,     &probe_eventfd,  &probe_unix,      &probe_inet,
	&probe_sysv_shm, &probe_sysv_msg, &probe_sysv_sem,  &probe_posix_shm,
	&probe_posix_mq, &probe_mmap,
};
const size_t probe_registry_len = sizeof(probe_registry) / sizeof(probe_registry[0]);
