/* One record of the fd dump, as the BPF program (fddump.bpf.c) writes it
 * and fddump.c reads it: fixed fields, then pathlen bytes of name. Shared
 * by both sides, so it uses only the kernel's fixed-width types. */
#ifndef IPCTOP_FDDUMP_REC_H
#define IPCTOP_FDDUMP_REC_H

enum fddump_kind {
	FDDUMP_NAMED = 0,  /* the name follows: d_path(), as readlink prints it */
	FDDUMP_PIPE = 1,   /* an anonymous pipe: "pipe:[ino]" */
	FDDUMP_SOCKET = 2, /* a socket: "socket:[ino]" */
	FDDUMP_NONAME = 3, /* d_path() failed: read this process through /proc */
	FDDUMP_TASK = 4,   /* not an fd: the process's namespaces follow (struct
			    * fddump_task), before its first fd's record */
};

/* What /proc/PID/ns/{ipc,net,mnt} name (their nsfs inode numbers), as the
 * fd dump sees each process it lists: three stat() calls a process less in
 * a cold snapshot. */
struct fddump_task {
	__u32 ns_ipc, ns_net, ns_mnt, pad;
};

/* The name buffer: d_path() needs room for the whole path and its NUL. */
#define FDDUMP_PATH_MAX 4096

struct fddump_rec {
	__u32 tgid, fd;
	__u64 ino;
	__u32 imode;    /* the inode's i_mode: file type and permission bits */
	__u32 fmode;    /* the open file's f_mode: FMODE_READ 1, FMODE_WRITE 2 */
	__u32 kind;     /* enum fddump_kind */
	__u32 pathlen;  /* bytes of name after the record, its NUL included
			 * (FDDUMP_TASK: sizeof(struct fddump_task)) */
	__s64 qbytes;   /* a pipe's (or FIFO's) bytes queued, as FIONREAD; -1 unknown */
	__u32 qslots;   /* its max_usage: capacity in pages, as F_GETPIPE_SZ / page size */
	__u32 pad;
};

#endif
