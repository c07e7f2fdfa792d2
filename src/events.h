/* The events log: what changed between two snapshots, as lines a viewer
 * reads ("created pipe:1234 (1234 pipe-writer -> 1240 pipe-reader)"),
 * kept in a ring of the last EVENT_LOG_MAX. */
#ifndef IPCTOP_EVENTS_H
#define IPCTOP_EVENTS_H

#include <stddef.h>
#include <sys/types.h>

#include "model.h"

#define EVENT_LOG_MAX 500

enum event_type { EV_CREATED, EV_GONE, EV_FILLED, EV_DRAINED, EV_BLOCKED, EV_UNBLOCKED };

struct event {
	double time; /* the snapshot's that showed it */
	enum event_type type;
	enum obj_kind kind;
	char *object_id; /* raw id, to find the object; NULL for none */
	pid_t pid;       /* the process concerned, or the object's first holder; 0 if none */
	char *text;      /* escaped, ready to show */
};

/* A ring: ev[head] is the oldest of n kept. Zero-initialise it. */
struct event_log {
	struct event *ev;
	size_t n, cap, head;
};

/* Appends the events from prev to cur; a NULL prev (the first snapshot)
 * gives none. Objects created or gone, queues that filled or drained,
 * processes that became blocked on an object (or on another) or unblocked. */
void events_diff(struct event_log *log, const struct snapshot *prev, const struct snapshot *cur);
/* i = 0 is the oldest kept; NULL past the end. Valid until the next diff. */
const struct event *events_get(const struct event_log *log, size_t i);
size_t events_count(const struct event_log *log);
const char *events_type_name(enum event_type t);
void events_free(struct event_log *log);

#endif
