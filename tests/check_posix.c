/* Unit tests of the POSIX IPC / shared-mapping parsers and matching helpers. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "check_main.h"
#include "fdtable.h"
#include "model.h"
#include "posix_match.h"
#include "posix_parse.h"

START_TEST(mq_text_normal)
{
	struct posix_mq_text t;

	ck_assert_int_eq(posix_parse_mq_text("QSIZE:129        NOTIFY:2     SIGNO:0     "
					     "NOTIFY_PID:8260  \n", &t), 0);
	ck_assert_int_eq(t.qsize, 129);
	ck_assert_int_eq(t.notify, 2);
	ck_assert_int_eq(t.signo, 0);
	ck_assert_int_eq(t.notify_pid, 8260);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:0          NOTIFY:0     SIGNO:0     "
					     "NOTIFY_PID:0     \n", &t), 0);
	ck_assert_int_eq(t.qsize, 0);
	ck_assert_int_eq(t.notify_pid, 0);
}
END_TEST

START_TEST(mq_text_missing_fields)
{
	struct posix_mq_text t;

	ck_assert_int_eq(posix_parse_mq_text("QSIZE:42\n", &t), 0);
	ck_assert_int_eq(t.qsize, 42);
	ck_assert(!HAS(t.notify) && !HAS(t.signo) && !HAS(t.notify_pid));
	/* fields a newer kernel might add are skipped */
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:7 FUTURE:3 NOTIFY_PID:12", &t), 0);
	ck_assert_int_eq(t.qsize, 7);
	ck_assert_int_eq(t.notify_pid, 12);
	/* no QSIZE: not a queue's text */
	ck_assert_int_eq(posix_parse_mq_text("NOTIFY:0 SIGNO:0 NOTIFY_PID:0", &t), -1);
	ck_assert_int_eq(posix_parse_mq_text("", &t), -1);
	ck_assert_int_eq(posix_parse_mq_text("   \n", &t), -1);
	ck_assert_int_eq(posix_parse_mq_text(NULL, &t), -1);
}
END_TEST

START_TEST(mq_text_garbage)
{
	struct posix_mq_text t;

	ck_assert_int_eq(posix_parse_mq_text("hello world", &t), -1);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:abc NOTIFY:0", &t), -1);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:-5", &t), -1);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:12x", &t), -1);
	ck_assert_int_eq(posix_parse_mq_text(":12 QSIZE:1", &t), -1);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:99999999999999999999999", &t), -1);
	ck_assert_int_eq(posix_parse_mq_text("\x01\xff\xfe", &t), -1);
}
END_TEST

START_TEST(mq_text_truncated)
{
	static const char full[] = "QSIZE:129        NOTIFY:2     SIGNO:0     NOTIFY_PID:8260";
	struct posix_mq_text t;
	char buf[sizeof(full)];

	ck_assert_int_eq(posix_parse_mq_text("QSIZE:", &t), -1);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:129 NOTIF", &t), -1);
	ck_assert_int_eq(posix_parse_mq_text("QSIZE:129 NOTIFY:", &t), -1);
	/* every prefix parses or fails cleanly; a prefix cut inside a number
	 * reads the shorter number, as any text parser must */
	for (size_t n = 0; n < sizeof(full); n++) {
		memcpy(buf, full, n);
		buf[n] = '\0';
		int r = posix_parse_mq_text(buf, &t);
		ck_assert(r == 0 || r == -1);
		if (r == 0)
			ck_assert(HAS(t.qsize));
	}
}
END_TEST

static void put64(unsigned char *b, uint64_t v)
{
	memcpy(b, &v, sizeof(v));
}

