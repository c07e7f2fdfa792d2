#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "blocked.h"
#include "check_main.h"
#include "procs.h"
#include "signals.h"

static const char *name_of(int sig)
{
	static char buf[16];

	return signal_name(sig, buf);
}

START_TEST(test_signal_names)
{
	ck_assert_str_eq(name_of(1), "SIGHUP");
	ck_assert_str_eq(name_of(SIGKILL), "SIGKILL");
	ck_assert_str_eq(name_of(SIGTERM), "SIGTERM");
	ck_assert_str_eq(name_of(SIGSYS), "SIGSYS");
	ck_assert_str_eq(name_of(SIGIO), "SIGIO");
	ck_assert_str_eq(name_of(32), "SIG32");
	ck_assert_str_eq(name_of(33), "SIG33");
	ck_assert_str_eq(name_of(34), "SIGRTMIN");
	ck_assert_str_eq(name_of(35), "SIGRTMIN+1");
	ck_assert_str_eq(name_of(49), "SIGRTMIN+15");
	ck_assert_str_eq(name_of(50), "SIGRTMAX-14");
	ck_assert_str_eq(name_of(63), "SIGRTMAX-1");
	ck_assert_str_eq(name_of(64), "SIGRTMAX");
	ck_assert_ptr_null(name_of(0));
	ck_assert_ptr_null(name_of(65));
	ck_assert_ptr_null(name_of(-1));
}
END_TEST

#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__)
START_TEST(test_signal_names_x86)
{
	/* the generic numbering (x86, arm) `kill -l` shows */
	ck_assert_str_eq(name_of(9), "SIGKILL");
	ck_assert_str_eq(name_of(10), "SIGUSR1");
	ck_assert_str_eq(name_of(15), "SIGTERM");
	ck_assert_str_eq(name_of(16), "SIGSTKFLT");
	ck_assert_str_eq(name_of(29), "SIGIO");
	ck_assert_str_eq(name_of(30), "SIGPWR");
	ck_assert_str_eq(name_of(31), "SIGSYS");
}
END_TEST
#endif

START_TEST(test_mask_parse)
{
	uint64_t v = 42;

	ck_assert_int_eq(signals_parse_mask("0000000000000001", &v), 0);
	ck_assert_uint_eq(v, SIGNAL_BIT(SIGHUP));
	ck_assert_int_eq(signals_parse_mask("0000000000000200", &v), 0);
	ck_assert_uint_eq(v, SIGNAL_BIT(10));
	ck_assert_int_eq(signals_parse_mask("0000000000004000\n", &v), 0);
	ck_assert_uint_eq(v, SIGNAL_BIT(SIGTERM));
	ck_assert_int_eq(signals_parse_mask("8000000000000000", &v), 0);
	ck_assert_uint_eq(v, SIGNAL_BIT(64));
	ck_assert_int_eq(signals_parse_mask("fffffffe7ffbfeff", &v), 0);
	ck_assert_uint_eq(v, UINT64_C(0xfffffffe7ffbfeff));
	ck_assert_int_eq(signals_parse_mask("0", &v), 0);
	ck_assert_uint_eq(v, 0);

	v = 42;
	ck_assert_int_eq(signals_parse_mask("", &v), -1);
	ck_assert_int_eq(signals_parse_mask("00000000000002g0", &v), -1);
	ck_assert_int_eq(signals_parse_mask("0x200", &v), -1);
	ck_assert_int_eq(signals_parse_mask("00000000000000000", &v), -1);
	ck_assert_int_eq(signals_parse_mask(" 200", &v), -1);
	ck_assert_int_eq(signals_parse_mask("200 junk", &v), -1);
	ck_assert_int_eq(signals_parse_mask(NULL, &v), -1);
	ck_assert_uint_eq(v, 42);
}
END_TEST

