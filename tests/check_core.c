/* Unit tests of the core: escaping, kinds, options, maps and fdinfo parsing,
 * the snapshot store, JSON, history and the fd dump's records. */
#include "config.h"

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>

#include "check_main.h"
#include "escape.h"
#include "fddump.h"
#include "fddump_rec.h"
#include "fdtable.h"
#include "history.h"
#include "model.h"
#include "options.h"
#include "rundump.h"
#include "rundump_rec.h"
#include "output.h"
#include "strbuf.h"

static char *json_of(const char *s, size_t n)
{
	struct strbuf sb;
	sb_init(&sb);
	escape_json(&sb, s, n);
	char *r = strdup(sb_str(&sb));
	sb_free(&sb);
	return r;
}

static char *text_of(const char *s, size_t n)
{
	struct strbuf sb;
	sb_init(&sb);
	escape_text(&sb, s, n);
	char *r = strdup(sb_str(&sb));
	sb_free(&sb);
	return r;
}

START_TEST(json_escapes_quotes_controls_and_invalid_utf8)
{
	char *r = json_of("a\"b\\c\nd\x1b[31m", 12);
	ck_assert_str_eq(r, "\"a\\\"b\\\\c\\nd\\u001b[31m\"");
	free(r);
	/* invalid bytes become the four characters \xNN */
	r = json_of("x\xff\xc3(y", 5);
	ck_assert_str_eq(r, "\"x\\\\xff\\\\xc3(y\"");
	free(r);
	/* valid multibyte UTF-8 is kept */
	r = json_of("\xed\x95\x9c\xea\xb8\x80", 6);
	ck_assert_str_eq(r, "\"\xed\x95\x9c\xea\xb8\x80\"");
	free(r);
	/* overlong encoding and surrogates are not valid UTF-8 */
	r = json_of("\xc0\xaf\xed\xa0\x80", 5);
	ck_assert_str_eq(r, "\"\\\\xc0\\\\xaf\\\\xed\\\\xa0\\\\x80\"");
	free(r);
	/* an embedded NUL stays visible */
	r = json_of("a\0b", 3);
	ck_assert_str_eq(r, "\"a\\u0000b\"");
	free(r);
}
END_TEST

/* escape_json copies runs of plain bytes at once: escapes at either end of a
 * run, next to each other, in long strings (the buffer grows mid-string),
 * and everything that is valid JSON raw but must still not reach a terminal. */
START_TEST(json_escape_runs)
{
	struct strbuf sb;
	char *r;
	size_t n = 5000;
	char *big = malloc(n);

	r = json_of("\"x\"", 3);
	ck_assert_str_eq(r, "\"\\\"x\\\"\"");
	free(r);
	r = json_of("\\\\\n\r\t\x7f\x1f", 7);
	ck_assert_str_eq(r, "\"\\\\\\\\\\n\\r\\t\\u007f\\u001f\"");
	free(r);
	/* C1 control, separators, bidi overrides and isolates: \uXXXX; other
	 * valid UTF-8 (zero width space, emoji) is kept */
	r = json_of("a\xc2\x9b" "b\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9"
		    "\xe2\x80\x8b\xf0\x9f\x98\x80z", 27);
	ck_assert_str_eq(r, "\"a\\u009bb\\u2028\\u2029\\u202e\\u2066\\u2069"
			    "\xe2\x80\x8b\xf0\x9f\x98\x80z\"");
	free(r);
	/* a sequence cut short by the end, and one cut by an ASCII byte */
	r = json_of("ok\xe2\x80", 4);
	ck_assert_str_eq(r, "\"ok\\\\xe2\\\\x80\"");
	free(r);
	r = json_of("\xf0\x9f" "A\xf4\x90\x80\x80", 7);
	ck_assert_str_eq(r, "\"\\\\xf0\\\\x9fA\\\\xf4\\\\x90\\\\x80\\\\x80\"");
	free(r);
	r = json_of("", 0);
	ck_assert_str_eq(r, "\"\"");
	free(r);

	/* after other text, and growing the buffer: every 100th byte a quote */
	for (size_t i = 0; i < n; i++)
		big[i] = i % 100 == 99 ? '"' : (char)('a' + i % 26);
	sb_init(&sb);
	sb_puts(&sb, "k:");
	escape_json(&sb, big, n);
	ck_assert_uint_eq(sb.len, 2 + 2 + n + n / 100);
	ck_assert_mem_eq(sb.buf, "k:\"abc", 6);
	for (size_t i = 0, j = 3; i < n; i++, j++) {
		if (big[i] == '"')
			ck_assert_int_eq(sb.buf[j++], '\\');
		ck_assert_int_eq(sb.buf[j], big[i]);
	}
	ck_assert_int_eq(sb.buf[sb.len - 1], '"');
	sb_free(&sb);
	free(big);
}
END_TEST

