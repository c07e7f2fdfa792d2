/* Parsers of /proc/net/unix, tcp, tcp6, udp, udp6 lines: the fallback when
 * netlink sock_diag is refused, and the source in a fixture run (--root).
 * Pure functions over one line; the line ends at its '\n' or NUL. */
#ifndef IPCTOP_PROCNET_H
#define IPCTOP_PROCNET_H

#include "inetdiag.h"
#include "unixdiag.h"

/* One line of /proc/net/unix:
 *   "Num: RefCount Protocol Flags Type St Inode [Path]"
 * Flags __SO_ACCEPTCON marks a listener; St is the socket's SS_* state;
 * Path is everything after the inode's following space (it may contain
 * spaces; abstract names start with '@', their NULs are shown as '@').
 * The file gives no peer and no queue: those stay NONE.
 * Returns 0, or -1 for the header line or a malformed/truncated line. */
int procnet_parse_unix(const char *line, struct unix_sock_info *u);

/* One line of /proc/net/tcp, tcp6, udp or udp6 (family AF_INET/AF_INET6,
 * protocol IPPROTO_TCP/UDP):
 *   "sl: local:port remote:port st tx_queue:rx_queue tr:when retrnsmt uid
 *    timeout inode ..."
 * Addresses are the kernel's 32-bit words printed in host byte order.
 * For listeners rx_queue is the accept queue; the max backlog is not given.
 * Returns 0, or -1 for the header line or a malformed/truncated line. */
int procnet_parse_inet(const char *line, int family, int protocol, struct inet_sock_info *s);

#endif
