/* Unit tests of the socket probes' pure parts: /proc/net parsers on literal
 * lines, unix_diag and inet_diag decoders on netlink payloads built here,
 * address and state names, the fd index's sort and lookups. Malformed input
 * must give an error, never a crash. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/tcp.h>
#include <linux/unix_diag.h>

#include "check_main.h"
#include "inetdiag.h"
#include "model.h"
#include "procnet.h"
#include "sockfd.h"
#include "unixdiag.h"

/* ---- a netlink payload under construction ---- */

struct msgbuf {
	unsigned char b[2048];
	size_t len;
};

static void put(struct msgbuf *m, const void *p, size_t n)
{
	ck_assert_uint_le(m->len + n, sizeof(m->b));
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

/* Appends an attribute; pad=false leaves the last one unpadded. */
static void put_attr(struct msgbuf *m, unsigned short type, const void *data, size_t n, bool pad)
{
	struct rtattr a = { .rta_len = RTA_LENGTH(n), .rta_type = type };

	put(m, &a, sizeof(a));
	put(m, data, n);
	if (pad) {
		static const unsigned char zero[RTA_ALIGNTO];

		put(m, zero, RTA_ALIGN(n) - n);
	}
}

static void put_unix_msg(struct msgbuf *m, int type, int state, uint32_t ino)
{
	struct unix_diag_msg u = {
		.udiag_family = AF_UNIX,
		.udiag_type = (uint8_t)type,
		.udiag_state = (uint8_t)state,
		.udiag_ino = ino,
	};

	m->len = 0;
	put(m, &u, sizeof(u));
}

/* ---- /proc/net/unix ---- */

START_TEST(unix_line_listener_path)
{
	struct unix_sock_info u;

	ck_assert_int_eq(procnet_parse_unix("ffff8a0b4f1e1c00: 00000002 00000000 00010000 0001 01 "
					    "23187 /run/systemd/private\n",
					    &u),
			 0);
	ck_assert_uint_eq(u.ino, 23187);
	ck_assert_int_eq(u.type, SOCK_STREAM);
	ck_assert_str_eq(unixdiag_state_name(u.state), "LISTEN");
	ck_assert(u.named);
	ck_assert_str_eq(u.name, "/run/systemd/private");
	/* /proc/net/unix has no peer and no queue: absent, never guessed */
	ck_assert(!HAS(u.peer));
	ck_assert(!HAS(u.rqueue));
	ck_assert(!HAS(u.wqueue));
}
END_TEST

START_TEST(unix_line_abstract)
{
	struct unix_sock_info u;

	ck_assert_int_eq(procnet_parse_unix("0000000000000000: 00000002 00000000 00000000 0002 01 "
					    " 3456 @/tmp/.X11@unix",
					    &u),
			 0);
	ck_assert_int_eq(u.type, SOCK_DGRAM);
	ck_assert_str_eq(unixdiag_type_name(u.type), "dgram");
	ck_assert_str_eq(unixdiag_state_name(u.state), "UNCONN");
	ck_assert_uint_eq(u.ino, 3456);
	ck_assert_str_eq(u.name, "@/tmp/.X11@unix");
}
END_TEST

START_TEST(unix_line_unnamed_stops_at_newline)
{
	struct unix_sock_info u;

	/* %5lu pads short inodes; the next line must not be read as a path */
	ck_assert_int_eq(procnet_parse_unix("00000000f961b07f: 00000003 00000000 00000000 0005 03  "
					    "1664\n00000000f71e80f3: 00000003 00000000 00000000 "
					    "0001 03  1663 /x\n",
					    &u),
			 0);
	ck_assert_uint_eq(u.ino, 1664);
	ck_assert_str_eq(unixdiag_type_name(u.type), "seqpacket");
	ck_assert_str_eq(unixdiag_state_name(u.state), "ESTABLISHED");
	ck_assert(!u.named);
	ck_assert_str_eq(u.name, "");
}
END_TEST

START_TEST(unix_line_path_with_spaces)
{
	struct unix_sock_info u;

	ck_assert_int_eq(procnet_parse_unix("0000000000000000: 00000002 00000000 00000000 0001 02 "
					    "99 /tmp/my dir/a  b.sock\n",
					    &u),
			 0);
	ck_assert_str_eq(u.name, "/tmp/my dir/a  b.sock");
	ck_assert_str_eq(unixdiag_state_name(u.state), "CONNECTING");
}
END_TEST

START_TEST(unix_line_malformed)
{
	static const char *const bad[] = {
		"Num       RefCount Protocol Flags    Type St Inode Path\n",
		"",
		"\n",
		"garbage",
		"0000000000000000: 00000002 00000000",
		"0000000000000000 00000002 00000000 00010000 0001 01 23187 /x",
		"0000000000000000: 00000002 00000000 00010000 0001 01 x23187",
		"0000000000000000: 00000002 00000000 00010000 0001 01 23187x /x",
		"0000000000000000: 00000002 00000000 00010000 0001 01\n 23187 /x",
		"0000000000000000: 99999999999999999999 00000000 00010000 0001 01 1",
	};
	struct unix_sock_info u;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(procnet_parse_unix(bad[i], &u) == -1, "accepted: %s", bad[i]);
	ck_assert_int_eq(procnet_parse_unix(NULL, &u), -1);
}
END_TEST

START_TEST(unix_line_too_long_path)
{
	char line[512];
	struct unix_sock_info u;

	snprintf(line, sizeof(line), "0000000000000000: 00000002 00000000 00000000 0001 01 7 /%0200d", 0);
	ck_assert_int_eq(procnet_parse_unix(line, &u), -1);
}
END_TEST

START_TEST(unix_line_every_truncation)
{
	static const char full[] =
		"ffff8a0b4f1e1c00: 00000002 00000000 00010000 0001 01 23187 /run/x";
	const size_t inode_end = strlen("ffff8a0b4f1e1c00: 00000002 00000000 00010000 0001 01 2");
	char buf[sizeof(full)];
	struct unix_sock_info u;

	for (size_t n = 0; n < sizeof(full); n++) {
		memcpy(buf, full, n);
		buf[n] = '\0';
		int r = procnet_parse_unix(buf, &u);

		if (n < inode_end)
			ck_assert_msg(r == -1, "accepted %zu bytes", n);
	}
}
END_TEST

/* ---- /proc/net/tcp, tcp6, udp, udp6 ---- */

/* The kernel prints each 32-bit address word in host byte order: the
 * literals below are those of a little-endian machine. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LE_ONLY 1
#else
#define LE_ONLY 0
#endif

START_TEST(tcp_line_listen)
{
	struct inet_sock_info s;
	char buf[INETDIAG_ADDR_MAX];

	if (!LE_ONLY)
		return;
	ck_assert_int_eq(procnet_parse_inet("   0: 0100007F:0277 00000000:0000 0A 00000000:00000003 "
					    "00:00000000 00000000     0        0 23456 1 "
					    "0000000000000000 100 0 0 10 0\n",
					    AF_INET, IPPROTO_TCP, &s),
			 0);
	inetdiag_format(s.family, s.src, s.sport, buf, sizeof(buf));
	ck_assert_str_eq(buf, "127.0.0.1:631");
	ck_assert(inetdiag_remote_unset(&s));
	ck_assert_str_eq(inetdiag_state_name(s.state), "LISTEN");
	ck_assert_int_eq(s.rqueue, 3);
	ck_assert_int_eq(s.wqueue, 0);
	ck_assert_int_eq(s.uid, 0);
	ck_assert_uint_eq(s.ino, 23456);
	ck_assert(!HAS(s.bytes_acked));
}
END_TEST

START_TEST(tcp_line_established_queues)
{
	struct inet_sock_info s;
	char buf[INETDIAG_ADDR_MAX];

	if (!LE_ONLY)
		return;
	ck_assert_int_eq(procnet_parse_inet("   1: 0100007F:9C40 0100007F:1F90 01 000003E8:00000010 "
					    "01:00000014 00000000  1000        0 77 1 0 20 4 30 10 -1",
					    AF_INET, IPPROTO_TCP, &s),
			 0);
	ck_assert_uint_eq(s.sport, 40000);
	ck_assert_uint_eq(s.dport, 8080);
	inetdiag_format(s.family, s.dst, s.dport, buf, sizeof(buf));
	ck_assert_str_eq(buf, "127.0.0.1:8080");
	ck_assert(!inetdiag_remote_unset(&s));
	ck_assert_str_eq(inetdiag_state_name(s.state), "ESTABLISHED");
	ck_assert_int_eq(s.wqueue, 1000);
	ck_assert_int_eq(s.rqueue, 16);
	ck_assert_int_eq(s.uid, 1000);
	ck_assert_uint_eq(s.ino, 77);
}
END_TEST

START_TEST(tcp6_line_loopback_and_mapped)
{
	struct inet_sock_info s;
	char buf[INETDIAG_ADDR_MAX];

	if (!LE_ONLY)
		return;
	ck_assert_int_eq(procnet_parse_inet("   0: 00000000000000000000000001000000:0016 "
					    "00000000000000000000000000000000:0000 0A "
					    "00000000:00000000 00:00000000 00000000     0        0 "
					    "4567 1 0000000000000000 100 0 0 10 0",
					    AF_INET6, IPPROTO_TCP, &s),
			 0);
	inetdiag_format(s.family, s.src, s.sport, buf, sizeof(buf));
	ck_assert_str_eq(buf, "[::1]:22");
	ck_assert(inetdiag_remote_unset(&s));

	ck_assert_int_eq(procnet_parse_inet("   1: 0000000000000000FFFF00000100007F:1F90 "
					    "0000000000000000FFFF00000100007F:A000 01 "
					    "00000000:00000000 00:00000000 00000000     0        0 "
					    "4568 1 0000000000000000 100 0 0 10 0",
					    AF_INET6, IPPROTO_TCP, &s),
			 0);
	inetdiag_format(s.family, s.src, s.sport, buf, sizeof(buf));
	ck_assert_str_eq(buf, "[::ffff:127.0.0.1]:8080");
	inetdiag_format(s.family, s.dst, s.dport, buf, sizeof(buf));
	ck_assert_str_eq(buf, "[::ffff:127.0.0.1]:40960");
}
END_TEST

START_TEST(udp_line)
{
	struct inet_sock_info s;

	if (!LE_ONLY)
		return;
	ck_assert_int_eq(procnet_parse_inet("  123: 00000000:0044 00000000:0000 07 00000000:00000300 "
					    "00:00000000 00000000     0        0 13245 2 "
					    "0000000000000000 0",
					    AF_INET, IPPROTO_UDP, &s),
			 0);
	ck_assert_int_eq(s.protocol, IPPROTO_UDP);
	ck_assert_str_eq(inetdiag_state_name(s.state), "UNCONN");
	ck_assert_uint_eq(s.sport, 68);
	ck_assert_int_eq(s.rqueue, 768);
}
END_TEST

START_TEST(inet_line_malformed)
{
	static const char *const bad[] = {
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
		"timeout inode",
		"",
		"   0: 0100007F:0277",
		"   0: 0100007F:0277 00000000:0000 0A",
		"   0: 100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1",
		"   0: 0100007F:277 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1",
		"   0: 0100007F 0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1",
		"   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0\n1",
		"   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1x",
		"   0: 0100007F:0277 00000000:0000 1FF 00000000:00000000 00:00000000 00000000 0 0 1",
	};
	struct inet_sock_info s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(procnet_parse_inet(bad[i], AF_INET, IPPROTO_TCP, &s) == -1,
			      "accepted: %s", bad[i]);
	/* a v4 line read as tcp6 is too short */
	ck_assert_int_eq(procnet_parse_inet("   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 "
					    "00:00000000 00000000 0 0 1",
					    AF_INET6, IPPROTO_TCP, &s),
			 -1);
	ck_assert_int_eq(procnet_parse_inet(NULL, AF_INET, IPPROTO_TCP, &s), -1);
	ck_assert_int_eq(procnet_parse_inet("   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 "
					    "00:00000000 00000000 0 0 1",
					    AF_UNIX, IPPROTO_TCP, &s),
			 -1);
}
END_TEST

