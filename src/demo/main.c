/* ipcdemo: options and the scenario table.  The run itself (supervisor,
 * signals, shutdown) is in supervise.c.
 */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every scenario, in the order --list and `all` use. */
const struct demo_scenario *const demo_scenarios[] = {
	&demo_scen_pipe, &demo_scen_fifo, &demo_scen_posix_mq,
	&demo_scen_sysv_msg, &demo_scen_posix_shm, &demo_scen_sysv_shm,
	&demo_scen_mmap, &demo_scen_memfd, &demo_scen_unix_stream,
	&demo_scen_unix_dgram, &demo_scen_socketpair, &demo_scen_tcp,
	&demo_scen_udp, &demo_scen_signal, &demo_scen_eventfd, &demo_scen_rpc,
	&demo_scen_direct, &demo_scen_indirect, &demo_scen_blocking,
	&demo_scen_nonblocking, &demo_scen_zero_capacity, &demo_scen_bounded,
	&demo_scen_unbounded, &demo_scen_race, &demo_scen_mutex,
	&demo_scen_many_to_many,
};
const int demo_nscenarios =
	(int)(sizeof(demo_scenarios) / sizeof(demo_scenarios[0]));

static void demo_usage(FILE *f)
{
	fprintf(f,
"Usage: ipcdemo [OPTION]... SCENARIO...\n"
"       ipcdemo all | --list | --explain SCENARIO | --cleanup\n"
"Start processes that talk through an IPC mechanism, slowly enough to watch\n"
"them in ipctop, and remove everything they created when stopped.\n"
"\n"
"  -l, --list              list the scenarios with a one-line description\n"
"  -e, --explain NAME      explain a scenario (for a lecture)\n"
"  -r, --rate N            messages per second per producer (default 2)\n"
"  -s, --size BYTES        message payload size, %d..%d (default 64)\n"
"  -d, --duration SECONDS  stop after this long (default 0: until Ctrl-C)\n"
"  -q, --quiet             print only errors (and the result of race/mutex)\n"
"  -v, --verbose           narrate every send and receive\n"
"  -j, --json              print what was created as one JSON document\n"
"      --cleanup           remove leftovers of runs that were SIGKILLed\n"
"      --is-available NAME exit 0 if the scenario can run here, 1 if not\n"
"  -h, --help              show this help\n"
"  -V, --version           show the version\n"
"\n"
"Use \"all\" to run every scenario at once.  See ipcdemo(1).\n",
		DEMO_MIN_SIZE, DEMO_MAX_SIZE);
}

static const struct demo_scenario *demo_find(const char *name)
{
	int i;

	for (i = 0; i < demo_nscenarios; i++)
		if (!strcmp(demo_scenarios[i]->name, name))
			return demo_scenarios[i];
	return NULL;
}

static double demo_number(const char *opt, const char *arg, double min,
			  double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < min || v > max) {
		fprintf(stderr, "ipcdemo: invalid %s '%s' (expected a number "
			"from %g to %g)\n", opt, arg, min, max);
		exit(2);
	}
	return v;
}

static void demo_list(void)
{
	int i;

	for (i = 0; i < demo_nscenarios; i++)
		printf("%-14s %s\n", demo_scenarios[i]->name,
		       demo_scenarios[i]->description);
}

static int demo_explain(const char *name)
{
	const struct demo_scenario *s = demo_find(name);

	if (!s) {
		fprintf(stderr, "ipcdemo: unknown scenario '%s' "
			"(see ipcdemo --list)\n", name);
		return 2;
	}
	printf("%s — %s\n\n%s", s->name, s->description, s->explanation);
	return 0;
}

static int demo_is_available(const char *name)
{
	const struct demo_scenario *s = demo_find(name);
	char why[200] = "";

	if (!s) {
		fprintf(stderr, "ipcdemo: unknown scenario '%s'\n", name);
		return 2;
	}
	if (demo_available(s, why, sizeof(why))) {
		fprintf(stderr, "ipcdemo: %s is not available: %s\n", name, why);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_CLEANUP = 256, OPT_AVAILABLE };
	static const struct option longopts[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "explain", required_argument, NULL, 'e' },
		{ "rate", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "cleanup", no_argument, NULL, OPT_CLEANUP },
		{ "is-available", required_argument, NULL, OPT_AVAILABLE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct demo_opts opts = { .rate = 2, .size = 64, .verbosity = 1 };
	const struct demo_scenario *sel[DEMO_MAX_SCEN];
	int nsel = 0, c, i, j;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "le:r:s:d:qvjhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'l':
			demo_list();
			return 0;
		case 'e':
			return demo_explain(optarg);
		case 'r':
			opts.rate = demo_number("rate", optarg, 0.01, 100000);
			break;
		case 's':
			opts.size = (size_t)demo_number("size", optarg,
							DEMO_MIN_SIZE,
							DEMO_MAX_SIZE);
			break;
		case 'd':
			opts.duration = demo_number("duration", optarg, 0,
						    1e7);
			break;
		case 'q':
			opts.verbosity = 0;
			break;
		case 'v':
			opts.verbosity = 2;
			break;
		case 'j':
			opts.json = true;
			break;
		case OPT_CLEANUP:
			demo_cleanup_leftovers(false);
			return 0;
		case OPT_AVAILABLE:
			return demo_is_available(optarg);
		case 'h':
			demo_usage(stdout);
			return 0;
		case 'V':
			printf("ipcdemo (%s) %s\n", PACKAGE_NAME,
			       PACKAGE_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'ipcdemo --help'.\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ipcdemo: no scenario given (try 'ipcdemo "
			"--list', or 'ipcdemo all')\n");
		return 2;
	}
	for (i = optind; i < argc; i++) {
		const struct demo_scenario *s = demo_find(argv[i]);

		if (!strcmp(argv[i], "all")) {
			for (j = 0; j < demo_nscenarios; j++)
				sel[nsel++] = demo_scenarios[j];
			if (argc - optind > 1) {
				fprintf(stderr, "ipcdemo: 'all' already "
					"includes every scenario\n");
				return 2;
			}
			continue;
		}
		if (!s) {
			fprintf(stderr, "ipcdemo: unknown scenario '%s' "
				"(see ipcdemo --list)\n", argv[i]);
			return 2;
		}
		for (j = 0; j < nsel; j++)
			if (sel[j] == s) {
				fprintf(stderr, "ipcdemo: scenario '%s' given "
					"twice\n", s->name);
				return 2;
			}
		sel[nsel++] = s;
	}
	return demo_run(&opts, sel, nsel);
}