START_TEST(test_mask_iterate)
{
	uint64_t set = SIGNAL_BIT(SIGHUP) | SIGNAL_BIT(SIGTERM) | SIGNAL_BIT(34) |
		       SIGNAL_BIT(40) | SIGNAL_BIT(64);
	const char *want[] = { "SIGHUP", "SIGTERM", "SIGRTMIN", "SIGRTMIN+6", "SIGRTMAX" };
	int sigs[] = { SIGHUP, SIGTERM, 34, 40, 64 };
	struct signals_iter it;
	const char *name;
	size_t n = 0;
	char buf[64];

	signals_iter_init(&it, set);
	while ((name = signals_next(&it))) {
		ck_assert_uint_lt(n, 5);
		ck_assert_str_eq(name, want[n]);
		ck_assert_int_eq(it.sig, sigs[n]);
		n++;
	}
	ck_assert_uint_eq(n, 5);
	signals_iter_init(&it, 0);
	ck_assert_ptr_null(signals_next(&it));

	ck_assert_str_eq(signals_format(SIGNAL_BIT(SIGINT) | SIGNAL_BIT(SIGTERM), ",", buf,
					sizeof(buf)),
			 "SIGINT,SIGTERM");
	ck_assert_str_eq(signals_format(0, ",", buf, sizeof(buf)), "");
	ck_assert_str_eq(signals_format(set, " ", buf, 20), "SIGHUP SIGTERM...");
	ck_assert_uint_lt(strlen(signals_format(~UINT64_C(0), ",", buf, sizeof(buf))), 64);
}
END_TEST

START_TEST(test_syscall_parse)
{
	uint64_t a[6];
	long nr = 99;

	ck_assert(blocked_parse_syscall("running\n", &nr, a));
	ck_assert_int_eq(nr, -1);
	ck_assert(blocked_parse_syscall("-1 0x7ffc2b1f9e48 0x7f3a5c2e1a3d\n", &nr, a));
	ck_assert_int_eq(nr, -1);
	ck_assert(blocked_parse_syscall(
		"7 0x3 0x7ffc2b1f9e48 0x1 0x0 0x0 0x0 0x7ffc2b1f9e30 0x7f3a5c2e1a3d\n", &nr, a));
	ck_assert_int_eq(nr, 7);
	ck_assert_uint_eq(a[0], 3);
	ck_assert_uint_eq(a[1], 0x7ffc2b1f9e48);
	ck_assert_uint_eq(a[2], 1);
	ck_assert_uint_eq(a[5], 0);
	ck_assert(blocked_parse_syscall("0 0xffffffffffffffff 0x1 0x2 0x3 0x4 0x5 0x6 0x7", &nr, a));
	ck_assert_int_eq(nr, 0);
	ck_assert_uint_eq(a[0], UINT64_MAX);

	/* truncated, garbage, nothing */
	ck_assert(!blocked_parse_syscall("7 0x3 0x7ffc 0x1 0x0", &nr, a));
	ck_assert(!blocked_parse_syscall("7 0x3 0x7ffc 0x1 0x0 0x0 0x0 0x7ffc", &nr, a));
	ck_assert(!blocked_parse_syscall("7", &nr, a));
	ck_assert(!blocked_parse_syscall("-1 0x7ffc", &nr, a));
	ck_assert(!blocked_parse_syscall("", &nr, a));
	ck_assert(!blocked_parse_syscall("runnin", &nr, a));
	ck_assert(!blocked_parse_syscall("x 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8", &nr, a));
	ck_assert(!blocked_parse_syscall("7 3 4 5 6 7 8 9 10", &nr, a));
	ck_assert(!blocked_parse_syscall("7 0x3 0x1 0x1 0x0 0x0 0x0 0x1 0x2 junk", &nr, a));
	ck_assert(!blocked_parse_syscall("-2 0x1 0x2", &nr, a));
	ck_assert(!blocked_parse_syscall("7 0xzz 0x1 0x1 0x0 0x0 0x0 0x1 0x2", &nr, a));
	ck_assert(!blocked_parse_syscall("99999999999999999999 0x1 0x1 0x1 0x0 0x0 0x0 0x1 0x2",
					 &nr, a));
	ck_assert_int_eq(nr, -1);
}
END_TEST

