/* Per-object time series for the screen's sparklines: for each object id,
 * the last SERIES_LEN samples of its queue depth and traffic rate. */
#ifndef IPCTOP_SERIES_H
#define IPCTOP_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "strbuf.h"

#define SERIES_LEN 60

/* Oldest first; NAN where unknown (and while the object was absent). */
struct series {
	size_t n;
	double t[SERIES_LEN], bytes[SERIES_LEN], messages[SERIES_LEN], rate[SERIES_LEN];
};

struct series_store;

struct series_store *series_new(void);
/* One sample per object of cur (queue bytes, messages, rate bytes_per_s or
 * else messages_per_s), NAN for known ids absent from cur; ids absent for
 * more than SERIES_LEN samples in a row are dropped, so memory stays flat. */
void series_add(struct series_store *st, const struct snapshot *cur);
/* NULL if unknown; valid until the next series_get, series_add or
 * series_free (one copy, in the order of the samples). */
const struct series *series_get(const struct series_store *st, const char *id);
/* How many ids are kept (for tests: memory stays flat). */
size_t series_count(const struct series_store *st);
void series_free(struct series_store *st);

/* A sparkline of the last min(n, width) values into sb, one cell each:
 * Unicode blocks ▁▂▃▄▅▆▇█ or ASCII " .:-=+*#". Scaled to the largest value
 * shown: 0 (or less) is the lowest cell, any positive value at least the
 * second, the largest the top; NAN (or infinity) is a space. */
void series_sparkline(struct strbuf *sb, const double *v, size_t n, size_t width, bool ascii);

#endif
