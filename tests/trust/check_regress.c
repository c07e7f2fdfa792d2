/* Regression cases from the trust work: inputs the fuzzers (make fuzz) and
 * the hostile-name test exercised at the edges, kept as literals so that a
 * parser that starts crashing or accepting garbage fails `make check`. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/unix_diag.h>
#include <linux/inet_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "check_main.h"
#include "blocked.h"
#include "escape.h"
#include "fdtable.h"
#include "inetdiag.h"
#include "model.h"
#include "posix_parse.h"
#include "procnet.h"
#include "procs.h"
#include "sysvipc.h"
#include "unixdiag.h"

static char *json_of(const char *s, size_t len)
{
	struct strbuf sb;
	char *r;

	sb_init(&sb);
	escape_json(&sb, s, len);
	r = strdup(sb_str(&sb));
	sb_free(&sb);
	return r;
}

static char *text_of(const char *s, size_t len)
{
	struct strbuf sb;
	char *r;

	sb_init(&sb);
	escape_text(&sb, s, len);
	r = strdup(sb_str(&sb));
	sb_free(&sb);
	return r;
}

/* hostile.py: a C1 CSI (U+009B) or a bidi override reached the JSON text
 * raw; valid JSON, but `ipctop --json` on a terminal would act on it. */
START_TEST(test_json_c1_escaped)
{
	static const char in[] = "a\xc2\x9b" "31m\xe2\x80\xae" "b\xe2\x80\xa8";
	char *j = json_of(in, sizeof(in) - 1);

	ck_assert_str_eq(j, "\"a\\u009b31m\\u202eb\\u2028\"");
	free(j);
	j = json_of("\xff\x1b[2J\n\"\\", 8);
	ck_assert_str_eq(j, "\"\\\\xff\\u001b[2J\\n\\\"\\\\\"");
	free(j);
	/* a truncated sequence at the end, a surrogate, an overlong form */
	j = json_of("\xe2\x80", 2);
	ck_assert_str_eq(j, "\"\\\\xe2\\\\x80\"");
	free(j);
	j = json_of("\xed\xa0\x80\xc0\xaf", 5);
	ck_assert_str_eq(j, "\"\\\\xed\\\\xa0\\\\x80\\\\xc0\\\\xaf\"");
	free(j);
}
END_TEST

START_TEST(test_text_every_byte)
{
	for (int c = 0; c < 256; c++) {
		char in[2] = { (char)c, 'x' };
		char *t = text_of(in, 2);

		for (const unsigned char *p = (const unsigned char *)t; *p; p++)
			ck_assert_msg(*p >= 0x20 && *p != 0x7f, "byte 0x%02x gave a control", c);
		free(t);
	}
}
END_TEST

/* an attribute whose rta_len runs past the message, and one below the
 * header size: -1, nothing read past len (the fuzzer's first inputs) */
START_TEST(test_unixdiag_bad_attrs)
{
	unsigned char buf[sizeof(struct unix_diag_msg) + 12];
	struct unix_sock_info u;
	struct rtattr a;

	memset(buf, 0, sizeof(buf));
	a.rta_type = UNIX_DIAG_NAME;
	a.rta_len = 200;
	memcpy(buf + sizeof(struct unix_diag_msg), &a, sizeof(a));
	ck_assert_int_eq(unixdiag_parse(buf, sizeof(buf), &u), -1);
	a.rta_len = 2;
	memcpy(buf + sizeof(struct unix_diag_msg), &a, sizeof(a));
	ck_assert_int_eq(unixdiag_parse(buf, sizeof(buf), &u), -1);
	a.rta_type = UNIX_DIAG_PEER;
	a.rta_len = RTA_LENGTH(2); /* a peer of two bytes */
	memcpy(buf + sizeof(struct unix_diag_msg), &a, sizeof(a));
	ck_assert_int_eq(unixdiag_parse(buf, sizeof(struct unix_diag_msg) + 8, &u), -1);
	ck_assert_int_eq(unixdiag_parse(buf, sizeof(struct unix_diag_msg) - 1, &u), -1);
	ck_assert_int_eq(unixdiag_parse(NULL, 0, &u), -1);
}
END_TEST