START_TEST(inet_line_every_truncation)
{
	static const char full[] = "   1: 0100007F:9C40 0100007F:1F90 01 000003E8:00000010 "
				   "01:00000014 00000000  1000        0 77 1 0 20 4 30 10 -1";
	const size_t inode_end = strstr(full, " 77 ") - full + 2;
	char buf[sizeof(full)];
	struct inet_sock_info s;

	for (size_t n = 0; n < sizeof(full); n++) {
		memcpy(buf, full, n);
		buf[n] = '\0';
		int r = procnet_parse_inet(buf, AF_INET, IPPROTO_TCP, &s);

		if (n < inode_end)
			ck_assert_msg(r == -1, "accepted %zu bytes", n);
		else
			ck_assert_msg(r == 0, "refused %zu bytes", n);
	}
}
END_TEST

/* ---- unix_diag ---- */

START_TEST(unixdiag_listener)
{
	struct msgbuf m;
	struct unix_sock_info u;
	struct unix_diag_rqlen q = { .udiag_rqueue = 2, .udiag_wqueue = 128 };
	struct unix_diag_vfs v = { .udiag_vfs_ino = 4242, .udiag_vfs_dev = 0x801 };
	uint32_t icons[2] = { 111, 222 }, uid = 1000;

	put_unix_msg(&m, SOCK_STREAM, 10 /* TCP_LISTEN */, 5555);
	put_attr(&m, UNIX_DIAG_NAME, "/tmp/s.sock", 12, true);
	put_attr(&m, UNIX_DIAG_VFS, &v, sizeof(v), true);
	put_attr(&m, UNIX_DIAG_ICONS, icons, sizeof(icons), true);
	put_attr(&m, UNIX_DIAG_RQLEN, &q, sizeof(q), true);
	put_attr(&m, UNIX_DIAG_UID, &uid, sizeof(uid), true);
	put_attr(&m, 200, "future", 6, true); /* unknown: ignored */

	ck_assert_int_eq(unixdiag_parse(m.b, m.len, &u), 0);
	ck_assert_uint_eq(u.ino, 5555);
	ck_assert_str_eq(unixdiag_type_name(u.type), "stream");
	ck_assert_str_eq(unixdiag_state_name(u.state), "LISTEN");
	ck_assert(u.named);
	ck_assert_str_eq(u.name, "/tmp/s.sock");
	ck_assert_int_eq(u.rqueue, 2);
	ck_assert_int_eq(u.wqueue, 128);
	ck_assert_int_eq(u.uid, 1000);
	ck_assert_int_eq(u.vfs_ino, 4242);
	ck_assert_int_eq(u.vfs_dev, 0x801);
	ck_assert(!HAS(u.peer));
	ck_assert_uint_eq(u.nicons, 2);
	ck_assert_uint_eq(unixdiag_icon(&u, 0), 111);
	ck_assert_uint_eq(unixdiag_icon(&u, 1), 222);
}
END_TEST