START_TEST(sem_decode_64)
{
	unsigned char b[32] = { 0 };
	struct posix_sem_state st;

	put64(b, 3);
	ck_assert_int_eq(posix_sem_decode(b, sizeof(b), POSIX_SEM_LAYOUT_64, &st), 0);
	ck_assert_int_eq(st.value, 3);
	ck_assert_int_eq(st.nwaiters, 0);

	put64(b, (2ULL << 32) | 0);
	ck_assert_int_eq(posix_sem_decode(b, sizeof(b), POSIX_SEM_LAYOUT_64, &st), 0);
	ck_assert_int_eq(st.value, 0);
	ck_assert_int_eq(st.nwaiters, 2);

	put64(b, (1ULL << 32) | 0x7fffffff);
	ck_assert_int_eq(posix_sem_decode(b, sizeof(b), POSIX_SEM_LAYOUT_64, &st), 0);
	ck_assert_int_eq(st.value, 0x7fffffff);
	ck_assert_int_eq(st.nwaiters, 1);

	/* above SEM_VALUE_MAX: not a semaphore */
	put64(b, 0x80000000u);
	ck_assert_int_eq(posix_sem_decode(b, sizeof(b), POSIX_SEM_LAYOUT_64, &st), -1);
	ck_assert(!HAS(st.value));
	/* too short */
	put64(b, 1);
	ck_assert_int_eq(posix_sem_decode(b, 7, POSIX_SEM_LAYOUT_64, &st), -1);
	ck_assert_int_eq(posix_sem_decode(b, 0, POSIX_SEM_LAYOUT_64, &st), -1);
	ck_assert_int_eq(posix_sem_decode(b, 8, POSIX_SEM_LAYOUT_64, &st), 0);
}
END_TEST

START_TEST(sem_decode_32)
{
	uint32_t w[4] = { (5u << 1) | 1u, 128, 0, 4 };
	struct posix_sem_state st;

	ck_assert_int_eq(posix_sem_decode(w, sizeof(w), POSIX_SEM_LAYOUT_32, &st), 0);
	ck_assert_int_eq(st.value, 5);
	ck_assert_int_eq(st.nwaiters, 4);
	ck_assert_int_eq(posix_sem_decode(w, 12, POSIX_SEM_LAYOUT_32, &st), -1);
}
END_TEST

START_TEST(sem_decode_host_file_size)
{
	/* the bytes read from sem.NAME cover the host's decoder */
	unsigned char b[POSIX_SEM_FILE_SIZE] = { 0 };
	struct posix_sem_state st;

	ck_assert_int_eq(posix_sem_decode(b, sizeof(b), POSIX_SEM_LAYOUT_HOST, &st), 0);
	ck_assert_int_eq(st.value, 0);
}
END_TEST

START_TEST(shm_names)
{
	const char *n = NULL;

	ck_assert(posix_is_sem_entry("sem.lock"));
	ck_assert(posix_is_sem_entry("sem.x y"));
	ck_assert(!posix_is_sem_entry("sem."));
	ck_assert(!posix_is_sem_entry("semaphore"));
	ck_assert(!posix_is_sem_entry("my.sem.x"));

	ck_assert(posix_shm_path_name("/dev/shm/sem.x", &n));
	ck_assert_str_eq(n, "sem.x");
	ck_assert(posix_is_sem_entry(n));
	ck_assert(posix_shm_path_name("/dev/shm/sem.DeDAnu", &n));
	ck_assert_str_eq(n, "sem.DeDAnu");
	ck_assert(posix_shm_path_name("/dev/shm/data with space", &n));
	ck_assert_str_eq(n, "data with space");
	ck_assert(!posix_shm_path_name("/dev/shm/", &n));
	ck_assert(!posix_shm_path_name("/dev/shm", &n));
	ck_assert(!posix_shm_path_name("/dev/shm/dir/file", &n));
	ck_assert(!posix_shm_path_name("/dev/shmx/a", &n));
	ck_assert(!posix_shm_path_name("/tmp/dev/shm/a", &n));
}
END_TEST

START_TEST(mq_fd_names)
{
	ck_assert(posix_mq_fd_name("/jobs"));
	ck_assert(posix_mq_fd_name("/with space"));
	ck_assert(!posix_mq_fd_name("/"));
	ck_assert(!posix_mq_fd_name("/dev/mqueue/jobs"));
	ck_assert(!posix_mq_fd_name("jobs"));
	ck_assert(!posix_mq_fd_name(""));
}
END_TEST

