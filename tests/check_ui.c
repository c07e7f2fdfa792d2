/* Unit tests of the screen's formatting without a terminal: table rows
 * (endpoints, queues, folding, escaping, filter, sort) and the graph layout. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "model.h"
#include "strbuf.h"
#include "ui/graph.h"
#include "ui/rows.h"

static void proc(struct snapshot *s, pid_t pid, const char *comm)
{
	struct ipc_process *p = snapshot_add_process(s, pid);
	object_set_str(&p->comm, comm);
	p->ppid = 1;
}

/* writer 10 -> reader 11 over a pipe holding 100 of 65536 bytes; a unix
 * pair between 20 and 21; a message queue with a hostile process name. */
static struct snapshot *fixture(void)
{
	struct snapshot *s = snapshot_new();
	struct ipc_object *o, *a, *b;

	proc(s, 10, "pipe-writer");
	proc(s, 11, "pipe-reader");
	proc(s, 20, "client");
	proc(s, 21, "server");
	proc(s, 30, "evil\x1b[2J\xff");
	o = snapshot_object(s, KIND_PIPE, NULL, "pipe:%d", 100);
	o->inode = 100;
	o->queue.bytes = 100;
	o->queue.capacity = 65536;
	object_add_endpoint(o, 10, VIA_FD, 4, MODE_W, ROLE_WRITER);
	object_add_endpoint(o, 11, VIA_FD, 3, MODE_R, ROLE_READER);
	a = snapshot_object(s, KIND_UNIX, NULL, "unix:%d", 200);
	a->inode = 200;
	a->peer_inode = 201;
	a->queue.bytes = 0;
	object_set_str(&a->path, "/run/app.sock");
	object_add_endpoint(a, 21, VIA_FD, 5, MODE_RW, ROLE_SERVER);
	b = snapshot_object(s, KIND_UNIX, NULL, "unix:%d", 201);
	b->inode = 201;
	b->peer_inode = 200;
	b->queue.bytes = 0;
	object_add_endpoint(b, 20, VIA_FD, 3, MODE_RW, ROLE_CLIENT);
	o = snapshot_object(s, KIND_POSIX_MQ, NULL, "posix_mq:%s", "/jobs");
	object_set_str(&o->name, "/jobs");
	o->queue.messages = 8;
	o->queue.capacity = 8;
	o->flags |= FLAG_FULL;
	object_add_endpoint(o, 30, VIA_FD, 3, MODE_W, ROLE_WRITER);
	object_add_endpoint(o, 11, VIA_FD, 7, MODE_R, ROLE_READER);
	snapshot_sort(s);
	return s;
}

static const struct rows_obj *find_row(const struct rows_obj *r, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].id, id))
			return &r[i];
	return NULL;
}

static void free_rows(struct rows_obj *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rows_obj_free(&r[i]);
	free(r);
}

START_TEST(pipe_row_names_both_ends)
{
	struct snapshot *s = fixture();
	struct rows_obj *r;
	size_t n = rows_obj_build(&r, s, KIND_ALL, NULL, 0, NULL, false);
	const struct rows_obj *p = find_row(r, n, "pipe:100");

	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(rows_obj_cell(p, COL_KIND), "pipe");
	ck_assert_str_eq(rows_obj_cell(p, COL_ENDPOINTS), "10 pipe-writer → 11 pipe-reader");
	ck_assert_str_eq(rows_obj_cell(p, COL_QUEUE), "100B/64K");
	ck_assert(p->fill > 0 && p->fill < 0.01);
	ck_assert_str_eq(rows_obj_cell(p, COL_FLAGS), "-");
	free_rows(r, n);
	snapshot_free(s);
}
END_TEST

START_TEST(socket_pair_folds_into_one_row)
{
	struct snapshot *s = fixture();
	struct rows_obj *r;
	size_t n = rows_obj_build(&r, s, KIND_BIT(KIND_UNIX), NULL, 0, NULL, true);

	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(r[0].id, "unix:200"); /* the named end */
	ck_assert_str_eq(rows_obj_cell(&r[0], COL_OBJECT), "/run/app.sock");
	ck_assert_str_eq(rows_obj_cell(&r[0], COL_ENDPOINTS), "21 server <-> 20 client");
	free_rows(r, n);
	snapshot_free(s);
}
END_TEST

START_TEST(names_are_escaped)
{
	struct snapshot *s = fixture();
	struct rows_obj *r;
	size_t n = rows_obj_build(&r, s, KIND_ALL, NULL, 0, NULL, false);
	const struct rows_obj *q = find_row(r, n, "posix_mq:/jobs");

	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(rows_obj_cell(q, COL_ENDPOINTS), "30 evil\\e[2J\\xff → 11 pipe-reader");
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < COL_COUNT; c++)
			for (const char *p = rows_obj_cell(&r[i], (enum rows_col)c); *p; p++)
				ck_assert((unsigned char)*p >= 0x20 && *p != 0x7f);
	ck_assert_str_eq(rows_obj_cell(q, COL_QUEUE), "8/8msg");
	ck_assert(q->fill == 1.0);
	ck_assert_str_eq(rows_obj_cell(q, COL_FLAGS), "full");
	free_rows(r, n);
	snapshot_free(s);
}
END_TEST

