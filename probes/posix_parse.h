/* Pure parsers and path classifiers for the POSIX IPC and shared-mapping
 * probes (posix_shm.c, posix_mq.c, mmap.c): strings and bytes in, structs
 * out, no I/O, so the Check suite feeds them literals. */
#ifndef IPCTOP_POSIX_PARSE_H
#define IPCTOP_POSIX_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The text a read() of /dev/mqueue/NAME returns (ipc/mqueue.c,
 * mqueue_read_file): "QSIZE:129        NOTIFY:2     SIGNO:0     NOTIFY_PID:8260".
 * QSIZE is the payload bytes queued; NOTIFY the sigev_notify method and
 * NOTIFY_PID the registered process (0: none). Absent fields are NONE. */
struct posix_mq_text {
	int64_t qsize, notify, signo, notify_pid;
};
/* 0 when QSIZE was found and every "KEY:value" token is well-formed, else -1. */
int posix_parse_mq_text(const char *text, struct posix_mq_text *out);

/* glibc's struct new_sem (sysdeps/nptl/internaltypes.h), as stored in a
 * named semaphore's file /dev/shm/sem.NAME:
 *  - with 64-bit atomics (every 64-bit target): uint64_t data, whose low 32
 *    bits (SEM_VALUE_MASK) are the value and high 32 bits
 *    (SEM_NWAITERS_SHIFT) the number of waiters; then int private, pad.
 *  - otherwise: unsigned value (value << SEM_VALUE_SHIFT, bit 0 "may have
 *    waiters"), int private, int pad, unsigned nwaiters.
 * Both are in host byte order: the file is only ever read on its machine. */
enum posix_sem_layout { POSIX_SEM_LAYOUT_64, POSIX_SEM_LAYOUT_32 };
#if __SIZEOF_POINTER__ == 8
#define POSIX_SEM_LAYOUT_HOST POSIX_SEM_LAYOUT_64
#else
#define POSIX_SEM_LAYOUT_HOST POSIX_SEM_LAYOUT_32
#endif
/* Bytes to read from the file (sizeof(sem_t) on the host). */
#define POSIX_SEM_FILE_SIZE (__SIZEOF_POINTER__ * 4)

struct posix_sem_state {
	int64_t value, nwaiters;
};
/* 0 and *out filled, or -1 when buf is too short or the value exceeds
 * SEM_VALUE_MAX (then it is not a glibc semaphore). */
int posix_sem_decode(const void *buf, size_t len, enum posix_sem_layout layout,
		     struct posix_sem_state *out);

/* Directory entry names of /dev/shm: "sem.NAME" is the named semaphore "/NAME". */
bool posix_is_sem_entry(const char *dname);

/* "/dev/shm/NAME" (one component): true, *name points at NAME. */
bool posix_shm_path_name(const char *path, const char **name);

/* An mq fd's readlink text is "/NAME", relative to the mqueue mount. */
bool posix_mq_fd_name(const char *target);

/* "/memfd:NAME" (after " (deleted)" was stripped): true, *name points at
 * NAME, which may hold spaces or be empty. */
bool posix_memfd_name(const char *path, const char **name);

/* What a shared mapping's path (" (deleted)" stripped) is. */
enum posix_map_class {
	MAPC_FILE,        /* a regular file: kind mmap */
	MAPC_SHM,         /* /dev/shm/...: posix_shm / posix_sem */
	MAPC_SYSV,        /* /SYSV%08x: SysV shared memory */
	MAPC_MEMFD,       /* /memfd:NAME */
	MAPC_ANON_SHARED, /* /dev/zero, /anon_hugepage: MAP_SHARED|MAP_ANONYMOUS */
	MAPC_DEVICE,      /* another /dev/... file: device memory, not IPC */
	MAPC_KERNEL,      /* "/[aio]", "/drm mm object" and other kernel-internal files */
	MAPC_OTHER,       /* not an absolute path */
};
enum posix_map_class posix_map_classify(const char *path);

#endif