START_TEST(memfd_names)
{
	const char *n = NULL;

	ck_assert(posix_memfd_name("/memfd:my mem fd", &n));
	ck_assert_str_eq(n, "my mem fd");
	ck_assert(posix_memfd_name("/memfd:", &n));
	ck_assert_str_eq(n, "");
	ck_assert(!posix_memfd_name("/tmp/memfd:x", &n));
	ck_assert(!posix_memfd_name("memfd:x", &n));
}
END_TEST

/* The " (deleted)" suffix is stripped by maps_parse_line (fdtable.c) before
 * the path reaches the classifiers: check the two together. */
START_TEST(maps_deleted_suffix)
{
	struct map_entry m;
	const char *p, *n;
	size_t len;
	char path[128];

	ck_assert(maps_parse_line("7f6c1eb57000-7f6c1eb58000 rw-s 00000000 00:01 1027"
				  "                       /memfd:my mem fd (deleted)",
				  &m, &p, &len));
	ck_assert(m.deleted);
	ck_assert_uint_eq(m.ino, 1027);
	memcpy(path, p, len);
	path[len] = '\0';
	ck_assert_str_eq(path, "/memfd:my mem fd");
	ck_assert_int_eq(posix_map_classify(path), MAPC_MEMFD);
	ck_assert(posix_memfd_name(path, &n));
	ck_assert_str_eq(n, "my mem fd");

	/* a memfd named "x (deleted)" keeps its own suffix */
	ck_assert(maps_parse_line("7f00-8f00 rw-s 00000000 00:01 9 /memfd:x (deleted) (deleted)",
				  &m, &p, &len));
	memcpy(path, p, len);
	path[len] = '\0';
	ck_assert_str_eq(path, "/memfd:x (deleted)");

	/* the creator's view of a named semaphore: the temporary name, on
	 * /dev/shm's device (maps prints it in hex) */
	ck_assert(maps_parse_line("7f6c1eb58000-7f6c1eb59000 rw-s 00000000 00:1b 2"
				  "                          /dev/shm/sem.DeDAnu (deleted)",
				  &m, &p, &len));
	ck_assert(m.deleted);
	ck_assert_uint_eq(m.dev_minor, 27);
	memcpy(path, p, len);
	path[len] = '\0';
	ck_assert_int_eq(posix_map_classify(path), MAPC_SHM);
}
END_TEST

START_TEST(map_classes)
{
	ck_assert_int_eq(posix_map_classify("/tmp/data.bin"), MAPC_FILE);
	ck_assert_int_eq(posix_map_classify("/var/lib/x/shared memory"), MAPC_FILE);
	ck_assert_int_eq(posix_map_classify("/dev/shm/x"), MAPC_SHM);
	ck_assert_int_eq(posix_map_classify("/SYSV0000162e"), MAPC_SYSV);
	ck_assert_int_eq(posix_map_classify("/memfd:wayland-shm"), MAPC_MEMFD);
	ck_assert_int_eq(posix_map_classify("/dev/zero"), MAPC_ANON_SHARED);
	ck_assert_int_eq(posix_map_classify("/anon_hugepage"), MAPC_ANON_SHARED);
	ck_assert_int_eq(posix_map_classify("/dev/dri/card0"), MAPC_DEVICE);
	ck_assert_int_eq(posix_map_classify("/dev/zeros"), MAPC_DEVICE);
	ck_assert_int_eq(posix_map_classify("/[aio]"), MAPC_KERNEL);
	ck_assert_int_eq(posix_map_classify("/drm mm object"), MAPC_KERNEL);
	ck_assert_int_eq(posix_map_classify("[anon:x]"), MAPC_OTHER);
	ck_assert_int_eq(posix_map_classify(""), MAPC_OTHER);
}
END_TEST

