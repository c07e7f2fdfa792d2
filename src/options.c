#include "config.h"

#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "xalloc.h"

enum { OPT_JSON = 256, OPT_ROOT, OPT_DEMO, OPT_NO_COLOR, OPT_REPLAY };

static const struct option longopts[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "pid", required_argument, NULL, 'p' },
	{ "type", required_argument, NULL, 't' },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "demo", no_argument, NULL, OPT_DEMO },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "width", required_argument, NULL, 'w' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *f)
{
	fputs("Usage: ipctop [options]\n"
	      "Live monitor of inter-process communication: pipes, FIFOs, sockets, shared\n"
	      "memory, message queues, semaphores, shared mappings, eventfds and signals,\n"
	      "with the processes at each end.\n"
	      "\n"
	      "Options:\n"
	      "  -b, --batch            print text tables instead of the screen (like top -b)\n"
	      "      --json             print JSON (schema 1); with -n/-d one document a line\n"
	      "  -n, --iterations N     stop after N refreshes (batch and JSON: default 1)\n"
	      "  -d, --delay SECONDS    time between refreshes (default 2)\n"
	      "  -p, --pid PID[,PID...] only objects these processes touch, with their peers\n"
	      "  -t, --type KIND[,...]  only these kinds: pipe fifo unix tcp udp posix_shm\n"
	      "                         posix_sem posix_mq sysv_shm sysv_msg sysv_sem mmap\n"
	      "                         memfd eventfd, or the families sysv posix socket shm\n"
	      "      --root DIR         read /proc, /dev/shm, ... under DIR (a fixture tree)\n"
	      "      --demo             start `ipcdemo all` and show its traffic; stop it on exit\n"
	      "      --replay FILE      play back an NDJSON recording (ipctop --json -d S -n N)\n"
	      "      --no-color         no colours (also when NO_COLOR is set)\n"
	      "  -w, --width COLS       batch line width (default: terminal, else unlimited)\n"
	      "  -h, --help             show this help and exit\n"
	      "  -V, --version          show the version and exit\n",
	      f);
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_pids(struct options *o, const char *s, char *err, size_t errlen)
{
	const char *p = s;

	for (;;) {
		size_t n = strcspn(p, ",");
		char buf[24];
		long v;

		if (n == 0 || n >= sizeof(buf)) {
			snprintf(err, errlen, "invalid pid list '%s'", s);
			return -1;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		if (parse_long(buf, 1, INT_MAX, &v) < 0) {
			snprintf(err, errlen, "invalid pid '%s'", buf);
			return -1;
		}
		o->pids = xreallocarray(o->pids, o->npids + 1, sizeof(pid_t));
		o->pids[o->npids++] = (pid_t)v;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->mode = OUT_SCREEN;
	o->delay = 2.0;
	o->kinds = KIND_ALL;
	o->root = "/";
	o->color = getenv("NO_COLOR") == NULL || getenv("NO_COLOR")[0] == '\0';
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":bn:d:p:t:w:hV", longopts, NULL)) != -1) {
		long v;
		char *end;
		const char *bad;
		size_t badlen;

		switch (c) {
		case 'b':
			o->mode = OUT_BATCH;
			o->mode_set = true;
			break;
		case OPT_JSON:
			o->mode = OUT_JSON;
			o->mode_set = true;
			break;
		case 'n':
			if (parse_long(optarg, 1, LONG_MAX, &v) < 0) {
				snprintf(err, errlen, "invalid iteration count '%s' (a number >= 1)", optarg);
				return -1;
			}
			o->iterations = v;
			o->iterations_set = true;
			break;
		case 'd':
			errno = 0;
			o->delay = strtod(optarg, &end);
			if (errno || end == optarg || *end || !isfinite(o->delay) || o->delay < 0.05 ||
			    o->delay > 86400) {
				snprintf(err, errlen, "invalid delay '%s' (seconds, 0.05 to 86400)", optarg);
				return -1;
			}
			o->delay_set = true;
			break;
		case 'p':
			if (parse_pids(o, optarg, err, errlen) < 0)
				return -1;
			break;
		case 't':
			o->kinds = kind_parse_list(optarg, &bad, &badlen);
			if (!o->kinds) {
				snprintf(err, errlen, "unknown kind '%.*s' (see --help for the list)",
					 (int)badlen, bad);
				return -1;
			}
			break;
		case 'w':
			if (parse_long(optarg, 20, 100000, &v) < 0) {
				snprintf(err, errlen, "invalid width '%s' (20 or more)", optarg);
				return -1;
			}
			o->width = (int)v;
			break;
		case OPT_ROOT:
			o->root = optarg;
			break;
		case OPT_DEMO:
			o->demo = true;
			break;
		case OPT_NO_COLOR:
			o->color = false;
			break;
		case OPT_REPLAY:
			o->replay = optarg;
			break;
		case 'h':
			o->help = true;
			break;
		case 'V':
			o->version = true;
			break;
		case ':':
			snprintf(err, errlen, "option '%s' needs a value", argv[optind - 1]);
			return -1;
		default:
			if (optopt)
				snprintf(err, errlen, "unknown option '-%c'", optopt);
			else
				snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (o->mode != OUT_SCREEN && !o->iterations_set)
		o->iterations = o->delay_set ? 0 : 1;
	return 0;
}

void options_free(struct options *o)
{
	free(o->pids);
	o->pids = NULL;
	o->npids = 0;
}
