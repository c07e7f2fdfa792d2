/* Command-line options of ipctop, parsed without side effects so tests can
 * feed argument vectors. */
#ifndef IPCTOP_OPTIONS_H
#define IPCTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

enum out_mode { OUT_SCREEN, OUT_BATCH, OUT_JSON };

struct options {
	enum out_mode mode;
	bool mode_set;
	long iterations; /* -n; 0 = forever */
	bool iterations_set;
	double delay;    /* -d seconds */
	bool delay_set;
	pid_t *pids;
	size_t npids;
	unsigned kinds;
	const char *root;
	const char *replay;
	bool demo;
	bool color;
	bool help, version;
	int width;       /* batch width; 0 = terminal or unlimited */
};

/* Returns 0, or -1 with a message (no trailing newline) in err. */
int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen);
void options_free(struct options *o);
void options_usage(FILE *f);

#endif