START_TEST(unixdiag_abstract_peer)
{
	struct msgbuf m;
	struct unix_sock_info u;
	uint32_t peer = 7777;
	struct unix_diag_rqlen q = { .udiag_rqueue = 100, .udiag_wqueue = 0 };

	put_unix_msg(&m, SOCK_DGRAM, 1 /* TCP_ESTABLISHED */, 7776);
	/* abstract: a leading NUL, exact length, NULs inside shown as '@' */
	put_attr(&m, UNIX_DIAG_NAME, "\0demo\0x", 7, true);
	put_attr(&m, UNIX_DIAG_PEER, &peer, sizeof(peer), true);
	put_attr(&m, UNIX_DIAG_RQLEN, &q, sizeof(q), true);

	ck_assert_int_eq(unixdiag_parse(m.b, m.len, &u), 0);
	ck_assert_str_eq(u.name, "@demo@x");
	ck_assert_int_eq(u.peer, 7777);
	ck_assert_int_eq(u.rqueue, 100);
	ck_assert_str_eq(unixdiag_state_name(u.state), "ESTABLISHED");
	ck_assert_str_eq(unixdiag_type_name(u.type), "dgram");
}
END_TEST

START_TEST(unixdiag_unnamed_unpadded_end)
{
	struct msgbuf m;
	struct unix_sock_info u;

	put_unix_msg(&m, SOCK_SEQPACKET, 7 /* TCP_CLOSE */, 42);
	ck_assert_int_eq(unixdiag_parse(m.b, m.len, &u), 0);
	ck_assert(!u.named);
	ck_assert_str_eq(u.name, "");
	ck_assert(!HAS(u.rqueue));
	ck_assert_str_eq(unixdiag_state_name(u.state), "UNCONN");

	/* a path of 5 bytes with its NUL: the last attribute left unpadded */
	put_attr(&m, UNIX_DIAG_NAME, "/a/b", 5, false);
	ck_assert_int_eq(unixdiag_parse(m.b, m.len, &u), 0);
	ck_assert_str_eq(u.name, "/a/b");
}
END_TEST