/* Integers are formatted by hand: the same text as printf "%" PRId64. */
START_TEST(json_integers_as_printf)
{
	const int64_t v[] = { 0, 7, -7, 10, -10, 99, 100, 4294967295LL, -4294967296LL,
			      INT64_MAX, INT64_MIN + 1, INT64_MIN, 1000000000000000000LL };
	struct snapshot *s = snapshot_new();
	struct ipc_object *o;
	struct strbuf sb;
	char want[64], buf[SB_I64_MAX + 1];

	sb_init(&sb);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(want, sizeof(want), "%" PRId64, v[i]);
		buf[sb_fmt_i64(buf, v[i])] = '\0';
		ck_assert_str_eq(buf, want);
		sb_reset(&sb);
		sb_put_i64(&sb, v[i]);
		ck_assert_str_eq(sb_str(&sb), want);
	}

	o = snapshot_object(s, KIND_SYSV_SHM, NULL, "sysv_shm:%d", 5);
	o->key = -1;
	o->ipcid = INT64_MAX;
	o->size = INT64_MIN + 1;
	o->nattch = 0;
	o->dev_major = 259;
	o->dev_minor = -1;
	sb_reset(&sb);
	output_json(&sb, s);
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"dev\":\"259:-1\""));
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"key\":-1,\"ipcid\":9223372036854775807,"));
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"size\":-9223372036854775807,\"nattch\":0,"));
	sb_free(&sb);
	snapshot_free(s);
}
END_TEST

/* Peers: a socketpair's ends are neighbours once sorted (found without the
 * hash), a peer far away is found by id, and an object next door with the
 * peer's inode but another kind or id is not taken for it. */
START_TEST(json_peers_near_and_far)
{
	struct snapshot *s = snapshot_new();
	struct ipc_object *o;
	struct strbuf sb;

	o = snapshot_object(s, KIND_UNIX, NULL, "unix:%d", 21);
	o->inode = 21;
	o->peer_inode = 20;
	object_add_endpoint(o, 200, VIA_FD, 6, MODE_RW, ROLE_CLIENT);
	object_add_endpoint(o, 201, VIA_FD, 3, MODE_RW, ROLE_CLIENT);
	object_add_endpoint(o, 200, VIA_FD, 9, MODE_RW, ROLE_CLIENT);
	o = snapshot_object(s, KIND_UNIX, NULL, "unix:%d", 20);
	o->inode = 20;
	o->peer_inode = 21;
	object_add_endpoint(o, 100, VIA_FD, 5, MODE_RW, ROLE_SERVER);
	o = snapshot_object(s, KIND_UNIX, NULL, "unix:%d", 50);
	o->inode = 50;
	o->peer_inode = 90;
	for (int i = 0; i < 5; i++) {
		o = snapshot_object(s, KIND_UNIX, NULL, "unix:%d", 60 + i);
		o->inode = 60 + i;
	}
	o = snapshot_object(s, KIND_UNIX, NULL, "unix:%d", 90);
	o->inode = 90;
	o->peer_inode = 50;
	object_add_endpoint(o, 300, VIA_FD, 4, MODE_RW, ROLE_NONE);
	/* unix:91 wants unix:7, which does not exist; its neighbours have
	 * inode 7 but are a pipe (another kind) and "unix:x7" (another id) */
	o = snapshot_object(s, KIND_UNIX, NULL, "unix:%d", 91);
	o->inode = 91;
	o->peer_inode = 7;
	o = snapshot_object(s, KIND_UNIX, NULL, "unix:x7");
	o->inode = 7;
	object_add_endpoint(o, 400, VIA_FD, 1, MODE_RW, ROLE_NONE);
	o = snapshot_object(s, KIND_PIPE, NULL, "pipe:%d", 7);
	o->inode = 7;
	object_add_endpoint(o, 500, VIA_FD, 1, MODE_R, ROLE_READER);
	snapshot_sort(s);

	sb_init(&sb);
	output_json(&sb, s);
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"id\":\"unix:20\",\"kind\":\"unix\",\"inode\":20,"
						   "\"peer\":{\"inode\":21,\"pids\":[200,201]}"));
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"id\":\"unix:21\",\"kind\":\"unix\",\"inode\":21,"
						   "\"peer\":{\"inode\":20,\"pids\":[100]}"));
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"inode\":50,\"peer\":{\"inode\":90,\"pids\":[300]}"));
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"inode\":90,\"peer\":{\"inode\":50,\"pids\":[]}"));
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"inode\":91,\"peer\":{\"inode\":7,\"pids\":[]}"));
	/* the batch table's lookup agrees */
	ck_assert_ptr_eq(output_peer(s, snapshot_find(s, "unix:20")), snapshot_find(s, "unix:21"));
	ck_assert_ptr_null(output_peer(s, snapshot_find(s, "unix:91")));
	sb_free(&sb);
	snapshot_free(s);
}
END_TEST

START_TEST(text_escape_leaves_no_control_byte)
{
	const char in[] = "\x1b]0;pwned\x07\r\n\t\\ok\xc2\x9b" "2J\xe2\x80\xae";
	char *r = text_of(in, sizeof(in) - 1);
	for (const unsigned char *p = (const unsigned char *)r; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p != 0x7f, "control byte 0x%02x in '%s'", *p, r);
	ck_assert_str_eq(r, "\\e]0;pwned\\x07\\r\\n\\t\\\\ok\\xc2\\x9b2J\\u202e");
	free(r);
	/* a truncated sequence at the end */
	r = text_of("ab\xe2\x80", 4);
	ck_assert_str_eq(r, "ab\\xe2\\x80");
	free(r);
}
END_TEST