START_TEST(test_syscall_names)
{
	ck_assert_str_eq(blocked_syscall_name(SYS_read), "read");
	ck_assert_str_eq(blocked_syscall_name(SYS_accept4), "accept4");
	ck_assert_str_eq(blocked_syscall_name(SYS_mq_timedreceive), "mq_timedreceive");
	ck_assert_str_eq(blocked_syscall_name(SYS_rt_sigtimedwait), "rt_sigtimedwait");
	ck_assert_str_eq(blocked_syscall_name(SYS_futex), "futex");
#ifdef SYS_msgrcv
	ck_assert_str_eq(blocked_syscall_name(SYS_msgrcv), "msgrcv");
#endif
	ck_assert_ptr_null(blocked_syscall_name(SYS_getpid));
	ck_assert_ptr_null(blocked_syscall_name(-1));
}
END_TEST

static const char status_text[] =
	"Name:\tweird\\nname\\\\x\x1b[1m\n"
	"Umask:\t0022\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t4242\n"
	"Ngid:\t0\n"
	"Pid:\t4242\n"
	"PPid:\t17\n"
	"TracerPid:\t0\n"
	"Uid:\t1000\t1001\t1000\t1001\n"
	"Gid:\t100\t100\t100\t100\n"
	"FDSize:\t64\n"
	"Groups:\t4 24 27 \n"
	"VmRSS:\t    1024 kB\n"
	"Threads:\t3\n"
	"SigQ:\t1/63448\n"
	"SigPnd:\t0000000000000200\n"
	"ShdPnd:\t0000000000004000\n"
	"SigBlk:\t0000000000010200\n"
	"SigIgn:\t0000000000000800\n"
	"SigCgt:\t0000000180004002\n"
	"CapInh:\t0000000000000000\n";

START_TEST(test_status_parse)
{
	struct proc_status st;

	ck_assert(procs_parse_status(status_text, &st));
	ck_assert_str_eq(st.name, "weird\nname\\x\x1b[1m");
	ck_assert_int_eq(st.state, 'S');
	ck_assert_int_eq(st.ppid, 17);
	ck_assert_int_eq(st.euid, 1001);
	ck_assert_int_eq(st.threads, 3);
	ck_assert(st.has_signals);
	ck_assert_uint_eq(st.sig_pnd, SIGNAL_BIT(10));
	ck_assert_uint_eq(st.shd_pnd, SIGNAL_BIT(SIGTERM));
	ck_assert_uint_eq(st.sig_blk, SIGNAL_BIT(10) | SIGNAL_BIT(17));
	ck_assert_uint_eq(st.sig_ign, SIGNAL_BIT(12));
	ck_assert_uint_eq(st.sig_cgt, SIGNAL_BIT(2) | SIGNAL_BIT(15) | SIGNAL_BIT(32) |
					      SIGNAL_BIT(33));
	ck_assert_uint_eq(procs_status_sigpnd(status_text), SIGNAL_BIT(10));
}
END_TEST

START_TEST(test_status_malformed)
{
	struct proc_status st;
	char *cut;

	/* truncated anywhere: never a crash; without State it is refused */
	for (size_t n = 0; n < sizeof(status_text) - 1; n++) {
		cut = strndup(status_text, n);
		bool ok = procs_parse_status(cut, &st);
		if (n < strlen("Name:\tweird\\nname\\\\x\x1b[1m\nUmask:\t0022\nState:\tS"))
			ck_assert(!ok);
		if (n < sizeof(status_text) - 1 - strlen("CapInh:\t0000000000000000\n") - 30)
			ck_assert(!st.has_signals);
		free(cut);
	}
	ck_assert(!procs_parse_status("", &st));
	ck_assert(!procs_parse_status("garbage\n\n::\n", &st));
	ck_assert(!procs_parse_status("Name:\tx\nState:\tS\nPPid:\tabc\n", &st));
	ck_assert(!procs_parse_status("Name:\tx\nState:\tS\nSigPnd:\t00zz\n", &st));
	ck_assert(!procs_parse_status("Name:\tx\nState:\tS\nUid:\t0\n", &st));
	ck_assert(!procs_parse_status("Name:\tx\nState:\t\n", &st));
	ck_assert(procs_parse_status("Name:\tx\nState:\tZ (zombie)\nPPid:\t1\n", &st));
	ck_assert_int_eq(st.state, 'Z');
	ck_assert(!st.has_signals);
	ck_assert_int_eq(st.euid, NONE);
	ck_assert_uint_eq(procs_status_sigpnd("Name:\tx\nSigPnd:\tjunk\n"), 0);
}
END_TEST