START_TEST(unixdiag_truncated)
{
	struct msgbuf m;
	struct unix_sock_info u;
	uint32_t peer = 9;
	struct unix_diag_rqlen q = { 1, 2 };
	size_t full;

	put_unix_msg(&m, SOCK_STREAM, 1, 43);
	put_attr(&m, UNIX_DIAG_PEER, &peer, sizeof(peer), true);
	put_attr(&m, UNIX_DIAG_RQLEN, &q, sizeof(q), true);
	full = m.len;
	ck_assert_int_eq(unixdiag_parse(m.b, full, &u), 0);
	/* cut anywhere inside an attribute: an error, nothing read past len */
	for (size_t n = sizeof(struct unix_diag_msg) + 1; n < full; n++)
		if (n != sizeof(struct unix_diag_msg) + RTA_LENGTH(4))
			ck_assert_msg(unixdiag_parse(m.b, n, &u) == -1, "accepted %zu", n);
	/* shorter than the message itself */
	for (size_t n = 0; n < sizeof(struct unix_diag_msg); n++)
		ck_assert_int_eq(unixdiag_parse(m.b, n, &u), -1);
	ck_assert_int_eq(unixdiag_parse(NULL, 0, &u), -1);
}
END_TEST

START_TEST(unixdiag_bad_attr_lengths)
{
	struct msgbuf m;
	struct unix_sock_info u;
	struct rtattr a;
	uint16_t two = 2;
	uint32_t icons3[3] = { 1, 2, 3 };

	/* rta_len below the header size: must stop, not loop */
	put_unix_msg(&m, SOCK_STREAM, 1, 44);
	a.rta_len = 2;
	a.rta_type = UNIX_DIAG_PEER;
	put(&m, &a, sizeof(a));
	ck_assert_int_eq(unixdiag_parse(m.b, m.len, &u), -1);

	/* rta_len beyond the message */
	put_unix_msg(&m, SOCK_STREAM, 1, 44);
	a.rta_len = 200;
	put(&m, &a, sizeof(a));
	put(&m, "abcd", 4);
	ck_assert_int_eq(unixdiag_parse(m.b, m.len, &u), -1);

	/* payload too short for its type */
	put_unix_msg(&m, SOCK_STREAM, 1, 44);
	put_attr(&m, UNIX_DIAG_PEER, &two, sizeof(two), true);
	ck_assert_int_eq(unixdiag_parse(m.b, m.len, &u), -1);
	put_unix_msg(&m, SOCK_STREAM, 1, 44);
	put_attr(&m, UNIX_DIAG_RQLEN, icons3, 4, true);
	ck_assert_int_eq(unixdiag_parse(m.b, m.len, &u), -1);
	put_unix_msg(&m, SOCK_STREAM, 1, 44);
	put_attr(&m, UNIX_DIAG_ICONS, icons3, 6, true);
	ck_assert_int_eq(unixdiag_parse(m.b, m.len, &u), -1);
}
END_TEST