START_TEST(kinds_parse)
{
	const char *bad;
	size_t badlen;

	ck_assert_int_eq(kind_parse("posix-mq"), KIND_POSIX_MQ);
	ck_assert_int_eq(kind_parse("sysv_sem"), KIND_SYSV_SEM);
	ck_assert_int_eq(kind_parse("nope"), -1);
	ck_assert_uint_eq(kind_parse_list("pipe,tcp", &bad, &badlen),
			  KIND_BIT(KIND_PIPE) | KIND_BIT(KIND_TCP));
	ck_assert_uint_eq(kind_parse_list("sysv", &bad, &badlen),
			  KIND_BIT(KIND_SYSV_SHM) | KIND_BIT(KIND_SYSV_MSG) | KIND_BIT(KIND_SYSV_SEM));
	ck_assert_uint_eq(kind_parse_list("pipe,bogus", &bad, &badlen), 0);
	ck_assert_int_eq((int)badlen, 5);
	ck_assert_int_eq(strncmp(bad, "bogus", badlen), 0);
	ck_assert_uint_eq(kind_parse_list("pipe,,tcp", &bad, &badlen), 0);
	ck_assert_uint_eq(kind_parse_list("", &bad, &badlen), 0);
}
END_TEST

static int parse(struct options *o, char *err, const char *a1, const char *a2, const char *a3)
{
	char *argv[] = { "ipctop", (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = 1 + (a1 != NULL) + (a2 != NULL) + (a3 != NULL);
	return options_parse(o, argc, argv, err, 256);
}

START_TEST(options_good_and_bad)
{
	struct options o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, "--json", "-p", "1,22"), 0);
	ck_assert_int_eq(o.mode, OUT_JSON);
	ck_assert_int_eq((int)o.npids, 2);
	ck_assert_int_eq(o.pids[1], 22);
	ck_assert_int_eq((int)o.iterations, 1);
	options_free(&o);

	ck_assert_int_eq(parse(&o, err, "-b", "-d", "0.5"), 0);
	ck_assert_int_eq((int)o.iterations, 0); /* -d without -n: until stopped */
	options_free(&o);

	ck_assert_int_eq(parse(&o, err, "-n", "0", NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "iteration"));
	options_free(&o);
	ck_assert_int_eq(parse(&o, err, "-d", "abc", NULL), -1);
	options_free(&o);
	ck_assert_int_eq(parse(&o, err, "-p", "12x", NULL), -1);
	options_free(&o);
	ck_assert_int_eq(parse(&o, err, "--frobnicate", NULL, NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "--frobnicate"));
	options_free(&o);
	ck_assert_int_eq(parse(&o, err, "-t", "pipe,nope", NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "nope"));
	options_free(&o);
	ck_assert_int_eq(parse(&o, err, "-d", NULL, NULL), -1);
	options_free(&o);
}
END_TEST

START_TEST(maps_lines)
{
	struct map_entry m;
	const char *path;
	size_t len;

	ck_assert(maps_parse_line("7f1c2c000000-7f1c2c021000 rw-s 00000000 00:01 32790     "
				  "/SYSV0000162e (deleted)", &m, &path, &len));
	ck_assert_str_eq(m.perms, "rw-s");
	ck_assert_uint_eq(m.ino, 32790);
	ck_assert_uint_eq(m.dev_minor, 1);
	ck_assert(m.deleted);
	ck_assert_int_eq((int)len, 13);
	ck_assert_int_eq(strncmp(path, "/SYSV0000162e", len), 0);

	ck_assert(maps_parse_line("7ffd1000-7ffd2000 r--p 00000000 00:00 0 ", &m, &path, &len));
	ck_assert_ptr_null(path);
	ck_assert(maps_parse_line("1000-2000 rw-s 00000000 fd:01 12 /tmp/a file with spaces",
				  &m, &path, &len));
	ck_assert_uint_eq(m.dev_major, 0xfd);
	ck_assert_int_eq(strncmp(path, "/tmp/a file with spaces", len), 0);

	ck_assert(!maps_parse_line("", &m, &path, &len));
	ck_assert(!maps_parse_line("7f1c2c000000-7f1c2c021000 rw-s", &m, &path, &len));
	ck_assert(!maps_parse_line("garbage garbage", &m, &path, &len));
	ck_assert(!maps_parse_line("1000-2000 rw-sx 0 00:01 5 /x", &m, &path, &len));
}
END_TEST

START_TEST(fdinfo_fields)
{
	const char *info = "pos:\t0\nflags:\t02000001\nmnt_id:\t15\nino:\t1038\n"
			   "eventfd-count:                1f\neventfd-id: 7\n";

	ck_assert_int_eq(fdinfo_parse_mode(info), MODE_W);
	ck_assert_int_eq(fdinfo_parse_mode("flags:\t0100002\n"), MODE_RW);
	ck_assert_int_eq(fdinfo_parse_mode("flags:\t00\n"), MODE_R);
	ck_assert_int_eq(fdinfo_parse_mode("pos: 0\n"), MODE_NONE);
	ck_assert_int_eq(fdinfo_parse_mode(""), MODE_NONE);
	ck_assert_int_eq(fdinfo_parse_field(info, "eventfd-count", 16), 31);
	ck_assert_int_eq(fdinfo_parse_field(info, "eventfd-id", 10), 7);
	ck_assert_int_eq(fdinfo_parse_field(info, "ino", 10), 1038);
	ck_assert(!HAS(fdinfo_parse_field(info, "eventfd", 10)));
	ck_assert(!HAS(fdinfo_parse_field("flags:\tzz\n", "flags", 8)));
}
END_TEST

