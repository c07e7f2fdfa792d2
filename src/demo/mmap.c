/* ipcdemo: two processes share a regular file mapped MAP_SHARED. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The shared page: the writer fills data, then publishes seq. */
struct demo_page {
	uint32_t seq;
	uint32_t len;
	char data[DEMO_MAX_SIZE];
};

int demo_page_writer(struct demo_ctx *ctx, void *page)
{
	struct demo_page *p = page;
	struct demo_stat *st = demo_stat_get(ctx);
	size_t size = demo_size(ctx, DEMO_MAX_SIZE);
	struct timespec next;
	uint32_t seq;

	demo_pace_init(&next);
	for (seq = 1;; seq++) {
		demo_pace(ctx, &next, 1);
		demo_msg_fill(p->data, size, seq);
		p->len = (uint32_t)size;
		__atomic_store_n(&p->seq, seq, __ATOMIC_RELEASE);
		demo_count(&st->sent, 1);
		demo_note(ctx, "stored record #%u (%zu bytes) in the page", seq,
			  size);
	}
}

/* Polls the page a few times per message; counts every new record. */
int demo_page_reader(struct demo_ctx *ctx, void *page)
{
	struct demo_page *p = page;
	struct demo_stat *st = demo_stat_get(ctx);
	double poll = 0.25 / ctx->opts.rate;
	uint32_t last = 0, seq;

	if (poll > 0.1)
		poll = 0.1;
	if (poll < 0.001)
		poll = 0.001;
	demo_ready(ctx);
	for (;;) {
		seq = __atomic_load_n(&p->seq, __ATOMIC_ACQUIRE);
		if (seq != last) {
			demo_count(&st->received, (long)(seq - last));
			demo_note(ctx, "saw record #%u (%u bytes)", seq, p->len);
			last = seq;
		}
		demo_sleep(poll);
	}
}

static char mmap_path[160];

static void *mmap_open(void)
{
	void *page;
	int fd;

	demo_close_except(-1, -1);
	fd = open(mmap_path, O_RDWR);
	if (fd < 0)
		return demo_fail(mmap_path), NULL;
	page = mmap(NULL, DEMO_PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
	if (page == MAP_FAILED)
		return demo_fail("mmap"), NULL;
	/* fd stays open: ipctop shows both the fd and the mapping */
	return page;
}

static int mmap_writer(struct demo_ctx *ctx, void *arg)
{
	void *page = mmap_open();

	return page ? demo_page_writer(ctx, page) : 1;
}

static int mmap_reader(struct demo_ctx *ctx, void *arg)
{
	void *page = mmap_open();

	return page ? demo_page_reader(ctx, page) : 1;
}

static int mmap_start(struct demo_ctx *ctx)
{
	struct demo_obj *o = demo_obj_file(ctx, "mmap", "mapped");
	int fd;

	if (!o)
		return -1;
	snprintf(o->note, sizeof(o->note), "a regular file mapped shared");
	snprintf(mmap_path, sizeof(mmap_path), "%s", o->path);
	fd = open(mmap_path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || ftruncate(fd, DEMO_PAGE_BYTES))
		return demo_fail(mmap_path), -1;
	close(fd);
	if (demo_spawn(ctx, "mmap-reader", mmap_reader, NULL) < 0 ||
	    demo_spawn(ctx, "mmap-writer", mmap_writer, NULL) < 0)
		return -1;
	return 0;
}

const struct demo_scenario demo_scen_mmap = {
	.name = "mmap",
	.description = "two processes share a regular file mapped with "
		       "MAP_SHARED",
	.explanation =
"A memory-mapped file puts the pages of an ordinary file into the address\n"
"space of each process that maps it.  With MAP_SHARED all of them see the\n"
"same pages of the page cache, so a store by one is a load away for the\n"
"others, and the kernel writes the pages back to the file in its own time.\n"
"The medium is file plus memory: handy for sharing large data, and it is how\n"
"programs and libraries are loaded.  A mapping cannot change the file's size;\n"
"that is done (ftruncate) before mapping.  Here mmap-writer stores a numbered\n"
"record in /tmp/ipcdemo.PID/mapped and publishes its number last;\n"
"mmap-reader polls the number and counts new records.\n"
"\n"
"Watch in ipctop: an mmap object (the file) with both processes as mappers\n"
"(and fd holders).  There is no queue and no system call per record.\n",
	.available = demo_have_always,
	.start = mmap_start,
};