START_TEST(unixdiag_long_name)
{
	struct msgbuf m;
	struct unix_sock_info u;
	char path[108];

	/* a full abstract sun_path: 108 bytes, shown as 108 characters */
	memset(path, 'a', sizeof(path));
	path[0] = '\0';
	put_unix_msg(&m, SOCK_STREAM, 7, 45);
	put_attr(&m, UNIX_DIAG_NAME, path, sizeof(path), true);
	ck_assert_int_eq(unixdiag_parse(m.b, m.len, &u), 0);
	ck_assert_uint_eq(strlen(u.name), 108);
	ck_assert_int_eq(u.name[0], '@');
	/* an over-long (impossible) name is cut, never overflows */
	char big[300];

	memset(big, 'b', sizeof(big));
	put_unix_msg(&m, SOCK_STREAM, 7, 46);
	put_attr(&m, UNIX_DIAG_NAME, big, sizeof(big), true);
	ck_assert_int_eq(unixdiag_parse(m.b, m.len, &u), 0);
	ck_assert_uint_eq(strlen(u.name), UNIXDIAG_NAME_MAX - 1);
}
END_TEST

/* ---- inet_diag ---- */

static void put_inet_msg(struct msgbuf *m, int family, int state, uint32_t ino)
{
	struct inet_diag_msg d = {
		.idiag_family = (uint8_t)family,
		.idiag_state = (uint8_t)state,
		.idiag_rqueue = 1000,
		.idiag_wqueue = 5,
		.idiag_uid = 1000,
		.idiag_inode = ino,
	};

	d.id.idiag_sport = htons(40000);
	d.id.idiag_dport = htons(8080);
	if (family == AF_INET) {
		inet_pton(AF_INET, "127.0.0.1", d.id.idiag_src);
		inet_pton(AF_INET, "127.0.0.2", d.id.idiag_dst);
	} else {
		inet_pton(AF_INET6, "::1", d.id.idiag_src);
		inet_pton(AF_INET6, "::ffff:127.0.0.1", d.id.idiag_dst);
	}
	m->len = 0;
	put(m, &d, sizeof(d));
}