START_TEST(snapshot_store)
{
	struct snapshot *s = snapshot_new();
	bool created;
	struct ipc_object *a, *b;

	for (int i = 0; i < 1000; i++)
		snapshot_object(s, KIND_PIPE, NULL, "pipe:%d", i);
	a = snapshot_object(s, KIND_PIPE, &created, "pipe:%d", 77);
	ck_assert(!created);
	b = snapshot_find(s, "pipe:77");
	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_null(snapshot_find(s, "pipe:1000"));
	object_add_endpoint(a, 10, VIA_FD, 3, MODE_R, ROLE_READER);
	object_add_endpoint(a, 10, VIA_FD, 3, MODE_R, ROLE_READER);
	object_add_endpoint(a, 10, VIA_MAP, 9, MODE_RW, ROLE_MAPPER);
	object_add_endpoint(a, 11, VIA_FD, 4, MODE_W, ROLE_WRITER);
	ck_assert_int_eq((int)a->neps, 3);
	ck_assert_int_eq(a->eps[1].fd, -1); /* fd only for via fd */
	ck_assert_int_eq((int)object_holders(a), 2);
	/* past the short scan the duplicate index takes over, also after a sort */
	struct ipc_object *big = snapshot_object(s, KIND_SYSV_SHM, NULL, "sysv_shm:%d", 5);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 500; i++) {
			object_add_endpoint(big, 1000 + i, VIA_MAP, -1, MODE_R, ROLE_ATTACHER);
			object_add_endpoint(big, 1000 + i, VIA_MAP, 7, MODE_W, ROLE_ATTACHER);
		}
		ck_assert_int_eq((int)big->neps, 500);
		if (round == 1)
			snapshot_sort(s);
	}
	for (size_t i = 0; i < big->neps; i++)
		ck_assert_int_eq(big->eps[i].mode, MODE_RW); /* r and w merged */
	a = snapshot_find(s, "pipe:77");
	for (int i = 1; i < 5000; i++)
		snapshot_add_process(s, i);
	ck_assert_int_eq(snapshot_process(s, 4321)->pid, 4321);
	ck_assert_ptr_null(snapshot_process(s, 5000));
	snapshot_sort(s);
	ck_assert_str_eq(s->objs[2]->id, "pipe:2");
	ck_assert_str_eq(s->objs[10]->id, "pipe:10");
	snapshot_free(s);
}
END_TEST

/* Kind first, then ids with digit runs as numbers; ids of the usual
 * "kind:number" shape and any other shape meet in one order. */
START_TEST(snapshot_sort_order)
{
	static const struct {
		enum obj_kind kind;
		const char *id;
	} in[] = {
		{ KIND_UNIX, "unix:5" },
		{ KIND_PIPE, "pipe:x7" },
		{ KIND_PIPE, "pipe:10" },
		{ KIND_PIPE, "unix:1" },
		{ KIND_FIFO, "fifo:3" },
		{ KIND_PIPE, "pipe:123456789012345678901" },
		{ KIND_PIPE, "pipe:9a" },
		{ KIND_PIPE, "pipe:" },
		{ KIND_PIPE, "pipe:09" },
		{ KIND_PIPE, "pipe:100000000000000000" },
		{ KIND_PIPE, "pipe:99999999999999999" },
		{ KIND_PIPE, "pipe:8" },
	};
	static const char *const want[] = {
		"pipe:", "pipe:8", "pipe:09", "pipe:9a", "pipe:10", "pipe:99999999999999999",
		"pipe:100000000000000000", "pipe:123456789012345678901", "pipe:x7", "unix:1",
		"fifo:3", "unix:5",
	};
	struct snapshot *s = snapshot_new();

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		snapshot_object(s, in[i].kind, NULL, "%s", in[i].id);
	snapshot_sort(s);
	ck_assert_int_eq((int)s->nobjs, (int)(sizeof(want) / sizeof(want[0])));
	for (size_t i = 0; i < s->nobjs; i++) {
		ck_assert_str_eq(s->objs[i]->id, want[i]);
		ck_assert_ptr_eq(snapshot_find(s, want[i]), s->objs[i]);
	}
	snapshot_free(s);
}
END_TEST

/* snapshot_object formats the usual id formats itself: as printf would. */
#define ID_IS_PRINTF(...)                                                          \
	do {                                                                       \
		char want_[400];                                                   \
		snprintf(want_, sizeof(want_), __VA_ARGS__);                       \
		ck_assert_str_eq(snapshot_object(s, KIND_PIPE, NULL, __VA_ARGS__)->id, \
				 want_);                                           \
	} while (0)