START_TEST(filter_kinds_and_pids)
{
	struct snapshot *s = fixture();
	struct rows_obj *r;
	pid_t only[] = { 20 };
	size_t n;

	n = rows_obj_build(&r, s, KIND_ALL, NULL, 0, "PIPE-WRITER", false);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(r[0].id, "pipe:100");
	free_rows(r, n);
	n = rows_obj_build(&r, s, KIND_ALL, NULL, 0, "nothing-like-this", false);
	ck_assert_uint_eq(n, 0);
	free_rows(r, n);
	n = rows_obj_build(&r, s, KIND_ALL & ~KIND_BIT(KIND_PIPE), NULL, 0, NULL, false);
	ck_assert_uint_eq(n, 2);
	free_rows(r, n);
	n = rows_obj_build(&r, s, KIND_ALL, only, 1, NULL, false);
	ck_assert_uint_eq(n, 1); /* the pair, through its peer */
	ck_assert_str_eq(r[0].id, "unix:200");
	free_rows(r, n);
	snapshot_free(s);
}
END_TEST

START_TEST(sort_by_queue)
{
	struct snapshot *s = fixture();
	struct rows_obj *r;
	size_t n = rows_obj_build(&r, s, KIND_ALL, NULL, 0, NULL, false);

	rows_obj_sort(r, n, COL_QUEUE, true);
	ck_assert_str_eq(r[0].id, "pipe:100");
	rows_obj_sort(r, n, COL_QUEUE, false);
	ck_assert_str_eq(r[n - 1].id, "pipe:100");
	rows_obj_sort(r, n, COL_KIND, false);
	ck_assert_str_eq(r[0].id, "pipe:100");
	/* by a text made on first use: every row's is made for the sort */
	rows_obj_sort(r, n, COL_ENDPOINTS, false);
	for (size_t i = 1; i < n; i++)
		ck_assert(strcmp(rows_obj_cell(&r[i - 1], COL_ENDPOINTS),
				 rows_obj_cell(&r[i], COL_ENDPOINTS)) <= 0);
	rows_obj_sort(r, n, COL_ENDPOINTS, true);
	ck_assert(strcmp(rows_obj_cell(&r[0], COL_ENDPOINTS),
			 rows_obj_cell(&r[n - 1], COL_ENDPOINTS)) > 0);
	free_rows(r, n);
	snapshot_free(s);
}
END_TEST

START_TEST(tombstone_keeps_text)
{
	struct snapshot *s = fixture();
	struct rows_obj *r, t;
	size_t n = rows_obj_build(&r, s, KIND_ALL, NULL, 0, NULL, false);
	const struct rows_obj *p = find_row(r, n, "pipe:100");

	/* the endpoints are not made until asked: the tombstone asks */
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(p->cell[COL_ENDPOINTS]);
	rows_obj_tombstone(&t, p, 123.0);
	free_rows(r, n);
	snapshot_free(s);
	ck_assert_ptr_null(t.obj);
	ck_assert(t.gone == 123.0);
	ck_assert_str_eq(rows_obj_cell(&t, COL_KIND), "pipe");
	ck_assert_str_eq(rows_obj_cell(&t, COL_ENDPOINTS), "10 pipe-writer → 11 pipe-reader");
	rows_obj_free(&t);
}
END_TEST

START_TEST(process_rows)
{
	struct snapshot *s = fixture();
	struct rows_proc *r;
	size_t n = rows_proc_build(&r, s, KIND_ALL, NULL, 0, NULL);
	bool found = false;

	ck_assert_uint_eq(n, 5);
	for (size_t i = 0; i < n; i++) {
		if (r[i].pid == 11) {
			found = true;
			ck_assert_str_eq(r[i].cell[PCOL_IPC], "pipe 1 mq 1");
			ck_assert_str_eq(r[i].cell[PCOL_COMM], "pipe-reader");
		}
		rows_proc_free(&r[i]);
	}
	ck_assert(found);
	free(r);
	snapshot_free(s);
}
END_TEST

