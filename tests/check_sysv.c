#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "sysvipc.h"

/* Lines copied from this machine's /proc/sysvipc files (Linux 6.18): a
 * private segment marked for removal (perms 1600), a segment whose key has
 * the top bit set (0x87654321 prints as -2023406815), a queue with key -5
 * holding two messages, a set of three semaphores never operated on. */
static const char shm_header[] =
	"       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n";
static const char shm_dest[] =
	"         0          0  1600                  4096  4795  4795      1     0     0     0     0 1795240494          0 1795240494                  4096                     0\n";
static const char shm_negkey[] =
	"-2023406815          1   640                 12345  4795  4795      1     0     0     0     0 1795240494          0 1795240494                     0                     0";
static const char msg_header[] =
	"       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n";
static const char msg_line[] =
	"        -5          0   600          17          2  4795     0     0     0     0     0 1795240494          0 1795240494\n";
static const char sem_header[] =
	"       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n";
static const char sem_line[] =
	"    123456          0   666          3     0     0     0     0          0 1795240494\n";

START_TEST(test_shm_real)
{
	struct sysvipc_shm s;

	ck_assert_int_eq(sysvipc_parse_shm_line(shm_dest, &s), SYSVIPC_OK);
	ck_assert_int_eq(s.key, 0);
	ck_assert_int_eq(s.id, 0);
	ck_assert_uint_eq(s.perms, 01600);
	ck_assert(s.perms & SYSVIPC_SHM_DEST);
	ck_assert_uint_eq(s.perms & SYSVIPC_MODE_MASK, 0600);
	ck_assert_uint_eq(s.size, 4096);
	ck_assert_uint_eq(s.cpid, 4795);
	ck_assert_uint_eq(s.lpid, 4795);
	ck_assert_uint_eq(s.nattch, 1);
	ck_assert_uint_eq(s.uid, 0);
	ck_assert_uint_eq(s.atime, 1795240494);
	ck_assert_uint_eq(s.dtime, 0);
	ck_assert_uint_eq(s.ctime, 1795240494);
	ck_assert_uint_eq(s.rss, 4096);
	ck_assert_uint_eq(s.swap, 0);

	ck_assert_int_eq(sysvipc_parse_shm_line(shm_negkey, &s), SYSVIPC_OK);
	ck_assert_int_eq(s.key, -2023406815);
	ck_assert_uint_eq((uint32_t)s.key, 0x87654321u);
	ck_assert_int_eq(s.id, 1);
	ck_assert_uint_eq(s.perms, 0640);
	ck_assert(!(s.perms & SYSVIPC_SHM_DEST));
	ck_assert_uint_eq(s.size, 12345);
}
END_TEST

START_TEST(test_msg_real)
{
	struct sysvipc_msg m;

	ck_assert_int_eq(sysvipc_parse_msg_line(msg_line, &m), SYSVIPC_OK);
	ck_assert_int_eq(m.key, -5);
	ck_assert_int_eq(m.id, 0);
	ck_assert_uint_eq(m.perms, 0600);
	ck_assert_uint_eq(m.cbytes, 17);
	ck_assert_uint_eq(m.qnum, 2);
	ck_assert_uint_eq(m.lspid, 4795);
	ck_assert_uint_eq(m.lrpid, 0);
	ck_assert_uint_eq(m.stime, 1795240494);
	ck_assert_uint_eq(m.rtime, 0);
	ck_assert_uint_eq(m.ctime, 1795240494);
}
END_TEST

START_TEST(test_sem_real)
{
	struct sysvipc_sem s;

	ck_assert_int_eq(sysvipc_parse_sem_line(sem_line, &s), SYSVIPC_OK);
	ck_assert_int_eq(s.key, 123456);
	ck_assert_int_eq(s.id, 0);
	ck_assert_uint_eq(s.perms, 0666);
	ck_assert_uint_eq(s.nsems, 3);
	ck_assert_uint_eq(s.otime, 0);
	ck_assert_uint_eq(s.ctime, 1795240494);
}
END_TEST