/* a 300-byte abstract name cannot overflow the display name */
START_TEST(test_unixdiag_long_name)
{
	unsigned char buf[sizeof(struct unix_diag_msg) + RTA_SPACE(300)];
	struct unix_sock_info u;
	struct rtattr a = { .rta_len = RTA_LENGTH(300), .rta_type = UNIX_DIAG_NAME };

	memset(buf, 'n', sizeof(buf));
	memset(buf, 0, sizeof(struct unix_diag_msg));
	memcpy(buf + sizeof(struct unix_diag_msg), &a, sizeof(a));
	buf[sizeof(struct unix_diag_msg) + RTA_LENGTH(0)] = '\0';
	ck_assert_int_eq(unixdiag_parse(buf, sizeof(buf), &u), 0);
	ck_assert_uint_eq(strlen(u.name), UNIXDIAG_NAME_MAX - 1);
	ck_assert_int_eq(u.name[0], '@');
}
END_TEST

START_TEST(test_inetdiag_bad)
{
	unsigned char buf[sizeof(struct inet_diag_msg) + 8];
	struct inet_sock_info s;

	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(inetdiag_parse(buf, sizeof(buf), IPPROTO_TCP, &s), -1); /* family 0 */
	buf[0] = AF_INET;
	ck_assert_int_eq(inetdiag_parse(buf, sizeof(struct inet_diag_msg) - 1, IPPROTO_TCP, &s),
			 -1);
	ck_assert_int_eq(inetdiag_parse(buf, sizeof(struct inet_diag_msg), IPPROTO_TCP, &s), 0);
	/* 8 bytes of an attribute claiming 64 */
	buf[sizeof(struct inet_diag_msg)] = 64;
	ck_assert_int_eq(inetdiag_parse(buf, sizeof(buf), IPPROTO_TCP, &s), -1);
}
END_TEST

START_TEST(test_procnet_edges)
{
	struct unix_sock_info u;
	struct inet_sock_info s;
	char line[400];

	/* a path longer than a display name can be */
	snprintf(line, sizeof(line), "0: 00000002 00000000 00010000 0001 01 12345 /%0200d", 0);
	ck_assert_int_eq(procnet_parse_unix(line, &u), -1);
	ck_assert_int_eq(procnet_parse_unix("0: 00000002 00000000 00010000 0001 01", &u), -1);
	ck_assert_int_eq(procnet_parse_unix("ffffffffffffffffff: 2 0 0 1 1 1", &u), -1);
	ck_assert_int_eq(procnet_parse_inet("   0: 0100007F:0016 00000000:0000 0A", AF_INET,
					    IPPROTO_TCP, &s), -1);
	ck_assert_int_eq(procnet_parse_inet("0: 0100007F:16 00000000:0000 0A 0:0 0:0 0 0 0 1",
					    AF_INET, IPPROTO_TCP, &s), -1);
	ck_assert_int_eq(procnet_parse_inet("", AF_INET6, IPPROTO_UDP, &s), -1);
}
END_TEST

START_TEST(test_sysvipc_edges)
{
	struct sysvipc_sem sem;

	ck_assert_int_eq(sysvipc_parse_sem_line("- 0 666 3 0 0 0 0 0 0", &sem), SYSVIPC_ERROR);
	ck_assert_int_eq(sysvipc_parse_sem_line("-2147483649 0 666 3 0 0 0 0 0 0", &sem),
			 SYSVIPC_ERROR);
	ck_assert_int_eq(sysvipc_parse_sem_line("-2147483648 0 666 3 0 0 0 0 0 0", &sem),
			 SYSVIPC_OK);
	ck_assert_int_eq(sem.key, INT32_MIN);
	ck_assert_int_eq(sysvipc_parse_sem_line("1 0 666 4294967296 0 0 0 0 0 0", &sem),
			 SYSVIPC_ERROR);
	ck_assert_int_eq(sysvipc_parse_sem_line("1 0 8 3 0 0 0 0 0 0", &sem), SYSVIPC_ERROR);
	ck_assert_int_eq(sysvipc_parse_sem_line("", &sem), SYSVIPC_ERROR);
}
END_TEST