START_TEST(inetdiag_tcp4_info)
{
	struct msgbuf m;
	struct inet_sock_info s;
	struct tcp_info ti;
	char buf[INETDIAG_ADDR_MAX];

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_bytes_acked = 12345;
	ti.tcpi_bytes_received = 678;
	put_inet_msg(&m, AF_INET, 1, 999);
	put_attr(&m, INET_DIAG_INFO, &ti, sizeof(ti), true);
	ck_assert_int_eq(inetdiag_parse(m.b, m.len, IPPROTO_TCP, &s), 0);
	ck_assert_int_eq(s.family, AF_INET);
	inetdiag_format(s.family, s.src, s.sport, buf, sizeof(buf));
	ck_assert_str_eq(buf, "127.0.0.1:40000");
	inetdiag_format(s.family, s.dst, s.dport, buf, sizeof(buf));
	ck_assert_str_eq(buf, "127.0.0.2:8080");
	ck_assert_str_eq(inetdiag_state_name(s.state), "ESTABLISHED");
	ck_assert_int_eq(s.rqueue, 1000);
	ck_assert_int_eq(s.wqueue, 5);
	ck_assert_int_eq(s.uid, 1000);
	ck_assert_uint_eq(s.ino, 999);
	ck_assert_int_eq(s.bytes_acked, 12345);
	ck_assert_int_eq(s.bytes_received, 678);

	/* udp: tcp_info is not looked at */
	ck_assert_int_eq(inetdiag_parse(m.b, m.len, IPPROTO_UDP, &s), 0);
	ck_assert(!HAS(s.bytes_acked));
}
END_TEST

START_TEST(inetdiag_tcp6_short_info)
{
	struct msgbuf m;
	struct inet_sock_info s;
	struct tcp_info ti;
	char buf[INETDIAG_ADDR_MAX];
	size_t old = offsetof(struct tcp_info, tcpi_bytes_acked); /* an older kernel's */

	memset(&ti, 0, sizeof(ti));
	put_inet_msg(&m, AF_INET6, 10, 1001);
	put_attr(&m, INET_DIAG_INFO, &ti, old, true);
	ck_assert_int_eq(inetdiag_parse(m.b, m.len, IPPROTO_TCP, &s), 0);
	ck_assert(!HAS(s.bytes_acked));
	ck_assert(!HAS(s.bytes_received));
	inetdiag_format(s.family, s.src, s.sport, buf, sizeof(buf));
	ck_assert_str_eq(buf, "[::1]:40000");
	inetdiag_format(s.family, s.dst, s.dport, buf, sizeof(buf));
	ck_assert_str_eq(buf, "[::ffff:127.0.0.1]:8080");
	ck_assert_str_eq(inetdiag_state_name(s.state), "LISTEN");
}
END_TEST

