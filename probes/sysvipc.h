/* Parsers of the lines of /proc/sysvipc/{shm,msg,sem}: a string in, a struct
 * out, no I/O. The kernel prints them in ipc/shm.c, ipc/msg.c and ipc/sem.c
 * (sysvipc_*_proc_show); man 5 proc lists the columns. */
#ifndef IPCTOP_SYSVIPC_H
#define IPCTOP_SYSVIPC_H

#include <stdint.h>

/* What a parser made of a line. */
enum sysvipc_parse {
	SYSVIPC_ERROR = -1, /* malformed or truncated: skip it */
	SYSVIPC_OK = 0,     /* *out is filled */
	SYSVIPC_HEADER = 1, /* the column header ("       key      shmid perms ...") */
};

/* The perms column is printed in octal (%4o) and carries more than the
 * permission bits: SHM_DEST (01000) once IPC_RMID was called on a segment
 * that is still attached, SHM_LOCKED (02000) after SHM_LOCK. */
#define SYSVIPC_MODE_MASK 0777u
#define SYSVIPC_SHM_DEST 01000u
#define SYSVIPC_SHM_LOCKED 02000u

/* key shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rss swap */
struct sysvipc_shm {
	int32_t key; /* %10d: signed, IPC_PRIVATE is 0 (and so is a removed key) */
	int32_t id;
	uint32_t perms;
	uint64_t size;
	uint32_t cpid, lpid; /* 0 when not in our pid namespace */
	uint64_t nattch;
	uint32_t uid, gid, cuid, cgid;
	uint64_t atime, dtime, ctime;
	uint64_t rss, swap; /* bytes */
};

/* key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid stime rtime ctime */
struct sysvipc_msg {
	int32_t key;
	int32_t id;
	uint32_t perms;
	uint64_t cbytes, qnum;
	uint32_t lspid, lrpid;
	uint32_t uid, gid, cuid, cgid;
	uint64_t stime, rtime, ctime;
};

/* key semid perms nsems uid gid cuid cgid otime ctime */
struct sysvipc_sem {
	int32_t key;
	int32_t id;
	uint32_t perms;
	uint32_t nsems;
	uint32_t uid, gid, cuid, cgid;
	uint64_t otime, ctime;
};

/* Each parses one line (a trailing newline is allowed). Columns a future
 * kernel appends after the known ones are ignored; a missing column, a
 * non-number, a sign on an unsigned column or a value out of range is an
 * error. *out is only meaningful on SYSVIPC_OK. */
int sysvipc_parse_shm_line(const char *line, struct sysvipc_shm *out);
int sysvipc_parse_msg_line(const char *line, struct sysvipc_msg *out);
int sysvipc_parse_sem_line(const char *line, struct sysvipc_sem *out);

/* Splits a buffer in place into lines: returns the next line (NUL-terminated,
 * newline removed) and advances *cursor, or NULL at the end. */
char *sysvipc_next_line(char **cursor);

#endif