START_TEST(snapshot_ids_as_printf)
{
	struct snapshot *s = snapshot_new();
	char name[300];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ID_IS_PRINTF("unix:%llu", 0ULL);
	ID_IS_PRINTF("unix:%llu", 18446744073709551615ULL);
	ID_IS_PRINTF("pipe:%" PRIu64, (uint64_t)1234567);
	ID_IS_PRINTF("eventfd:%" PRId64, INT64_MIN);
	ID_IS_PRINTF("memfd:%lld", -42LL);
	ID_IS_PRINTF("sysv_msg:%d", -2147483647 - 1);
	ID_IS_PRINTF("sysv_shm:%d", 2147483647);
	ID_IS_PRINTF("mmap:%u:%u:%llu", 4294967295u, 0u, 99ULL);
	ID_IS_PRINTF("%s:%llu", "tcp", 77ULL);
	ID_IS_PRINTF("posix_shm:/%s(deleted):%llu", "a b", 5ULL);
	/* what it leaves to vsnprintf: flags, %%, other conversions, long ids */
	ID_IS_PRINTF("w:%5d|%-3u|%x|%%", 7, 8u, 255u);
	ID_IS_PRINTF("posix_mq:/%s", name + 182); /* 127 characters */
	ID_IS_PRINTF("posix_mq:/%s", name + 181); /* 128 */
	ID_IS_PRINTF("posix_mq:/%s", name);
	snapshot_free(s);
}
END_TEST

START_TEST(history_marks_new_and_rates)
{
	struct snapshot *a = snapshot_new(), *b = snapshot_new();
	struct ipc_object *o;

	a->time = 100.0;
	b->time = 102.0;
	o = snapshot_object(a, KIND_TCP, NULL, "tcp:1");
	o->tx_total = 1000;
	o->rx_total = 0;
	o = snapshot_object(b, KIND_TCP, NULL, "tcp:1");
	o->tx_total = 5000;
	o->rx_total = 2000;
	snapshot_object(b, KIND_PIPE, NULL, "pipe:2");
	o = snapshot_object(a, KIND_SYSV_MSG, NULL, "sysv_msg:3");
	o->queue.messages = 4;
	o->stime = o->rtime = 50;
	o = snapshot_object(b, KIND_SYSV_MSG, NULL, "sysv_msg:3");
	o->queue.messages = 4;
	o->stime = o->rtime = 50;
	history_apply(a, b);
	o = snapshot_find(b, "tcp:1");
	ck_assert(o->rate.valid && !o->rate.estimate);
	ck_assert(o->rate.bytes_per_s > 2999.0 && o->rate.bytes_per_s < 3001.0);
	ck_assert(snapshot_find(b, "pipe:2")->flags & FLAG_NEW);
	ck_assert(!(snapshot_find(b, "tcp:1")->flags & FLAG_NEW));
	ck_assert(snapshot_find(b, "sysv_msg:3")->flags & FLAG_STUCK);
	snapshot_free(a);
	snapshot_free(b);
}
END_TEST

START_TEST(json_document_shape)
{
	struct snapshot *s = snapshot_new();
	struct ipc_object *o;
	struct ipc_process *p;
	struct strbuf sb;

	s->time = 1.5;
	p = snapshot_add_process(s, 42);
	p->comm = strdup("a\"b");
	o = snapshot_object(s, KIND_PIPE, NULL, "pipe:9");
	o->inode = 9;
	o->queue.bytes = 3;
	o->flags = FLAG_NO_READER;
	object_add_endpoint(o, 42, VIA_FD, 1, MODE_W, ROLE_WRITER);
	sb_init(&sb);
	output_json(&sb, s);
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"id\":\"pipe:9\",\"kind\":\"pipe\",\"inode\":9"));
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"queue\":{\"bytes\":3}"));
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"flags\":[\"no_reader\"]"));
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "{\"pid\":42,\"comm\":\"a\\\"b\",\"via\":\"fd\",\"fd\":1,"
						   "\"mode\":\"w\",\"role\":\"writer\"}"));
	/* absent facts are absent, never guessed */
	ck_assert_ptr_null(strstr(sb_str(&sb), "capacity"));
	sb_free(&sb);
	snapshot_free(s);
}
END_TEST

/* Appends a record of the fd dump to d->buf, then r.pathlen bytes: name and
 * its NUL when r.pathlen is 0, else the first r.pathlen bytes of name (or
 * that many 'x' without one), for the malformed. */
static void dump_add(struct fddump *d, struct fddump_rec r, const char *name)
{
	if (name && !r.pathlen)
		r.pathlen = (__u32)strlen(name) + 1;
	d->buf = realloc(d->buf, d->len + sizeof(r) + r.pathlen);
	memcpy(d->buf + d->len, &r, sizeof(r));
	if (name)
		memcpy(d->buf + d->len + sizeof(r), name, r.pathlen);
	else
		memset(d->buf + d->len + sizeof(r), 'x', r.pathlen);
	d->len += sizeof(r) + r.pathlen;
}

/* A process's namespaces record (FDDUMP_TASK), as the program writes it
 * before the process's first fd */
static void dump_add_task(struct fddump *d, __u32 tgid, __u32 ipc, __u32 net, __u32 mnt)
{
	struct fddump_task k = { ipc, net, mnt, 0 };
	struct fddump_rec r = { .tgid = tgid, .kind = FDDUMP_TASK, .qbytes = -1,
				.pathlen = sizeof(k) };

	d->buf = realloc(d->buf, d->len + sizeof(r) + sizeof(k));
	memcpy(d->buf + d->len, &r, sizeof(r));
	memcpy(d->buf + d->len + sizeof(r), &k, sizeof(k));
	d->len += sizeof(r) + sizeof(k);
}