START_TEST(fit_cuts_by_columns)
{
	struct strbuf sb;

	sb_init(&sb);
	rows_fit(&sb, "abcdef", 4, true, true);
	ck_assert_str_eq(sb_str(&sb), "abc>");
	sb_reset(&sb);
	rows_fit(&sb, "ab", 4, true, true);
	ck_assert_str_eq(sb_str(&sb), "ab  ");
	sb_reset(&sb);
	rows_fit(&sb, "héllo wörld", 6, false, false);
	ck_assert_str_eq(sb_str(&sb), "héllo…");
	sb_reset(&sb);
	rows_fit_middle(&sb, "/tmp/ipcdemo.1234/stream.sock", 16, true);
	ck_assert_int_eq((int)strlen(sb_str(&sb)), 16);
	ck_assert_str_eq(sb_str(&sb), "/tmp/i~ream.sock");
	sb_reset(&sb);
	rows_bar(&sb, 0.5, 4, true);
	ck_assert_str_eq(sb_str(&sb), "##..");
	sb_reset(&sb);
	rows_bar(&sb, 0.01, 4, true);
	ck_assert_str_eq(sb_str(&sb), "#...");
	sb_free(&sb);
}
END_TEST

static bool graph_has(const struct graph *g, const char *needle)
{
	struct strbuf sb;
	bool found = false;

	sb_init(&sb);
	for (int y = 0; y < g->h && !found; y++) {
		sb_reset(&sb);
		graph_line(g, y, &sb);
		found = strstr(sb_str(&sb), needle) != NULL;
	}
	sb_free(&sb);
	return found;
}

START_TEST(graph_boxes_and_labelled_edges)
{
	struct snapshot *s = fixture();
	struct rows_obj *r;
	size_t n = rows_obj_build(&r, s, KIND_ALL, NULL, 0, NULL, false);
	struct graph *g = graph_layout(s, r, n, 100, false);

	ck_assert_uint_eq(g->nodes, 5);
	ck_assert_uint_eq(g->edges, 3);
	ck_assert(graph_has(g, "│ pipe-writer │"));
	ck_assert(graph_has(g, "│ pipe-reader │"));
	ck_assert(graph_has(g, "pipe"));
	ck_assert(graph_has(g, "▶"));
	ck_assert(graph_has(g, "mq /jobs"));
	ck_assert(graph_has(g, "unix app.sock"));
	ck_assert(graph_has(g, "evil\\e[2J\\xff"));
	for (size_t i = 0; i < (size_t)g->w * (size_t)g->h; i++)
		ck_assert(g->ch[i] >= 0x20);
	graph_free(g);
	/* ASCII: nothing but ASCII, and it fits a narrow screen */
	g = graph_layout(s, r, n, 30, true);
	ck_assert(graph_has(g, "+-"));
	ck_assert(graph_has(g, "| pipe-writer |"));
	for (size_t i = 0; i < (size_t)g->w * (size_t)g->h; i++)
		ck_assert(g->ch[i] < 0x80);
	graph_free(g);
	free_rows(r, n);
	snapshot_free(s);
}
END_TEST

START_TEST(graph_hub_is_a_note)
{
	struct snapshot *s = snapshot_new();
	struct ipc_object *o = snapshot_object(s, KIND_MMAP, NULL, "mmap:0:5:%d", 9);
	struct rows_obj *r;

	object_set_str(&o->path, "/dev/zero");
	for (int p = 1; p <= 6; p++) {
		proc(s, 100 + p, "worker");
		object_add_endpoint(o, 100 + p, VIA_MAP, -1, MODE_RW, ROLE_MAPPER);
	}
	size_t n = rows_obj_build(&r, s, KIND_ALL, NULL, 0, NULL, false);
	struct graph *g = graph_layout(s, r, n, 80, false);
	ck_assert_uint_eq(g->edges, 0);
	ck_assert(graph_has(g, "mmap zero shared by 6 processes"));
	graph_free(g);
	free_rows(r, n);
	snapshot_free(s);
}
END_TEST

START_TEST(graph_empty)
{
	struct snapshot *s = snapshot_new();
	struct graph *g = graph_layout(s, NULL, 0, 60, false);

	ck_assert_uint_eq(g->nodes, 0);
	ck_assert_int_ge(g->h, 1);
	graph_free(g);
	snapshot_free(s);
}
END_TEST

static Suite *ui_suite(void)
{
	Suite *s = suite_create("ui");
	TCase *t = tcase_create("rows");

	tcase_add_test(t, pipe_row_names_both_ends);
	tcase_add_test(t, socket_pair_folds_into_one_row);
	tcase_add_test(t, names_are_escaped);
	tcase_add_test(t, filter_kinds_and_pids);
	tcase_add_test(t, sort_by_queue);
	tcase_add_test(t, tombstone_keeps_text);
	tcase_add_test(t, process_rows);
	tcase_add_test(t, fit_cuts_by_columns);
	tcase_add_test(t, graph_boxes_and_labelled_edges);
	tcase_add_test(t, graph_hub_is_a_note);
	tcase_add_test(t, graph_empty);
	suite_add_tcase(s, t);
	return s;
}

CHECK_MAIN(ui_suite)
