/* What ipctop knows about one unix socket, and the decoder of one
 * unix_diag reply (struct unix_diag_msg + rtattrs) into it. procnet.c fills
 * the same struct from /proc/net/unix, with less in it. */
#ifndef IPCTOP_UNIXDIAG_H
#define IPCTOP_UNIXDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* sun_path is 108 bytes; the display form is never longer. */
#define UNIXDIAG_NAME_MAX 112

struct unix_sock_info {
	uint64_t ino;
	int type;  /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
	int state; /* TCP_* (net/tcp_states.h), as af_unix keeps sk_state */
	bool named;
	/* the path, or "@name" for an abstract name (every NUL shown as '@',
	 * as ss and /proc/net/unix do); "" when unnamed */
	char name[UNIXDIAG_NAME_MAX];
	int64_t peer;           /* peer's inode (UNIX_DIAG_PEER); NONE if absent */
	int64_t rqueue, wqueue; /* UNIX_DIAG_RQLEN; NONE if absent */
	int64_t uid;            /* UNIX_DIAG_UID; NONE if absent */
	int64_t vfs_ino, vfs_dev; /* UNIX_DIAG_VFS: the bound file; NONE if absent */
	/* UNIX_DIAG_ICONS of a listener: the inodes of the clients whose
	 * connections wait to be accepted. Points into the parsed buffer
	 * (4-byte values, possibly unaligned: read with memcpy). */
	const void *icons;
	size_t nicons;
};

/* Empties u: unnamed, every number NONE. */
void unixdiag_init(struct unix_sock_info *u);

/* Decodes one reply's payload (NLMSG_DATA, NLMSG_PAYLOAD bytes). Returns 0,
 * or -1 when the message is shorter than struct unix_diag_msg or an
 * attribute is malformed or truncated (nothing is read past len). */
int unixdiag_parse(const void *payload, size_t len, struct unix_sock_info *u);

/* Inode of client i of a listener's icons. */
uint64_t unixdiag_icon(const struct unix_sock_info *u, size_t i);

/* Copies a sun_path of len bytes (as bound: leading NUL for abstract) into
 * its display form in u->name and sets u->named. */
void unixdiag_set_name(struct unix_sock_info *u, const char *sun_path, size_t len);

/* Static names: "stream", "dgram", "seqpacket" (NULL if unknown); states as
 * ss shows them but spelled out: LISTEN, ESTABLISHED, UNCONN, CONNECTING... */
const char *unixdiag_type_name(int type);
const char *unixdiag_state_name(int state);

#endif