/* fddump_take() for pid into a fresh fd_proc (*fp when given) */
static bool take(const struct fddump *d, struct fd_table *t, pid_t pid, struct fd_proc *fp)
{
	struct fd_proc mine;

	if (!fp)
		fp = &mine;
	*fp = (struct fd_proc){ .pid = pid };
	return fddump_take(d, t, fp);
}

/* Two processes, the later pid first: taken as /proc would read them. */
START_TEST(fddump_takes_a_process)
{
	struct fddump d = { 0 };
	struct fd_table t = { 0 };
	const struct fd_entry *e;

	dump_add(&d, (struct fddump_rec){ .tgid = 20, .fd = 7, .imode = 010644, .fmode = 2,
					  .qbytes = 3, .qslots = 1 }, "/run/f");
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 0, .imode = 020666, .fmode = 3,
					  .qbytes = -1 }, "/dev/null");
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 3, .ino = 777, .imode = 010600,
					  .fmode = 1, .kind = FDDUMP_PIPE, .qbytes = 5,
					  .qslots = 16 }, NULL);
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 4, .ino = 888, .imode = 0140777,
					  .fmode = 3, .kind = FDDUMP_SOCKET, .qbytes = -1 }, NULL);
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 5, .imode = 0100644, .fmode = 2,
					  .qbytes = -1 }, "/tmp/x (deleted)");
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 6, .imode = 0600, .fmode = 3,
					  .qbytes = -1 }, "anon_inode:[eventfd]");
	ck_assert_int_eq(fddump_index(&d), 0);
	ck_assert_uint_eq(d.nprocs, 2);
	ck_assert_uint_eq(d.nfds, 6);
	ck_assert_int_eq(d.procs[0].pid, 10);
	ck_assert_int_eq(d.procs[1].pid, 20);

	ck_assert(take(&d, &t, 10, NULL));
	ck_assert_uint_eq(t.nfds, 5);
	for (size_t i = 0; i < t.nfds; i++) {
		ck_assert_int_eq(t.fds[i].pid, 10);
		ck_assert(t.fds[i].mode_done);
	}
	e = &t.fds[0];
	ck_assert_int_eq(e->fd, 0);
	ck_assert_int_eq(e->type, FD_PATH);
	ck_assert_str_eq(e->target, "/dev/null");
	ck_assert(!e->deleted);
	ck_assert_int_eq(e->mode, MODE_RW);
	ck_assert(e->ftype_known);
	ck_assert_uint_eq(e->ftype, S_IFCHR);
	ck_assert(!e->q_known); /* not a FIFO */
	e = &t.fds[1];
	ck_assert_int_eq(e->fd, 3);
	ck_assert_int_eq(e->type, FD_PIPE);
	ck_assert_str_eq(e->target, "pipe:[777]");
	ck_assert_uint_eq(e->ino, 777);
	ck_assert_int_eq(e->mode, MODE_R);
	ck_assert(e->q_known && e->q_fresh);
	ck_assert_int_eq(e->q_bytes, 5);
	ck_assert_int_eq(e->q_cap, 16 * sysconf(_SC_PAGESIZE));
	e = &t.fds[2];
	ck_assert_int_eq(e->fd, 4);
	ck_assert_int_eq(e->type, FD_SOCKET);
	ck_assert_str_eq(e->target, "socket:[888]");
	ck_assert_uint_eq(e->ino, 888);
	ck_assert_int_eq(e->mode, MODE_RW);
	e = &t.fds[3];
	ck_assert_int_eq(e->fd, 5);
	ck_assert_int_eq(e->type, FD_PATH);
	ck_assert_str_eq(e->target, "/tmp/x");
	ck_assert(e->deleted);
	ck_assert_int_eq(e->mode, MODE_W);
	e = &t.fds[4];
	ck_assert_int_eq(e->fd, 6);
	ck_assert_int_eq(e->type, FD_ANON);
	ck_assert_str_eq(e->target, "anon_inode:[eventfd]");
	ck_assert(!e->ftype_known);

	/* the FIFO of the other process is appended after */
	ck_assert(take(&d, &t, 20, NULL));
	ck_assert_uint_eq(t.nfds, 6);
	e = &t.fds[5];
	ck_assert_int_eq(e->pid, 20);
	ck_assert_int_eq(e->fd, 7);
	ck_assert_str_eq(e->target, "/run/f");
	ck_assert_uint_eq(e->ftype, S_IFIFO);
	ck_assert(e->q_known && e->q_fresh);
	ck_assert_int_eq(e->q_bytes, 3);
	ck_assert_int_eq(e->q_cap, sysconf(_SC_PAGESIZE));

	/* a pid the dump does not hold: nothing added */
	ck_assert(!take(&d, &t, 15, NULL));
	ck_assert(!take(&d, &t, 30, NULL));
	ck_assert_uint_eq(t.nfds, 6);
	fdtable_free(&t);
	fddump_free(&d);
}
END_TEST