START_TEST(test_headers)
{
	struct sysvipc_shm s;
	struct sysvipc_msg m;
	struct sysvipc_sem e;

	ck_assert_int_eq(sysvipc_parse_shm_line(shm_header, &s), SYSVIPC_HEADER);
	ck_assert_int_eq(sysvipc_parse_msg_line(msg_header, &m), SYSVIPC_HEADER);
	ck_assert_int_eq(sysvipc_parse_sem_line(sem_header, &e), SYSVIPC_HEADER);
	/* a header is a header whichever file it came from */
	ck_assert_int_eq(sysvipc_parse_shm_line(sem_header, &s), SYSVIPC_HEADER);
	/* but a data line of another file is not a line of this one */
	ck_assert_int_eq(sysvipc_parse_shm_line(sem_line, &s), SYSVIPC_ERROR);
	ck_assert_int_eq(sysvipc_parse_msg_line(sem_line, &m), SYSVIPC_ERROR);
	/* "keys" is not "key" */
	ck_assert_int_eq(sysvipc_parse_sem_line("keys semid", &e), SYSVIPC_ERROR);
}
END_TEST

/* Every prefix of a real line that stops before its last column is an error. */
static void check_prefixes(const char *line, int (*parse)(const char *, void *), void *out)
{
	size_t len = strcspn(line, "\n");
	size_t last = len;
	char buf[512];

	while (last > 0 && line[last - 1] != ' ')
		last--; /* start of the last column */
	ck_assert_uint_lt(len, sizeof(buf));
	for (size_t n = 0; n <= len; n++) {
		memcpy(buf, line, n);
		buf[n] = '\0';
		int r = parse(buf, out);
		if (n <= last)
			ck_assert_msg(r == SYSVIPC_ERROR, "prefix of %zu bytes parsed: %d", n, r);
		else
			ck_assert_int_eq(r, SYSVIPC_OK);
	}
}

static int shm_parse(const char *l, void *o)
{
	return sysvipc_parse_shm_line(l, o);
}

static int msg_parse(const char *l, void *o)
{
	return sysvipc_parse_msg_line(l, o);
}

static int sem_parse(const char *l, void *o)
{
	return sysvipc_parse_sem_line(l, o);
}

START_TEST(test_truncated)
{
	struct sysvipc_shm s;
	struct sysvipc_msg m;
	struct sysvipc_sem e;

	check_prefixes(shm_dest, shm_parse, &s);
	check_prefixes(shm_negkey, shm_parse, &s);
	check_prefixes(msg_line, msg_parse, &m);
	check_prefixes(sem_line, sem_parse, &e);
	/* a header cut short is still no data */
	ck_assert_int_eq(sysvipc_parse_shm_line("       key", &s), SYSVIPC_HEADER);
	ck_assert_int_eq(sysvipc_parse_shm_line("       ke", &s), SYSVIPC_ERROR);
}
END_TEST

START_TEST(test_garbage)
{
	static const char *const bad[] = {
		"",
		"\n",
		"   \t  ",
		"hello world",
		"0x1e240 0 666 3 0 0 0 0 0 1",       /* hex key */
		"123456 0 666 3 0 0 0 0 0 1x",       /* trailing letter */
		"123456 -1 666 3 0 0 0 0 0 1",       /* negative id */
		"123456 +1 666 3 0 0 0 0 0 1",       /* explicit sign */
		"123456 0 686 3 0 0 0 0 0 1",        /* 8 is not octal */
		"123456 0 666 -3 0 0 0 0 0 1",       /* negative count */
		"123456 0 666 3 0 0 0 0 0 -1",       /* negative time */
		"- 0 666 3 0 0 0 0 0 1",             /* a lone minus */
		"--5 0 666 3 0 0 0 0 0 1",
		"123456,0,666,3,0,0,0,0,0,1",        /* not blank-separated */
		"123456 0 666 3 0 0 0 0 0\n1",       /* the line ends early */
		"\xff\xfe 0 666 3 0 0 0 0 0 1",
	};
	struct sysvipc_sem e;
	struct sysvipc_shm s;
	struct sysvipc_msg m;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *b = bad[i];

		ck_assert_msg(sysvipc_parse_sem_line(b, &e) == SYSVIPC_ERROR, "sem: %s", b);
		ck_assert_msg(sysvipc_parse_shm_line(b, &s) == SYSVIPC_ERROR, "shm: %s", b);
		ck_assert_msg(sysvipc_parse_msg_line(b, &m) == SYSVIPC_ERROR, "msg: %s", b);
	}
	ck_assert_int_eq(sysvipc_parse_sem_line(NULL, &e), SYSVIPC_ERROR);
	/* tabs separate too; columns a later kernel may append are ignored */
	ck_assert_int_eq(sysvipc_parse_sem_line("7\t2\t600\t1\t0\t0\t0\t0\t0\t1", &e), SYSVIPC_OK);
	ck_assert_int_eq(e.key, 7);
	ck_assert_int_eq(e.id, 2);
	ck_assert_int_eq(sysvipc_parse_sem_line("7 2 600 1 0 0 0 0 0 1 99 100\n", &e), SYSVIPC_OK);
	ck_assert_uint_eq(e.ctime, 1);
}
END_TEST