START_TEST(inetdiag_truncated)
{
	struct msgbuf m;
	struct inet_sock_info s;
	struct tcp_info ti;
	size_t base;

	memset(&ti, 0, sizeof(ti));
	put_inet_msg(&m, AF_INET, 1, 5);
	base = m.len;
	put_attr(&m, INET_DIAG_INFO, &ti, sizeof(ti), true);
	for (size_t n = 0; n < base; n++)
		ck_assert_int_eq(inetdiag_parse(m.b, n, IPPROTO_TCP, &s), -1);
	for (size_t n = base + 1; n < m.len; n++)
		ck_assert_msg(inetdiag_parse(m.b, n, IPPROTO_TCP, &s) == -1, "accepted %zu", n);
	ck_assert_int_eq(inetdiag_parse(NULL, 0, IPPROTO_TCP, &s), -1);

	/* not an inet family */
	put_inet_msg(&m, AF_UNIX, 1, 5);
	ck_assert_int_eq(inetdiag_parse(m.b, m.len, IPPROTO_TCP, &s), -1);
}
END_TEST

START_TEST(inet_addr6_and_names)
{
	uint8_t v4[16] = { 10, 1, 2, 3 }, out[16], want[16];

	inetdiag_addr6(AF_INET, v4, out);
	inet_pton(AF_INET6, "::ffff:10.1.2.3", want);
	ck_assert_mem_eq(out, want, 16);
	ck_assert_str_eq(inetdiag_state_name(2), "SYN-SENT");
	ck_assert_str_eq(inetdiag_state_name(6), "TIME-WAIT");
	ck_assert_str_eq(inetdiag_state_name(8), "CLOSE-WAIT");
	ck_assert_ptr_null(inetdiag_state_name(0));
	ck_assert_ptr_null(inetdiag_state_name(99));
	ck_assert_ptr_null(inetdiag_state_name(-1));
	ck_assert_ptr_null(unixdiag_type_name(3));
	ck_assert_ptr_null(unixdiag_state_name(99));
}
END_TEST

/* ---- the fd table's sockets by inode ---- */

