/* Unit tests of the view model: replay of NDJSON recordings (good and bad
 * files, round trip through output_json), the events log and the series. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "events.h"
#include "model.h"
#include "options.h"
#include "output.h"
#include "replay.h"
#include "series.h"
#include "signals.h"
#include "strbuf.h"

/* A minimal valid document around OBJS and PROCS. */
#define DOC(objs, procs)                                                                   \
	"{\"schema\":1,\"program\":\"ipctop\",\"version\":\"x\",\"time\":100.250,"          \
	"\"host\":\"h\",\"root\":true,\"hidden\":{\"processes\":2},\"unavailable\":[\"tcp\"]," \
	"\"objects\":[" objs "],\"processes\":[" procs "]}"

static char tmp_path[64];

/* Writes text to a new temporary file; its path is tmp_path. */
static const char *tmp_file(const char *text)
{
	int fd;

	strcpy(tmp_path, "/tmp/check_view.XXXXXX");
	fd = mkstemp(tmp_path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return tmp_path;
}

static struct snapshot *parse(const char *doc, char *err)
{
	return replay_parse_doc(doc, strlen(doc), err, 256);
}

static char *json_of(const struct snapshot *s)
{
	struct strbuf sb;
	char *r;

	sb_init(&sb);
	output_json(&sb, s);
	r = strdup(sb_str(&sb));
	sb_free(&sb);
	return r;
}

START_TEST(replay_good_file)
{
	char err[256];
	struct replay *r;
	struct snapshot *s;
	struct ipc_object *o;
	struct ipc_process *p;

	tmp_file(DOC("{\"id\":\"sysv_msg:3\",\"kind\":\"sysv_msg\",\"key\":-5,\"ipcid\":3,"
		     "\"queue\":{\"bytes\":16384,\"messages\":4,\"capacity\":16384},"
		     "\"flags\":[\"full\",\"some_future_flag\"],"
		     "\"rate\":{\"messages_per_s\":2.500,\"estimate\":false},"
		     "\"endpoints\":[{\"pid\":7,\"comm\":\"c\",\"via\":\"lastop\",\"role\":\"last_sender\"},"
		     "{\"pid\":8,\"via\":\"fd\",\"fd\":4,\"mode\":\"rw\",\"role\":\"holder\"}]}",
		     "{\"pid\":7,\"ppid\":1,\"comm\":\"c\",\"state\":\"S\",\"ns\":{\"ipc\":4026531839},"
		     "\"blocked\":{\"syscall\":\"msgsnd\",\"object\":\"sysv_msg:3\"},"
		     "\"signals\":{\"pending\":[\"SIGUSR1\",\"SIGRTMIN+3\"],\"shared_pending\":[],"
		     "\"blocked\":[\"SIG32\"],\"ignored\":[],\"caught\":[\"SIGRTMAX\"]},\"hidden\":true}")
		 "\n\n   \n" DOC("", "") "\n");
	r = replay_open(tmp_path, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	s = replay_next(r, err, sizeof(err));
	ck_assert_ptr_nonnull(s);
	ck_assert(s->time == 100.25 && s->root && s->hidden_processes == 2);
	ck_assert_str_eq(s->host, "h");
	ck_assert_uint_eq(s->kinds_unavailable, KIND_BIT(KIND_TCP));
	o = snapshot_find(s, "sysv_msg:3");
	ck_assert_ptr_nonnull(o);
	ck_assert(o->kind == KIND_SYSV_MSG && o->key == -5 && o->queue.messages == 4);
	ck_assert_uint_eq(o->flags, FLAG_FULL); /* an unknown flag is a hint, ignored */
	ck_assert(o->rate.valid && o->rate.has_messages && !o->rate.has_bytes);
	ck_assert(o->rate.messages_per_s == 2.5);
	ck_assert_int_eq((int)o->neps, 2);
	ck_assert(o->eps[0].via == VIA_LASTOP && o->eps[0].role == ROLE_LAST_SENDER);
	ck_assert(o->eps[1].fd == 4 && o->eps[1].mode == MODE_RW && o->eps[1].role == ROLE_HOLDER);
	p = snapshot_process(s, 7);
	ck_assert(p && p->ppid == 1 && p->state == 'S' && p->ns_ipc == 4026531839LL);
	ck_assert(!HAS(p->ns_net) && p->fds_hidden && p->has_signals);
	ck_assert_str_eq(p->blocked_object, "sysv_msg:3");
	ck_assert(p->sig_pending == (SIGNAL_BIT(10) | SIGNAL_BIT(37)));
	ck_assert(p->sig_blocked == SIGNAL_BIT(32) && p->sig_caught == SIGNAL_BIT(64));
	snapshot_free(s);
	s = replay_next(r, err, sizeof(err)); /* after blank lines */
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq((int)s->nobjs, 0);
	snapshot_free(s);
	ck_assert_ptr_null(replay_next(r, err, sizeof(err)));
	ck_assert_str_eq(err, "");
	ck_assert_ptr_null(replay_next(r, err, sizeof(err)));
	replay_close(r);
	unlink(tmp_path);
}
END_TEST

START_TEST(replay_truncated_and_garbage)
{
	char err[256], want[128];
	struct replay *r;
	struct snapshot *s;

	/* the second line ends in the middle of the document */
	tmp_file(DOC("", "") "\n" "{\"schema\":1,\"objects\":[{\"id\":\"pi");
	r = replay_open(tmp_path, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	s = replay_next(r, err, sizeof(err));
	ck_assert_ptr_nonnull(s);
	snapshot_free(s);
	ck_assert_ptr_null(replay_next(r, err, sizeof(err)));
	ck_assert_str_eq(err, "line 2: unexpected end of input");
	replay_close(r);
	unlink(tmp_path);

	/* not JSON at all: replay_open names the file and the line */
	tmp_file("hello world\n");
	ck_assert_ptr_null(replay_open(tmp_path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: line 1: ", tmp_path);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
	unlink(tmp_path);

	/* binary junk, with a NUL byte and invalid UTF-8 */
	tmp_file("\n" DOC("", "") "\n{\"schema\":1,\"host\":\"\xff\"}\n");
	r = replay_open(tmp_path, err, sizeof(err));
	ck_assert_ptr_nonnull(r);
	snapshot_free(replay_next(r, err, sizeof(err)));
	ck_assert_ptr_null(replay_next(r, err, sizeof(err)));
	ck_assert_msg(strncmp(err, "line 3: ", 8) == 0, "%s", err);
	replay_close(r);
	unlink(tmp_path);

	/* empty, blank only, missing */
	tmp_file("");
	ck_assert_ptr_null(replay_open(tmp_path, err, sizeof(err)));
	snprintf(want, sizeof(want), "no snapshots in %s", tmp_path);
	ck_assert_str_eq(err, want);
	unlink(tmp_path);
	tmp_file("\n \n");
	ck_assert_ptr_null(replay_open(tmp_path, err, sizeof(err)));
	snprintf(want, sizeof(want), "no snapshots in %s", tmp_path);
	ck_assert_str_eq(err, want);
	unlink(tmp_path);
	ck_assert_ptr_null(replay_open("/nonexistent/rec.ndjson", err, sizeof(err)));
	ck_assert_str_eq(err, "cannot open /nonexistent/rec.ndjson: No such file or directory");
	ck_assert_ptr_null(replay_open("/tmp", err, sizeof(err)));
	ck_assert_str_eq(err, "cannot read /tmp: Is a directory");
}
END_TEST

/* Each bad document gives NULL and this message. */
static void bad(const char *doc, const char *msg)
{
	char err[256];
	struct snapshot *s = parse(doc, err);

	ck_assert_msg(s == NULL, "accepted: %s", doc);
	ck_assert_str_eq(err, msg);
}

START_TEST(replay_wrong_documents)
{
	const char *schema = "not an ipctop schema 1 document";

	bad("{\"schema\":2,\"time\":1}", schema);
	bad("{\"time\":1}", schema);
	bad("{\"schema\":\"1\",\"time\":1}", schema);
	bad("{\"schema\":1,\"program\":\"other\",\"time\":1}", schema);
	bad("[1,2]", schema);
	bad("null", schema);
	bad("42", schema);
	bad("{\"schema\":1}", "\"time\" is required");
	bad("{\"schema\":1,\"time\":1} x", "unexpected character at column 23");
	bad("{\"schema\":1,\"time\":1,}", "unexpected character at column 22");
	bad("{\"schema\":1,\"time\":1,\"objects\":{}}", "\"objects\": expected an array");
	bad(DOC("{\"id\":\"x:1\",\"kind\":\"bogus\"}", ""), "objects[0]: unknown kind 'bogus'");
	bad(DOC("{\"id\":\"x:1\",\"kind\":\"posix-mq\"}", ""),
	    "objects[0]: unknown kind 'posix-mq'");
	bad(DOC("{\"id\":\"x:1\",\"kind\":\"a\\u001b[2Jb\"}", ""),
	    "objects[0]: unknown kind 'a\\e[2Jb'"); /* no raw escape reaches a terminal */
	bad(DOC("{\"kind\":\"pipe\"}", ""), "objects[0]: \"id\" and \"kind\" are required");
	bad(DOC("{\"id\":\"pipe:1\",\"kind\":\"pipe\"},{\"id\":\"pipe:1\",\"kind\":\"pipe\"}", ""),
	    "objects[1] (pipe:1): duplicate object id");
	bad(DOC("{\"id\":\"pipe:1\",\"kind\":\"pipe\",\"endpoints\":[{\"pid\":1,\"via\":\"telepathy\"}]}",
		""),
	    "objects[0] (pipe:1): unknown endpoint via 'telepathy'");
	bad(DOC("{\"id\":\"pipe:1\",\"kind\":\"pipe\",\"endpoints\":[{\"pid\":1,\"via\":\"fd\",\"fd\":3,"
		"\"role\":\"boss\"}]}",
		""),
	    "objects[0] (pipe:1): unknown endpoint role 'boss'");
	bad(DOC("{\"id\":\"pipe:1\",\"kind\":\"pipe\",\"endpoints\":[{\"pid\":1,\"via\":\"fd\",\"fd\":3,"
		"\"mode\":\"x\"}]}",
		""),
	    "objects[0] (pipe:1): unknown endpoint mode 'x'");
	bad(DOC("{\"id\":\"pipe:1\",\"kind\":\"pipe\",\"endpoints\":[{\"pid\":1,\"via\":\"fd\"}]}", ""),
	    "objects[0] (pipe:1): endpoint via fd without \"fd\"");
	bad(DOC("{\"id\":\"pipe:1\",\"kind\":\"pipe\",\"dev\":\"0-12\"}", ""),
	    "objects[0] (pipe:1): \"dev\": expected \"major:minor\"");
	bad(DOC("", "{\"pid\":5,\"signals\":{\"pending\":[\"SIGFOO\"]}}"),
	    "processes[0] (pid 5): \"pending\": unknown signal 'SIGFOO'");
	bad(DOC("", "{\"pid\":5},{\"pid\":5}"), "processes[1] (pid 5): duplicate pid");
	bad(DOC("", "{\"comm\":\"x\"}"), "processes[0]: \"pid\" is required");
	bad(DOC("", "{\"pid\":5,\"state\":\"Sleeping\"}"),
	    "processes[0] (pid 5): \"state\": expected one letter");
	bad(DOC("", "{\"pid\":5,\"comm\":7}"), "processes[0] (pid 5): \"comm\": expected a string");
}
END_TEST

START_TEST(replay_huge_numbers)
{
	char err[256];
	struct snapshot *s;

	bad(DOC("{\"id\":\"sysv_shm:1\",\"kind\":\"sysv_shm\",\"size\":99999999999999999999}", ""),
	    "objects[0] (sysv_shm:1): \"size\": number out of range");
	bad(DOC("{\"id\":\"sysv_shm:1\",\"kind\":\"sysv_shm\",\"size\":9223372036854775808}", ""),
	    "objects[0] (sysv_shm:1): \"size\": number out of range");
	bad(DOC("{\"id\":\"sysv_shm:1\",\"kind\":\"sysv_shm\",\"key\":-9223372036854775808}", ""),
	    "objects[0] (sysv_shm:1): \"key\": number out of range");
	bad(DOC("{\"id\":\"pipe:1\",\"kind\":\"pipe\",\"inode\":-1}", ""),
	    "objects[0] (pipe:1): \"inode\": number out of range");
	bad(DOC("{\"id\":\"pipe:1\",\"kind\":\"pipe\",\"inode\":1.5}", ""),
	    "objects[0] (pipe:1): \"inode\": expected an integer");
	bad(DOC("", "{\"pid\":4294967296}"), "processes[0]: \"pid\": number out of range");
	bad("{\"schema\":1,\"time\":1e400}", "\"time\": number out of range");
	bad(DOC("{\"id\":\"pipe:1\",\"kind\":\"pipe\",\"rate\":{\"bytes_per_s\":-1e999}}", ""),
	    "objects[0] (pipe:1): \"bytes_per_s\": number out of range");
	/* the largest int64 is a number like any other */
	s = parse(DOC("{\"id\":\"sysv_shm:1\",\"kind\":\"sysv_shm\",\"size\":9223372036854775807}", ""),
		  err);
	ck_assert_msg(s != NULL, "%s", err);
	ck_assert(snapshot_find(s, "sysv_shm:1")->size == INT64_MAX);
	snapshot_free(s);
}
END_TEST

START_TEST(replay_decodes_invalid_utf8_escapes)
{
	char err[256], *j;
	struct snapshot *s;
	struct ipc_process *p;

	/* comm "a\xffb" (an invalid byte), cmdline holds the text "\x41" and
	 * "\xc3\xa9" (would be valid UTF-8: é): those stay text */
	s = parse(DOC("{\"id\":\"posix_mq:/q\\\\xfe\",\"kind\":\"posix_mq\",\"name\":\"/q\\\\xfe\"}",
		      "{\"pid\":9,\"comm\":\"a\\\\xffb\",\"cmdline\":\"x \\\\x41 \\\\xc3\\\\xa9 \\\\\\\\xff\","
		      "\"user\":\"\xc3\xa9\\n\"}"),
		  err);
	ck_assert_msg(s != NULL, "%s", err);
	p = snapshot_process(s, 9);
	ck_assert_str_eq(p->comm, "a\xff" "b");
	ck_assert_str_eq(p->cmdline, "x \\x41 \\xc3\\xa9 \\\\xff");
	ck_assert_str_eq(p->user, "\xc3\xa9\n");
	ck_assert_ptr_nonnull(snapshot_find(s, "posix_mq:/q\xfe"));
	ck_assert_str_eq(snapshot_find(s, "posix_mq:/q\xfe")->name, "/q\xfe");
	j = json_of(s);
	ck_assert_ptr_nonnull(strstr(j, "\"comm\":\"a\\\\xffb\""));
	ck_assert_ptr_nonnull(strstr(j, "\"cmdline\":\"x \\\\x41 \\\\xc3\\\\xa9 \\\\\\\\xff\""));
	ck_assert_ptr_nonnull(strstr(j, "\"id\":\"posix_mq:/q\\\\xfe\""));
	free(j);
	snapshot_free(s);

	char *u = replay_unescape("\\xff\\x80\\xAB\\x7f\\x");
	ck_assert_str_eq(u, "\xff\x80\\xAB\\x7f\\x"); /* lower case >= 0x80 only */
	free(u);
}
END_TEST

/* A snapshot with every field output_json writes. */
static struct snapshot *full_snapshot(void)
{
	struct snapshot *s = snapshot_new();
	struct ipc_object *o;
	struct ipc_process *p;

	s->time = 1763700000.125;
	s->host = strdup("host\x01\xff");
	s->root = true;
	s->hidden_processes = 3;
	s->kinds_unavailable = KIND_BIT(KIND_UDP) | KIND_BIT(KIND_EVENTFD);
	o = snapshot_object(s, KIND_PIPE, NULL, "pipe:%d", 10);
	o->inode = 10;
	o->dev_major = 0;
	o->dev_minor = 13;
	o->queue.bytes = 100;
	o->queue.capacity = 65536;
	o->flags = FLAG_NO_READER | FLAG_NEW;
	o->rate.valid = o->rate.has_bytes = o->rate.estimate = true;
	o->rate.bytes_per_s = 1234.567;
	object_add_endpoint(o, 100, VIA_FD, 3, MODE_W, ROLE_WRITER);
	object_add_endpoint(o, 200, VIA_FD, 0, MODE_R, ROLE_READER);
	o = snapshot_object(s, KIND_UNIX, NULL, "unix:%d", 20);
	o->inode = 20;
	o->path = strdup("@abstract\n\"name\"");
	o->socktype = "seqpacket";
	o->state = "LISTEN";
	o->peer_inode = 21;
	o->queue.messages = 2;
	o->backlog = 128;
	object_add_endpoint(o, 100, VIA_FD, 5, MODE_RW, ROLE_SERVER);
	o = snapshot_object(s, KIND_UNIX, NULL, "unix:%d", 21);
	o->inode = 21;
	o->peer_inode = 20;
	object_add_endpoint(o, 200, VIA_FD, 6, MODE_RW, ROLE_CLIENT);
	o = snapshot_object(s, KIND_TCP, NULL, "tcp:%d", 30);
	o->local = strdup("[::1]:80");
	o->remote = strdup("*");
	o->state = "SOME-FUTURE-STATE";
	o->queue.tx_bytes = 7;
	o = snapshot_object(s, KIND_POSIX_MQ, NULL, "posix_mq:%s", "/jobs");
	o->name = strdup("/jobs");
	o->path = strdup("/dev/mqueue/jobs");
	o->mq_max_messages = 10;
	o->mq_max_msgsize = 8192;
	o->mq_notify_pid = 300;
	o->rate.valid = o->rate.has_bytes = o->rate.has_messages = true;
	o->rate.bytes_per_s = 0;
	o->rate.messages_per_s = 0.5;
	o = snapshot_object(s, KIND_SYSV_SEM, NULL, "sysv_sem:%d", 5);
	o->key = -1;
	o->ipcid = 5;
	o->uid = 1000;
	o->mode = 0600;
	o->cpid = o->lpid = 300;
	o->nsems = 2;
	o->sems = calloc(2, sizeof(*o->sems));
	o->sems[0] = (struct ipc_sem){ 1, 0, 2, 300 };
	o->sems[1] = (struct ipc_sem){ -3, NONE, NONE, NONE };
	o->flags = FLAG_WAITERS | FLAG_ORPHAN;
	object_add_endpoint(o, 300, VIA_CREATOR, -1, MODE_NONE, ROLE_CREATOR);
	object_add_endpoint(o, 300, VIA_LASTOP, -1, MODE_NONE, ROLE_LAST_SENDER);
	object_add_endpoint(o, 400, VIA_WAITER, -1, MODE_NONE, ROLE_WAITER);
	o = snapshot_object(s, KIND_SYSV_SEM, NULL, "sysv_sem:%d", 6);
	o->sems = calloc(1, sizeof(*o->sems)); /* "sems": [] */
	o = snapshot_object(s, KIND_SYSV_SHM, NULL, "sysv_shm:%d", 7);
	o->size = 4096;
	o->nattch = 1;
	o->lspid = 1;
	o->lrpid = 2;
	o->flags = FLAG_DEST | FLAG_DELETED | FLAG_STUCK | FLAG_FULL | FLAG_NO_WRITER;
	object_add_endpoint(o, 300, VIA_MAP, -1, MODE_RW, ROLE_ATTACHER);
	o = snapshot_object(s, KIND_EVENTFD, NULL, "eventfd:%d", 8);
	o->eventfd_id = 8;
	o->count = 0;
	o = snapshot_object(s, KIND_POSIX_SEM, NULL, "posix_sem:%s", "/s");
	o->value = 1;
	object_add_endpoint(o, 999, VIA_MAP, -1, MODE_NONE, ROLE_MAPPER);

	p = snapshot_add_process(s, 1);
	p->ppid = 0;
	p->comm = strdup("init");
	p = snapshot_add_process(s, 100);
	p->ppid = 1;
	p->comm = strdup("pipe-\x1b[31mwriter\xc3");
	p->cmdline = strdup("./w --name=\"x y\" \\xff \t");
	p->user = strdup("root");
	p->state = 'S';
	p->ns_ipc = 4026531839LL;
	p->ns_net = 4026531840LL;
	p->ns_mnt = 4026531841LL;
	p->has_signals = true;
	p->sig_pending = SIGNAL_BIT(10) | SIGNAL_BIT(33) | SIGNAL_BIT(50);
	p->sig_shared_pending = SIGNAL_BIT(10);
	p->sig_blocked = ~0ULL;
	p->sig_caught = SIGNAL_BIT(34) | SIGNAL_BIT(64);
	p->blocked_syscall = strdup("msgrcv");
	p->blocked_object = strdup("sysv_sem:5");
	p = snapshot_add_process(s, 200);
	p->state = 'D';
	p->fds_hidden = true;
	p->blocked_syscall = strdup("accept4");
	p->blocked_object = strdup("unix:99"); /* not in the document: left out */
	return s;
}

START_TEST(replay_round_trip_of_output_json)
{
	struct snapshot *s = full_snapshot(), *r, *r2;
	char err[256], *a, *b, *c;

	a = json_of(s);
	r = replay_parse_doc(a, strlen(a), err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	b = json_of(r);
	ck_assert_str_eq(b, a);
	/* twice, and through a file with replay_open/replay_next */
	r2 = replay_parse_doc(b, strlen(b), err, sizeof(err));
	c = json_of(r2);
	ck_assert_str_eq(c, a);
	ck_assert_str_eq(snapshot_find(r, "unix:20")->socktype, snapshot_find(s, "unix:20")->socktype);
	ck_assert_str_eq(snapshot_find(r, "tcp:30")->state, "SOME-FUTURE-STATE");
	snapshot_free(s);
	snapshot_free(r);
	snapshot_free(r2);
	free(b);
	free(c);
	free(a);
}
END_TEST

/* Runs replay_run_text for argv (ipctop options); returns its status and
 * what it printed in *out (malloc'd). */
static int run_replay(char **argv, char **out)
{
	struct options opt;
	char err[256];
	size_t outlen = 0;
	volatile sig_atomic_t stop = 0;
	int argc = 0, status;
	FILE *f;

	while (argv[argc])
		argc++;
	ck_assert_msg(options_parse(&opt, argc, argv, err, sizeof(err)) == 0, "%s", err);
	*out = NULL;
	f = open_memstream(out, &outlen);
	status = replay_run_text(&opt, f, &stop);
	fclose(f);
	options_free(&opt);
	return status;
}

START_TEST(replay_run_text_prints_json_and_batch)
{
	struct snapshot *s = full_snapshot();
	struct strbuf rec;
	char *out, *one, path[64];

	/* three refreshes, as ipctop --json -n 3 writes them */
	sb_init(&rec);
	for (int i = 0; i < 3; i++) {
		s->time += 2;
		output_json(&rec, s);
	}
	tmp_file(sb_str(&rec));
	strcpy(path, tmp_path);

	ck_assert_int_eq(run_replay((char *[]){ "ipctop", "--replay", path, "--json", NULL }, &out), 0);
	ck_assert_str_eq(out, sb_str(&rec)); /* every line as recorded */
	free(out);

	ck_assert_int_eq(run_replay((char *[]){ "ipctop", "--replay", path, "--json", "-n", "1", NULL },
				    &out),
			 0);
	one = strndup(sb_str(&rec), strcspn(sb_str(&rec), "\n") + 1);
	ck_assert_str_eq(out, one);
	free(one);
	free(out);

	/* -t narrows what is printed, as it does live */
	ck_assert_int_eq(run_replay((char *[]){ "ipctop", "--replay", path, "--json", "-t", "pipe",
						"-n", "1", NULL },
				    &out),
			 0);
	ck_assert_ptr_nonnull(strstr(out, "\"id\":\"pipe:10\""));
	ck_assert_ptr_null(strstr(out, "\"kind\":\"unix\""));
	free(out);

	ck_assert_int_eq(run_replay((char *[]){ "ipctop", "--replay", path, "-b", "-w", "200", NULL },
				    &out),
			 0);
	ck_assert_ptr_nonnull(strstr(out, "pipe-\\e[31mwriter\\xc3")); /* escaped comm */
	ck_assert_ptr_null(strchr(out, '\x1b'));
	free(out);
	unlink(path);

	/* a bad second line: the first snapshot is printed, then status 2 */
	sb_reset(&rec);
	output_json(&rec, s);
	sb_puts(&rec, "{\"schema\":1,\n");
	tmp_file(sb_str(&rec));
	strcpy(path, tmp_path);
	ck_assert_int_eq(run_replay((char *[]){ "ipctop", "--replay", path, "--json", NULL }, &out), 2);
	ck_assert_int_eq((int)strlen(out), (int)strcspn(sb_str(&rec), "\n") + 1);
	free(out);
	unlink(path);
	ck_assert_int_eq(run_replay((char *[]){ "ipctop", "--replay", "/nonexistent", "-b", NULL },
				    &out),
			 2);
	ck_assert_str_eq(out, "");
	free(out);
	sb_free(&rec);
	snapshot_free(s);
}
END_TEST

/* Two processes and a pipe between them, as the events examples read. */
static struct snapshot *ev_snapshot(double time)
{
	struct snapshot *s = snapshot_new();
	struct ipc_process *p;

	s->time = time;
	p = snapshot_add_process(s, 1234);
	p->comm = strdup("pipe-writer");
	p = snapshot_add_process(s, 1240);
	p->comm = strdup("mq-consumer");
	return s;
}

static const char *ev_text(const struct event_log *log, size_t i)
{
	const struct event *e = events_get(log, i);

	return e ? e->text : "(none)";
}

START_TEST(events_created_gone_full_blocked)
{
	struct event_log log = { 0 };
	struct snapshot *a = ev_snapshot(10), *b = ev_snapshot(12), *c = ev_snapshot(14);
	struct ipc_object *o;
	struct ipc_process *p;
	const struct event *e;

	o = snapshot_object(a, KIND_POSIX_MQ, NULL, "posix_mq:/jobs");
	o = snapshot_object(a, KIND_SYSV_MSG, NULL, "sysv_msg:3");
	o->queue.bytes = 100;
	o->queue.capacity = 16384;
	events_diff(&log, NULL, a);
	ck_assert_int_eq((int)events_count(&log), 0); /* the first snapshot is no change */

	o = snapshot_object(b, KIND_PIPE, NULL, "pipe:1234");
	object_add_endpoint(o, 1234, VIA_FD, 4, MODE_W, ROLE_WRITER);
	object_add_endpoint(o, 1240, VIA_FD, 3, MODE_R, ROLE_READER);
	object_add_endpoint(o, 1240, VIA_FD, 5, MODE_R, ROLE_READER);
	o = snapshot_object(b, KIND_SYSV_MSG, NULL, "sysv_msg:3");
	o->queue.bytes = o->queue.capacity = 16384;
	o->flags = FLAG_FULL;
	o = snapshot_object(b, KIND_UNIX, NULL, "unix:7");
	object_add_endpoint(o, 1240, VIA_FD, 9, MODE_RW, ROLE_SERVER);
	object_add_endpoint(o, 1234, VIA_FD, 9, MODE_RW, ROLE_CLIENT);
	o = snapshot_object(b, KIND_POSIX_SHM, NULL, "posix_shm:/evil\x1b[2J\n");
	p = snapshot_process(b, 1240);
	p->blocked_syscall = strdup("mq_timedreceive");
	p->blocked_object = strdup("posix_mq:/jobs");
	events_diff(&log, a, b);
	ck_assert_int_eq((int)events_count(&log), 6);
	ck_assert_str_eq(ev_text(&log, 0), "created pipe:1234 (1234 pipe-writer -> 1240 mq-consumer)");
	ck_assert_str_eq(ev_text(&log, 1), "full sysv_msg:3 (16384/16384 bytes)");
	ck_assert_str_eq(ev_text(&log, 2), "created unix:7 (1240 mq-consumer, 1234 pipe-writer)");
	ck_assert_str_eq(ev_text(&log, 3), "created posix_shm:/evil\\e[2J\\n");
	ck_assert_str_eq(ev_text(&log, 4), "gone posix_mq:/jobs");
	ck_assert_str_eq(ev_text(&log, 5),
			 "1240 mq-consumer blocked in mq_timedreceive on posix_mq:/jobs");
	e = events_get(&log, 0);
	ck_assert(e->type == EV_CREATED && e->kind == KIND_PIPE && e->pid == 1234 && e->time == 12);
	ck_assert_str_eq(e->object_id, "pipe:1234");
	e = events_get(&log, 4);
	ck_assert(e->type == EV_GONE && e->kind == KIND_POSIX_MQ && e->pid == 0);
	e = events_get(&log, 5);
	ck_assert(e->type == EV_BLOCKED && e->kind == KIND_POSIX_MQ && e->pid == 1240);
	ck_assert_ptr_null(events_get(&log, 6));

	/* drained, unblocked, and the comm of an unknown process is its pid */
	o = snapshot_object(c, KIND_SYSV_MSG, NULL, "sysv_msg:3");
	o->queue.bytes = 0;
	o->queue.capacity = 16384;
	o = snapshot_object(c, KIND_POSIX_MQ, NULL, "posix_mq:/q");
	o->queue.messages = o->queue.capacity = 10;
	o->flags = FLAG_FULL;
	object_add_endpoint(o, 77, VIA_FD, 3, MODE_W, ROLE_WRITER);
	snapshot_object(c, KIND_PIPE, NULL, "pipe:1234");
	snapshot_object(c, KIND_UNIX, NULL, "unix:7");
	snapshot_object(c, KIND_POSIX_SHM, NULL, "posix_shm:/evil\x1b[2J\n");
	events_diff(&log, b, c);
	ck_assert_int_eq((int)events_count(&log), 10);
	ck_assert_str_eq(ev_text(&log, 6), "drained sysv_msg:3 (0/16384 bytes)");
	ck_assert_str_eq(ev_text(&log, 7), "created posix_mq:/q (77)");
	ck_assert_str_eq(ev_text(&log, 8), "full posix_mq:/q (10/10 messages)");
	ck_assert_str_eq(ev_text(&log, 9), "1240 mq-consumer unblocked from posix_mq:/jobs");
	ck_assert(events_get(&log, 9)->type == EV_UNBLOCKED);
	for (size_t i = 0; i < events_count(&log); i++)
		for (const char *t = ev_text(&log, i); *t; t++)
			ck_assert((unsigned char)*t >= 0x20 && *t != 0x7f);
	events_free(&log);
	ck_assert_int_eq((int)events_count(&log), 0);
	snapshot_free(a);
	snapshot_free(b);
	snapshot_free(c);
}
END_TEST

START_TEST(events_ring_keeps_the_last_500)
{
	struct event_log log = { 0 };
	struct snapshot *prev = snapshot_new(), *cur;

	/* 11 snapshots of 60 new objects each: 60 created, then 60 created
	 * and 60 gone a step, 1260 events in all */
	for (int i = 1; i <= 11; i++) {
		cur = snapshot_new();
		cur->time = i;
		for (int j = 0; j < 60; j++)
			snapshot_object(cur, KIND_PIPE, NULL, "pipe:%d", i * 100 + j);
		events_diff(&log, prev, cur);
		snapshot_free(prev);
		prev = cur;
	}
	ck_assert_int_eq((int)events_count(&log), EVENT_LOG_MAX);
	ck_assert_str_eq(events_get(&log, EVENT_LOG_MAX - 1)->text, "gone pipe:1059");
	ck_assert_str_eq(events_get(&log, EVENT_LOG_MAX - 120)->text, "created pipe:1100");
	ck_assert_str_eq(events_get(&log, 0)->text, "gone pipe:640");
	snapshot_free(prev);
	events_free(&log);
}
END_TEST

static struct snapshot *series_snapshot(double t, int64_t bytes)
{
	struct snapshot *s = snapshot_new();
	struct ipc_object *o;

	s->time = t;
	o = snapshot_object(s, KIND_PIPE, NULL, "pipe:1");
	o->queue.bytes = bytes;
	o->rate.valid = o->rate.has_bytes = true;
	o->rate.bytes_per_s = (double)bytes * 2;
	o = snapshot_object(s, KIND_SYSV_MSG, NULL, "sysv_msg:%d", (int)t);
	o->queue.messages = 1;
	o->rate.valid = o->rate.has_messages = true;
	o->rate.messages_per_s = 0.5;
	return s;
}

START_TEST(series_ring_and_dropping)
{
	struct series_store *st = series_new();
	const struct series *se;

	for (int i = 0; i < 70; i++) {
		struct snapshot *s = series_snapshot(i, i);
		series_add(st, s);
		snapshot_free(s);
		/* a new sysv_msg id each time: only the last 61 may be kept */
		ck_assert_uint_le(series_count(st), SERIES_LEN + 2);
	}
	se = series_get(st, "pipe:1");
	ck_assert_ptr_nonnull(se);
	ck_assert_int_eq((int)se->n, SERIES_LEN);
	ck_assert(se->t[0] == 10 && se->bytes[0] == 10 && se->rate[0] == 20);
	ck_assert(se->t[SERIES_LEN - 1] == 69 && se->bytes[SERIES_LEN - 1] == 69);
	ck_assert(isnan(se->messages[0])); /* unknown */
	se = series_get(st, "sysv_msg:65");
	ck_assert(se && se->n == 5 && se->messages[0] == 1 && se->rate[0] == 0.5);
	ck_assert(isnan(se->messages[1]) && isnan(se->rate[4]) && se->t[4] == 69);
	/* absent for 60 samples: kept (all NAN); for 61: dropped */
	ck_assert_ptr_nonnull(series_get(st, "sysv_msg:9"));
	ck_assert_ptr_null(series_get(st, "sysv_msg:8"));
	ck_assert_ptr_null(series_get(st, "pipe:2"));
	ck_assert_int_eq((int)series_count(st), 1 + 61);
	series_free(st);
}
END_TEST

static char *spark(const double *v, size_t n, size_t width, bool ascii)
{
	struct strbuf sb;
	char *r;

	sb_init(&sb);
	series_sparkline(&sb, v, n, width, ascii);
	r = strdup(sb_str(&sb));
	sb_free(&sb);
	return r;
}

#define CK_SPARK(v, n, width, ascii, want)                    \
	do {                                                  \
		char *r_ = spark(v, n, width, ascii);         \
		ck_assert_str_eq(r_, want);                   \
		free(r_);                                     \
	} while (0)

START_TEST(series_sparklines)
{
	const double ramp[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	const double gaps[] = { NAN, 10, 0, NAN, 5, 0.001, INFINITY };
	const double zero[] = { 0, 0, 0 };

	CK_SPARK(ramp, 8, 8, false, "▁▂▃▄▅▆▇█");
	CK_SPARK(ramp, 8, 8, true, " .:-=+*#");
	/* the last width values, scaled to the largest of those shown */
	CK_SPARK(ramp, 8, 3, false, "▆▇█");
	CK_SPARK(ramp, 8, 3, true, "+*#");
	/* NAN is blank; any traffic shows above zero */
	CK_SPARK(gaps, 7, 60, false, " █▁ ▅▂ ");
	CK_SPARK(gaps, 7, 60, true, " #  =. ");
	CK_SPARK(zero, 3, 10, false, "▁▁▁");
	CK_SPARK(ramp, 0, 10, false, "");
	CK_SPARK(ramp, 8, 0, true, "");
}
END_TEST

START_TEST(signal_names_parse_back)
{
	char buf[16];

	for (int sig = 1; sig <= SIGNALS_MAX; sig++)
		ck_assert_int_eq(signal_parse_name(signal_name(sig, buf)), sig);
	ck_assert_int_eq(signal_parse_name("SIGRTMIN+3"), 37);
	ck_assert_int_eq(signal_parse_name("SIG33"), 33);
	ck_assert_int_eq(signal_parse_name("SIGRTMIN+16"), -1); /* that is SIGRTMAX-14 */
	ck_assert_int_eq(signal_parse_name("sigusr1"), -1);
	ck_assert_int_eq(signal_parse_name(""), -1);
}
END_TEST

static Suite *view_suite(void)
{
	Suite *s = suite_create("view");
	TCase *t = tcase_create("view");

	tcase_add_test(t, signal_names_parse_back);
	tcase_add_test(t, replay_good_file);
	tcase_add_test(t, replay_truncated_and_garbage);
	tcase_add_test(t, replay_wrong_documents);
	tcase_add_test(t, replay_huge_numbers);
	tcase_add_test(t, replay_decodes_invalid_utf8_escapes);
	tcase_add_test(t, replay_round_trip_of_output_json);
	tcase_add_test(t, replay_run_text_prints_json_and_batch);
	tcase_add_test(t, events_created_gone_full_blocked);
	tcase_add_test(t, events_ring_keeps_the_last_500);
	tcase_add_test(t, series_ring_and_dropping);
	tcase_add_test(t, series_sparklines);
	suite_add_tcase(s, t);
	return s;
}

CHECK_MAIN(view_suite)