/* A process's namespaces come with its fds; not counted as an fd. */
START_TEST(fddump_takes_namespaces)
{
	struct fddump d = { 0 };
	struct fd_table t = { 0 };
	struct fd_proc fp;

	dump_add_task(&d, 10, 4026531839u, 4026531833u, 4026531832u);
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 0, .imode = 020666, .fmode = 3,
					  .qbytes = -1 }, "/dev/null");
	dump_add(&d, (struct fddump_rec){ .tgid = 20, .fd = 0, .imode = 020666, .fmode = 3,
					  .qbytes = -1 }, "/dev/null");
	ck_assert_int_eq(fddump_index(&d), 0);
	ck_assert_uint_eq(d.nprocs, 2);
	ck_assert_uint_eq(d.nfds, 2);
	ck_assert(take(&d, &t, 10, &fp));
	ck_assert_uint_eq(t.nfds, 1);
	ck_assert(fp.ns_known);
	ck_assert_int_eq(fp.ns_ipc, 4026531839);
	ck_assert_int_eq(fp.ns_net, 4026531833);
	ck_assert_int_eq(fp.ns_mnt, 4026531832);
	/* none written for it: left to /proc/PID/ns */
	ck_assert(take(&d, &t, 20, &fp));
	ck_assert(!fp.ns_known);
	fdtable_free(&t);
	fddump_free(&d);

	/* a namespaces record of another size: the process is not trusted */
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .kind = FDDUMP_TASK, .pathlen = 8 }, NULL);
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 0 }, "/a");
	ck_assert_int_eq(fddump_index(&d), 0);
	ck_assert(!take(&d, &t, 10, &fp));
	ck_assert_uint_eq(t.nfds, 0);
	fdtable_free(&t);
	fddump_free(&d);
}
END_TEST

/* What the dump cannot stand for is left to /proc: an unnamed fd, a name
 * without its NUL, a process in two runs, a pipe queue not summed. */
START_TEST(fddump_incomplete_processes)
{
	struct fddump d = { 0 };
	struct fd_table t = { 0 };

	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 1, .imode = 0100644 }, "/a");
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 2, .kind = FDDUMP_NONAME }, NULL);
	dump_add(&d, (struct fddump_rec){ .tgid = 20, .fd = 1, .imode = 0100644 }, "/b");
	dump_add(&d, (struct fddump_rec){ .tgid = 30, .fd = 1, .imode = 0100644,
					  .pathlen = 4 }, "/tmp/abc");
	dump_add(&d, (struct fddump_rec){ .tgid = 40, .fd = 1 }, NULL); /* named, no name */
	ck_assert_int_eq(fddump_index(&d), 0);
	ck_assert_uint_eq(d.nprocs, 4);
	ck_assert(!take(&d, &t, 10, NULL));
	ck_assert(!take(&d, &t, 30, NULL));
	ck_assert(!take(&d, &t, 40, NULL));
	ck_assert_uint_eq(t.nfds, 0);
	ck_assert(take(&d, &t, 20, NULL));
	ck_assert_uint_eq(t.nfds, 1);
	ck_assert_str_eq(t.fds[0].target, "/b");
	fdtable_free(&t);
	fddump_free(&d);

	/* pid 10, 20, then 10 again */
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 1 }, "/a");
	dump_add(&d, (struct fddump_rec){ .tgid = 20, .fd = 1 }, "/b");
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 2 }, "/c");
	ck_assert_int_eq(fddump_index(&d), 0);
	ck_assert(!take(&d, &t, 10, NULL));
	ck_assert(take(&d, &t, 20, NULL));
	ck_assert_uint_eq(t.nfds, 1);
	ck_assert_int_eq(t.fds[0].pid, 20);
	fdtable_free(&t);
	fddump_free(&d);

	/* the BPF side could not sum the pipe's buffers */
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 3, .ino = 5, .imode = 010600,
					  .fmode = 2, .kind = FDDUMP_PIPE, .qbytes = -1,
					  .qslots = 16 }, NULL);
	ck_assert_int_eq(fddump_index(&d), 0);
	ck_assert(take(&d, &t, 10, NULL));
	ck_assert_uint_eq(t.nfds, 1);
	ck_assert_int_eq(t.fds[0].type, FD_PIPE);
	ck_assert(!t.fds[0].q_known && !t.fds[0].q_fresh);
	fdtable_free(&t);
	fddump_free(&d);
}
END_TEST

/* A buffer that is not what the program wrote is refused whole. */
START_TEST(fddump_malformed_buffers)
{
	struct fddump d = { 0 };

	/* empty: nothing, but not malformed */
	ck_assert_int_eq(fddump_index(&d), 0);
	ck_assert_uint_eq(d.nprocs, 0);
	fddump_free(&d);

	/* a good record, then one cut short */
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 1 }, "/a");
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 2 }, NULL);
	d.len -= 1;
	ck_assert_int_eq(fddump_index(&d), -1);
	ck_assert_uint_eq(d.nprocs, 0);
	ck_assert_ptr_null(d.procs);
	fddump_free(&d);

	/* a name longer than a path can be, though all in the buffer */
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 1 }, "/a");
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 2,
					  .pathlen = FDDUMP_PATH_MAX + 1 }, NULL);
	ck_assert_int_eq(fddump_index(&d), -1);
	ck_assert_uint_eq(d.nprocs, 0);
	fddump_free(&d);

	/* a name running past the end */
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 1 }, "/a");
	dump_add(&d, (struct fddump_rec){ .tgid = 10, .fd = 2 }, "/tmp/abc");
	d.len -= 3;
	ck_assert_int_eq(fddump_index(&d), -1);
	ck_assert_uint_eq(d.nprocs, 0);
	fddump_free(&d);
}
END_TEST

