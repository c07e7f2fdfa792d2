#include "config.h"

#include "replay.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "history.h"
#include "output.h"
#include "scan.h"
#include "strbuf.h"
#include "xalloc.h"

struct replay {
	FILE *f;
	char *path;
	char *line;
	size_t cap;
	unsigned long lineno;
	struct snapshot *ahead; /* the first snapshot, read by replay_open */
	bool any, done;
};

/* Reads lines up to the next document (blank lines are skipped). */
static struct snapshot *read_next(struct replay *r, char *err, size_t errlen)
{
	char msg[400];
	ssize_t n;

	err[0] = '\0';
	while (!r->done) {
		errno = 0;
		n = getline(&r->line, &r->cap, r->f);
		if (n < 0) {
			r->done = true;
			if (ferror(r->f))
				snprintf(err, errlen, "cannot read %s: %s", r->path,
					 strerror(errno ? errno : EIO));
			else if (!r->any)
				snprintf(err, errlen, "no snapshots in %s", r->path);
			return NULL;
		}
		r->lineno++;
		if (strspn(r->line, " \t\r\n") == (size_t)n)
			continue;

		struct snapshot *s = replay_parse_doc(r->line, (size_t)n, msg, sizeof(msg));
		if (!s) {
			r->done = true;
			snprintf(err, errlen, "line %lu: %s", r->lineno, msg);
			return NULL;
		}
		r->any = true;
		return s;
	}
	return NULL;
}

struct replay *replay_open(const char *path, char *err, size_t errlen)
{
	struct replay *r;
	char msg[480];

	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->f = f;
	r->path = xstrdup(path);
	r->ahead = read_next(r, msg, sizeof(msg));
	if (!r->ahead) {
		/* "line 1: ..." needs the file's name here; the others have it */
		if (strncmp(msg, "line ", 5) == 0)
			snprintf(err, errlen, "%s: %s", path, msg);
		else
			snprintf(err, errlen, "%s", msg);
		replay_close(r);
		return NULL;
	}
	return r;
}

struct snapshot *replay_next(struct replay *r, char *err, size_t errlen)
{
	struct snapshot *s = r->ahead;

	if (s) {
		r->ahead = NULL;
		err[0] = '\0';
		return s;
	}
	return read_next(r, err, errlen);
}

void replay_close(struct replay *r)
{
	if (!r)
		return;
	snapshot_free(r->ahead);
	if (r->f)
		fclose(r->f);
	free(r->line);
	free(r->path);
	free(r);
}

void replay_history_apply(const struct snapshot *prev, struct snapshot *cur)
{
	struct recorded {
		unsigned flags;
		__typeof__(cur->objs[0]->rate) rate;
	} *rec = xcalloc(cur->nobjs ? cur->nobjs : 1, sizeof(*rec));

	for (size_t i = 0; i < cur->nobjs; i++) {
		rec[i].flags = cur->objs[i]->flags;
		rec[i].rate = cur->objs[i]->rate;
	}
	history_apply(prev, cur);
	for (size_t i = 0; i < cur->nobjs; i++) {
		cur->objs[i]->flags = rec[i].flags;
		cur->objs[i]->rate = rec[i].rate;
	}
	free(rec);
}

static bool stopped(volatile sig_atomic_t *stop)
{
	return stop && *stop;
}

static void pause_for(double seconds, volatile sig_atomic_t *stop)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };

	while (!stopped(stop) && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int out_width(FILE *out)
{
	struct winsize ws;
	int fd = fileno(out);

	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

int replay_run_text(const struct options *opt, FILE *out, volatile sig_atomic_t *stop)
{
	struct snapshot *prev = NULL, *cur;
	struct replay *r;
	struct strbuf sb;
	char err[512];
	int width = opt->width ? opt->width : out_width(out);
	long limit = opt->iterations_set ? opt->iterations : 0; /* default: the whole file */
	int status = 0;

	r = replay_open(opt->replay, err, sizeof(err));
	if (!r) {
		fprintf(stderr, "ipctop: %s\n", err);
		return 2;
	}
	sb_init(&sb);
	for (long i = 0; !stopped(stop) && (limit == 0 || i < limit); i++) {
		if (i > 0 && opt->delay_set)
			pause_for(opt->delay, stop);
		if (stopped(stop))
			break;
		cur = replay_next(r, err, sizeof(err));
		if (!cur) {
			if (err[0]) {
				fprintf(stderr, "ipctop: %s: %s\n", opt->replay, err);
				status = 2;
			}
			break;
		}
		replay_history_apply(prev, cur);
		scan_filter(cur, opt->pids, opt->npids, opt->kinds);
		snapshot_free(prev);
		prev = cur;

		int w = output_refresh(&sb, cur, opt->mode == OUT_JSON, width, i == 0, out);
		if (w != 0) {
			if (w > 0)
				status = 1;
			break;
		}
	}
	snapshot_free(prev);
	sb_free(&sb);
	replay_close(r);
	return status;
}