START_TEST(map_modes)
{
	ck_assert_int_eq(posix_map_mode("rw-s"), MODE_RW);
	ck_assert_int_eq(posix_map_mode("r--s"), MODE_R);
	ck_assert_int_eq(posix_map_mode("-w-s"), MODE_W);
	ck_assert_int_eq(posix_map_mode("---s"), MODE_NONE);
	ck_assert_int_eq(posix_map_mode(""), MODE_NONE);
}
END_TEST

START_TEST(one_mapper_per_process)
{
	struct snapshot *s = snapshot_new();
	struct ipc_object *o = snapshot_object(s, KIND_MMAP, NULL, "mmap:254:0:12");

	posix_add_mapper(o, 10, MODE_R);
	posix_add_mapper(o, 10, MODE_W);
	posix_add_mapper(o, 10, MODE_R);
	posix_add_mapper(o, 11, MODE_R);
	object_add_endpoint(o, 10, VIA_FD, 3, MODE_RW, ROLE_HOLDER);
	ck_assert_uint_eq(o->neps, 3);
	ck_assert_int_eq(o->eps[0].pid, 10);
	ck_assert_int_eq(o->eps[0].via, VIA_MAP);
	ck_assert_int_eq(o->eps[0].mode, MODE_RW);
	ck_assert_int_eq(o->eps[0].role, ROLE_MAPPER);
	ck_assert_int_eq(o->eps[1].mode, MODE_R);
	ck_assert_uint_eq(object_holders(o), 2);
	snapshot_free(s);
}
END_TEST

START_TEST(index_dev_ino)
{
	struct posix_index ix = { 0 };
	int vals[1000];

	ck_assert_ptr_null(posix_index_get(&ix, 0, 27, 2));
	for (int i = 0; i < 1000; i++)
		posix_index_put(&ix, 0, 27, (uint64_t)i + 1, &vals[i]);
	/* the same inode on another device is another file */
	ck_assert_ptr_null(posix_index_get(&ix, 0, 28, 1));
	ck_assert_ptr_null(posix_index_get(&ix, 1, 27, 1));
	for (int i = 0; i < 1000; i++)
		ck_assert_ptr_eq(posix_index_get(&ix, 0, 27, (uint64_t)i + 1), &vals[i]);
	ck_assert_uint_eq(ix.n, 1000);
	posix_index_put(&ix, 0, 27, 5, &vals[0]); /* replace */
	ck_assert_ptr_eq(posix_index_get(&ix, 0, 27, 5), &vals[0]);
	ck_assert_uint_eq(ix.n, 1000);
	posix_index_free(&ix);
	ck_assert_ptr_null(posix_index_get(&ix, 0, 27, 5));
}
END_TEST

START_TEST(index_strings)
{
	struct posix_index ix = { 0 };
	int a, b;

	posix_index_put_str(&ix, "/tmp/a", &a);
	posix_index_put_str(&ix, "/tmp/b", &b);
	ck_assert_ptr_eq(posix_index_get_str(&ix, "/tmp/a"), &a);
	ck_assert_ptr_eq(posix_index_get_str(&ix, "/tmp/b"), &b);
	ck_assert_ptr_null(posix_index_get_str(&ix, "/tmp/c"));
	ck_assert_ptr_null(posix_index_get_str(&ix, ""));
	posix_index_free(&ix);
}
END_TEST

static Suite *posix_suite(void)
{
	Suite *s = suite_create("posix");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, mq_text_normal);
	tcase_add_test(tc, mq_text_missing_fields);
	tcase_add_test(tc, mq_text_garbage);
	tcase_add_test(tc, mq_text_truncated);
	tcase_add_test(tc, sem_decode_64);
	tcase_add_test(tc, sem_decode_32);
	tcase_add_test(tc, sem_decode_host_file_size);
	tcase_add_test(tc, shm_names);
	tcase_add_test(tc, mq_fd_names);
	tcase_add_test(tc, memfd_names);
	tcase_add_test(tc, maps_deleted_suffix);
	tcase_add_test(tc, map_classes);
	tcase_add_test(tc, map_modes);
	tcase_add_test(tc, one_mapper_per_process);
	tcase_add_test(tc, index_dev_ino);
	tcase_add_test(tc, index_strings);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(posix_suite)