START_TEST(test_huge)
{
	struct sysvipc_shm s;
	struct sysvipc_sem e;

#define SEM(line) sysvipc_parse_sem_line(line, &e)
	/* the key is a signed 32-bit number */
	ck_assert_int_eq(SEM("2147483647 1 600 1 0 0 0 0 0 0"), SYSVIPC_OK);
	ck_assert_int_eq(e.key, INT32_MAX);
	ck_assert_int_eq(SEM("-2147483648 1 600 1 0 0 0 0 0 0"), SYSVIPC_OK);
	ck_assert_int_eq(e.key, INT32_MIN);
	ck_assert_int_eq(SEM("2147483648 1 600 1 0 0 0 0 0 0"), SYSVIPC_ERROR);
	ck_assert_int_eq(SEM("-2147483649 1 600 1 0 0 0 0 0 0"), SYSVIPC_ERROR);
	ck_assert_int_eq(SEM("99999999999999999999999 1 600 1 0 0 0 0 0 0"), SYSVIPC_ERROR);
	/* ids are non-negative ints */
	ck_assert_int_eq(SEM("0 2147483647 600 1 0 0 0 0 0 0"), SYSVIPC_OK);
	ck_assert_int_eq(e.id, INT32_MAX);
	ck_assert_int_eq(SEM("0 2147483648 600 1 0 0 0 0 0 0"), SYSVIPC_ERROR);
	/* uids are 32-bit; (uid_t)-1 prints as 4294967295 */
	ck_assert_int_eq(SEM("0 1 600 1 4294967295 0 0 0 0 0"), SYSVIPC_OK);
	ck_assert_uint_eq(e.uid, UINT32_MAX);
	ck_assert_int_eq(SEM("0 1 600 1 4294967296 0 0 0 0 0"), SYSVIPC_ERROR);
	/* perms fits umode_t */
	ck_assert_int_eq(SEM("0 1 177777 1 0 0 0 0 0 0"), SYSVIPC_OK);
	ck_assert_int_eq(SEM("0 1 277777 1 0 0 0 0 0 0"), SYSVIPC_ERROR);
	/* leading zeros are fine */
	ck_assert_int_eq(SEM("-0000000005 0001 0600 1 0 0 0 0 0 0"), SYSVIPC_OK);
	ck_assert_int_eq(e.key, -5);
#undef SEM
	/* sizes are 64-bit */
	ck_assert_int_eq(sysvipc_parse_shm_line("0 5 600 18446744073709551615 1 1 0 0 0 0 0 "
						"0 0 0 18446744073709551615 0", &s),
			 SYSVIPC_OK);
	ck_assert_uint_eq(s.size, UINT64_MAX);
	ck_assert_uint_eq(s.rss, UINT64_MAX);
	ck_assert_int_eq(sysvipc_parse_shm_line("0 5 600 18446744073709551616 1 1 0 0 0 0 0 "
						"0 0 0 0 0", &s),
			 SYSVIPC_ERROR);
}
END_TEST

START_TEST(test_next_line)
{
	char buf[] = "a\n\nbc\nd";
	char *cur = buf, *l;

	l = sysvipc_next_line(&cur);
	ck_assert_str_eq(l, "a");
	l = sysvipc_next_line(&cur);
	ck_assert_str_eq(l, "");
	l = sysvipc_next_line(&cur);
	ck_assert_str_eq(l, "bc");
	l = sysvipc_next_line(&cur);
	ck_assert_str_eq(l, "d");
	ck_assert_ptr_null(sysvipc_next_line(&cur));
	ck_assert_ptr_null(sysvipc_next_line(&cur));
	cur = NULL;
	ck_assert_ptr_null(sysvipc_next_line(&cur));
}
END_TEST

static Suite *sysv_suite(void)
{
	Suite *s = suite_create("sysv");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_shm_real);
	tcase_add_test(tc, test_msg_real);
	tcase_add_test(tc, test_sem_real);
	tcase_add_test(tc, test_headers);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_huge);
	tcase_add_test(tc, test_next_line);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(sysv_suite)