START_TEST(test_stat_parse)
{
	struct proc_stat st;

	ck_assert(procs_parse_stat("4242 (a) b) c) S 17 4242 4242 0 -1 4194560 100 0 0 0 "
				   "25 12 0 0 20 0 1 0 300 1000 200 18446744073709551615",
				   &st));
	ck_assert_str_eq(st.comm, "a) b) c");
	ck_assert_int_eq(st.state, 'S');
	ck_assert_int_eq(st.ppid, 17);
	ck_assert_int_eq(st.ticks, 37);
	ck_assert(procs_parse_stat("1 (x\ny) R 0 1", &st));
	ck_assert_str_eq(st.comm, "x\ny");
	ck_assert_int_eq(st.ticks, NONE);
	ck_assert(!procs_parse_stat("1 (x", &st));
	ck_assert(!procs_parse_stat("1 x) S", &st));
	ck_assert(!procs_parse_stat("1 (x)", &st));
	ck_assert(!procs_parse_stat("", &st));
}
END_TEST

START_TEST(test_io_ns_cmdline)
{
	struct proc_io io;
	char *s;

	ck_assert(procs_parse_io("rchar: 100\nwchar: 200\nsyscr: 3\nsyscw: 4\n"
				 "read_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n",
				 &io));
	ck_assert_int_eq(io.rchar, 100);
	ck_assert_int_eq(io.wchar, 200);
	ck_assert_int_eq(io.syscr, 3);
	ck_assert_int_eq(io.syscw, 4);
	ck_assert(procs_parse_io("rchar: 5\nwch", &io));
	ck_assert_int_eq(io.rchar, 5);
	ck_assert_int_eq(io.wchar, NONE);
	ck_assert(!procs_parse_io("", &io));
	ck_assert(!procs_parse_io("xrchar: 5\n", &io));

	ck_assert_int_eq(procs_parse_ns_link("ipc:[4026531839]", "ipc"), 4026531839);
	ck_assert_int_eq(procs_parse_ns_link("net:[4026531840]", "ipc"), NONE);
	ck_assert_int_eq(procs_parse_ns_link("ipc:[4026531839", "ipc"), NONE);
	ck_assert_int_eq(procs_parse_ns_link("ipc:[]", "ipc"), NONE);
	ck_assert_int_eq(procs_parse_ns_link("ipc:[-1]", "ipc"), NONE);
	ck_assert_int_eq(procs_parse_ns_link("", "mnt"), NONE);

	s = procs_cmdline_join("sleep\0" "10\0", 9);
	ck_assert_str_eq(s, "sleep 10");
	free(s);
	s = procs_cmdline_join("a\0\0b c\0", 7);
	ck_assert_str_eq(s, "a  b c");
	free(s);
	s = procs_cmdline_join("sshd: root@pts/0", 16); /* rewritten by setproctitle */
	ck_assert_str_eq(s, "sshd: root@pts/0");
	free(s);
	ck_assert_ptr_null(procs_cmdline_join("", 0));
	ck_assert_ptr_null(procs_cmdline_join("\0\0", 2));
}
END_TEST

static Suite *procs_suite(void)
{
	Suite *s = suite_create("procs");
	TCase *tc = tcase_create("parsers");

	tcase_add_test(tc, test_signal_names);
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__)
	tcase_add_test(tc, test_signal_names_x86);
#endif
	tcase_add_test(tc, test_mask_parse);
	tcase_add_test(tc, test_mask_iterate);
	tcase_add_test(tc, test_syscall_parse);
	tcase_add_test(tc, test_syscall_names);
	tcase_add_test(tc, test_status_parse);
	tcase_add_test(tc, test_status_malformed);
	tcase_add_test(tc, test_stat_parse);
	tcase_add_test(tc, test_io_ns_cmdline);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(procs_suite)