static int cmp_key_then_index(const void *a, const void *b)
{
	const struct sockfd_key *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

START_TEST(sockfd_sort_stable)
{
	enum { N = 5000 };
	struct sockfd_key *a = malloc(N * sizeof(*a)), *want = malloc(N * sizeof(*want));
	uint64_t x = 88172645463325252ull;

	/* 32-bit inodes with repeats, a few 64-bit ones, 0 */
	for (size_t i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		a[i].ino = i % 7 == 0 ? a[i / 2].ino : i % 101 == 0 ? x : i % 97 == 0 ? 0 : x >> 32;
		a[i].i = i;
	}
	memcpy(want, a, N * sizeof(*a));
	qsort(want, N, sizeof(*want), cmp_key_then_index); /* stable = ties by index */
	sockfd_sort(a, N);
	ck_assert_mem_eq(a, want, N * sizeof(*a));
	sockfd_sort(a, 0);
	sockfd_sort(a, 1);
	ck_assert_mem_eq(a, want, sizeof(*a));
	free(a);
	free(want);
}
END_TEST

START_TEST(sockfd_index_order_and_lookups)
{
	/* holders out of order, other fd types between, a shared socket */
	struct fd_entry fds[] = {
		{ .pid = 30, .fd = 4, .type = FD_SOCKET, .ino = 500 },
		{ .pid = 10, .fd = 3, .type = FD_PIPE, .ino = 400 },
		{ .pid = 20, .fd = 9, .type = FD_SOCKET, .ino = 400 },
		{ .pid = 20, .fd = 5, .type = FD_SOCKET, .ino = 400 },
		{ .pid = 10, .fd = 7, .type = FD_SOCKET, .ino = 400 },
		{ .pid = 10, .fd = 8, .type = FD_SOCKET, .ino = 1ull << 40 },
		{ .pid = 40, .fd = 1, .type = FD_PATH, .ino = 300 },
		{ .pid = 40, .fd = 2, .type = FD_SOCKET, .ino = 300 },
	};
	struct fd_table t = { .fds = fds, .nfds = sizeof(fds) / sizeof(fds[0]) };
	static const struct { uint64_t ino; pid_t pid; int fd; } want[] = {
		{ 300, 40, 2 }, { 400, 10, 7 }, { 400, 20, 5 }, { 400, 20, 9 },
		{ 500, 30, 4 }, { 1ull << 40, 10, 8 },
	};
	struct sockfd_index ix;
	const struct sockfd_ref *r;
	size_t n, cursor = 0;

	sockfd_index_build(&ix, &t);
	ck_assert_uint_eq(ix.n, 6);
	for (size_t i = 0; i < ix.n; i++) {
		ck_assert_uint_eq(ix.refs[i].ino, want[i].ino);
		ck_assert_int_eq(ix.refs[i].pid, want[i].pid);
		ck_assert_int_eq(ix.refs[i].fd, want[i].fd);
		ck_assert_int_eq(ix.refs[i].e->fd, want[i].fd);
	}
	r = sockfd_index_find(&ix, 400, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_ptr_eq(r, &ix.refs[1]);
	ck_assert_ptr_null(sockfd_index_find(&ix, 450, &n));
	ck_assert_uint_eq(n, 0);

	/* ascending questions: the same answers by a merge */
	ck_assert_ptr_null(sockfd_index_next(&ix, &cursor, 100, &n));
	ck_assert_ptr_eq(sockfd_index_next(&ix, &cursor, 300, &n), &ix.refs[0]);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_eq(sockfd_index_next(&ix, &cursor, 400, &n), &ix.refs[1]);
	ck_assert_uint_eq(n, 3);
	ck_assert_ptr_null(sockfd_index_next(&ix, &cursor, 450, &n));
	ck_assert_ptr_eq(sockfd_index_next(&ix, &cursor, 1ull << 40, &n), &ix.refs[5]);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_null(sockfd_index_next(&ix, &cursor, 1ull << 41, &n));
	ck_assert_uint_eq(n, 0);
	sockfd_index_free(&ix);

	t.nfds = 2; /* one socket */
	sockfd_index_build(&ix, &t);
	ck_assert_uint_eq(ix.n, 1);
	sockfd_index_free(&ix);
	t.nfds = 0;
	sockfd_index_build(&ix, &t);
	ck_assert_uint_eq(ix.n, 0);
	ck_assert_ptr_null(sockfd_index_find(&ix, 500, &n));
	sockfd_index_free(&ix);
}
END_TEST

static Suite *sock_suite(void)
{
	Suite *s = suite_create("sock");
	TCase *tc = tcase_create("procnet");

	tcase_add_test(tc, unix_line_listener_path);
	tcase_add_test(tc, unix_line_abstract);
	tcase_add_test(tc, unix_line_unnamed_stops_at_newline);
	tcase_add_test(tc, unix_line_path_with_spaces);
	tcase_add_test(tc, unix_line_malformed);
	tcase_add_test(tc, unix_line_too_long_path);
	tcase_add_test(tc, unix_line_every_truncation);
	tcase_add_test(tc, tcp_line_listen);
	tcase_add_test(tc, tcp_line_established_queues);
	tcase_add_test(tc, tcp6_line_loopback_and_mapped);
	tcase_add_test(tc, udp_line);
	tcase_add_test(tc, inet_line_malformed);
	tcase_add_test(tc, inet_line_every_truncation);
	suite_add_tcase(s, tc);

	tc = tcase_create("diag");
	tcase_add_test(tc, unixdiag_listener);
	tcase_add_test(tc, unixdiag_abstract_peer);
	tcase_add_test(tc, unixdiag_unnamed_unpadded_end);
	tcase_add_test(tc, unixdiag_truncated);
	tcase_add_test(tc, unixdiag_bad_attr_lengths);
	tcase_add_test(tc, unixdiag_long_name);
	tcase_add_test(tc, inetdiag_tcp4_info);
	tcase_add_test(tc, inetdiag_tcp6_short_info);
	tcase_add_test(tc, inetdiag_truncated);
	tcase_add_test(tc, inet_addr6_and_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("sockfd");
	tcase_add_test(tc, sockfd_sort_stable);
	tcase_add_test(tc, sockfd_index_order_and_lookups);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(sock_suite)