START_TEST(test_maps_syscall_edges)
{
	struct map_entry m;
	const char *path;
	size_t len;
	long nr;
	uint64_t args[6];

	ck_assert(!maps_parse_line("7f00-7f01 rw-s", &m, &path, &len));
	ck_assert(!maps_parse_line("", &m, &path, &len));
	ck_assert(maps_parse_line("7f00-7f01 rw-s 00000000 00:01 5 (deleted)", &m, &path, &len));
	ck_assert(maps_parse_line("7f00-7f01 rw-s 00000000 00:01 5  /a b (deleted)\n", &m, &path,
				  &len));
	ck_assert(m.deleted);
	ck_assert_uint_eq(len, 4);
	ck_assert(!blocked_parse_syscall("7", &nr, args));
	ck_assert(!blocked_parse_syscall("7 0x1 0x2", &nr, args));
	ck_assert(!blocked_parse_syscall("-2 0x1 0x2", &nr, args));
	ck_assert(!blocked_parse_syscall("0 0x 0x 0x 0x 0x 0x 0x 0x", &nr, args));
	ck_assert(!blocked_parse_syscall("", &nr, args));
	ck_assert(blocked_parse_syscall("-1 0x1 0x2\n", &nr, args));
	ck_assert_int_eq(nr, -1);
	ck_assert_int_eq(fdinfo_parse_field("flags:", "flags", 8), NONE);
	ck_assert_int_eq(fdinfo_parse_field("pos:\t99999999999999999999999", "pos", 10), NONE);
	ck_assert_int_eq(fdinfo_parse_mode(""), MODE_NONE);
}
END_TEST

START_TEST(test_proc_files_edges)
{
	struct proc_status st;
	struct proc_stat ps;
	struct posix_mq_text mq;
	char text[400];
	char *c;

	snprintf(text, sizeof(text), "Name:\t%0200d\nState:\tS (sleeping)\n", 7);
	ck_assert(procs_parse_status(text, &st));
	ck_assert_uint_eq(strlen(st.name), PROCS_COMM_MAX - 1);
	ck_assert(!procs_parse_status("Name:\tx\n", &st));
	ck_assert(!procs_parse_status("Name:\tx\nState:\t\n", &st));
	ck_assert(!procs_parse_status("Name:\tx\nState:\tS\nSigPnd:\tzz\n", &st));
	ck_assert(procs_parse_stat("1 (a) b) S 0", &ps));
	ck_assert_str_eq(ps.comm, "a) b");
	ck_assert(!procs_parse_stat("1 )( S 0", &ps));
	ck_assert(!procs_parse_stat("1 (a)", &ps));
	ck_assert_int_eq(procs_parse_ns_link("ipc:[", "ipc"), NONE);
	ck_assert_int_eq(procs_parse_ns_link("ipc:[99999999999999999999]", "ipc"), NONE);
	ck_assert_ptr_null(procs_cmdline_join("\0\0\0", 3));
	c = procs_cmdline_join("a\0\0b\0", 5);
	ck_assert_str_eq(c, "a  b");
	free(c);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:", &mq), -1);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:1 junk", &mq), -1);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:-1", &mq), -1);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:99999999999999999999", &mq), -1);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:5 NEW:7", &mq), 0);
	ck_assert_int_eq(mq.qsize, 5);
}
END_TEST

static Suite *regress_suite(void)
{
	Suite *s = suite_create("trust-regress");
	TCase *tc = tcase_create("edges");

	tcase_add_test(tc, test_json_c1_escaped);
	tcase_add_test(tc, test_text_every_byte);
	tcase_add_test(tc, test_unixdiag_bad_attrs);
	tcase_add_test(tc, test_unixdiag_long_name);
	tcase_add_test(tc, test_inetdiag_bad);
	tcase_add_test(tc, test_procnet_edges);
	tcase_add_test(tc, test_sysvipc_edges);
	tcase_add_test(tc, test_maps_syscall_edges);
	tcase_add_test(tc, test_proc_files_edges);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(regress_suite)