/* The state letter of the run dump is /proc's for the plain states, and
 * none (read status instead) for anything else. */
START_TEST(rundump_state_letters)
{
	ck_assert_int_eq(rundump_state(0, 0), 'R');
	ck_assert_int_eq(rundump_state(1, 0), 'S');
	ck_assert_int_eq(rundump_state(2, 0), 'D');
	ck_assert_int_eq(rundump_state(4, 0), 'T');
	ck_assert_int_eq(rundump_state(8, 0), 't');
	ck_assert_int_eq(rundump_state(0x80, 0x20), 'Z'); /* TASK_DEAD, EXIT_ZOMBIE */
	ck_assert_int_eq(rundump_state(0x80, 0x10), 'X');
	ck_assert_int_eq(rundump_state(0x402, 0), 'I'); /* TASK_IDLE */
	ck_assert_int_eq(rundump_state(0x40, 0), 0);   /* TASK_PARKED */
	ck_assert_int_eq(rundump_state(0x2001, 0), 0); /* S | TASK_FREEZABLE */
	ck_assert_int_eq(rundump_state(1, 0x30), 0);
}
END_TEST

START_TEST(rundump_parse_records)
{
	struct rundump_rec r[4] = {
		{ .tgid = 30, .ppid = 1, .runtime = 300, .pcount = 3, .start = 33, .sigpnd = 1,
		  .shdpnd = 2, .sigblk = 4, .sigign = 8, .sigcgt = 16, .state = 1, .nr_threads = 1,
		  .sig_ok = 1 },
		{ .tgid = 10, .ppid = 0, .runtime = 100, .state = 0, .on_cpu = 1, .nr_threads = 4 },
		{ .tgid = 20, .ppid = 10, .state = 0x440, .nr_threads = 1, .kthread = 1 },
		{ .tgid = 99 }, /* ourselves */
	};
	struct rundump_proc p[4];

	ck_assert_int_eq(rundump_parse(r, sizeof(r), 99, p), 3);
	ck_assert_int_eq(p[0].pid, 10);
	ck_assert(p[0].on_cpu && p[0].state == 'R' && p[0].nlwp == 4 && !p[0].sig_ok);
	ck_assert_int_eq(p[1].pid, 20);
	ck_assert_int_eq(p[1].ppid, 10);
	ck_assert_int_eq(p[1].state, 0);
	ck_assert(p[1].kthread && !p[0].kthread);
	ck_assert_int_eq(p[2].pid, 30);
	ck_assert(p[2].state == 'S' && !p[2].on_cpu && p[2].sig_ok);
	ck_assert_uint_eq(p[2].runtime, 300);
	ck_assert_uint_eq(p[2].pcount, 3);
	ck_assert_uint_eq(p[2].start, 33);
	ck_assert_uint_eq(p[2].sig_pending, 1);
	ck_assert_uint_eq(p[2].sig_shared, 2);
	ck_assert_uint_eq(p[2].sig_blocked, 4);
	ck_assert_uint_eq(p[2].sig_ignored, 8);
	ck_assert_uint_eq(p[2].sig_caught, 16);

	/* not whole records; one pid twice */
	ck_assert_int_eq(rundump_parse(r, sizeof(r) - 1, 99, p), -1);
	r[1].tgid = 30;
	ck_assert_int_eq(rundump_parse(r, sizeof(r), 99, p), -1);
	ck_assert_int_eq(rundump_parse(r, 0, 99, p), 0);
}
END_TEST

static Suite *core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *t = tcase_create("core");

	tcase_add_test(t, json_escapes_quotes_controls_and_invalid_utf8);
	tcase_add_test(t, json_escape_runs);
	tcase_add_test(t, json_integers_as_printf);
	tcase_add_test(t, json_peers_near_and_far);
	tcase_add_test(t, text_escape_leaves_no_control_byte);
	tcase_add_test(t, kinds_parse);
	tcase_add_test(t, options_good_and_bad);
	tcase_add_test(t, maps_lines);
	tcase_add_test(t, fdinfo_fields);
	tcase_add_test(t, snapshot_store);
	tcase_add_test(t, snapshot_sort_order);
	tcase_add_test(t, snapshot_ids_as_printf);
	tcase_add_test(t, history_marks_new_and_rates);
	tcase_add_test(t, json_document_shape);
	tcase_add_test(t, fddump_takes_a_process);
	tcase_add_test(t, fddump_takes_namespaces);
	tcase_add_test(t, fddump_incomplete_processes);
	tcase_add_test(t, fddump_malformed_buffers);
	tcase_add_test(t, rundump_state_letters);
	tcase_add_test(t, rundump_parse_records);
	suite_add_tcase(s, t);
	return s;
}

CHECK_MAIN(core_suite)
