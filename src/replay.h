/* Replay of an NDJSON recording (ipctop --json -d S -n N > FILE): each line
 * is one schema 1 document, rebuilt into the snapshot it was written from,
 * so every view (screen, batch, JSON) can show a recording as it shows the
 * live system. The file is streamed, one line at a time. */
#ifndef IPCTOP_REPLAY_H
#define IPCTOP_REPLAY_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "options.h"

struct replay;

/* Opens FILE and reads its first snapshot ahead, so an unreadable, empty
 * ("no snapshots in FILE") or malformed file is reported here: NULL and a
 * message in err. */
struct replay *replay_open(const char *path, char *err, size_t errlen);
/* The next recorded snapshot (the caller frees it); NULL at the end
 * (err[0] == '\0') or on a bad line (err: "line 3: unexpected end of input"). */
struct snapshot *replay_next(struct replay *r, char *err, size_t errlen);
void replay_close(struct replay *r);

/* One schema 1 document (no newline needed) to a snapshot: NULL and a
 * message in err if it is not one. No I/O, for tests. */
struct snapshot *replay_parse_doc(const char *text, size_t len, char *err, size_t errlen);

/* A JSON string value back to the bytes ipctop wrote it from: "\xNN" (the
 * escape of a byte that is not UTF-8) becomes that byte again, when doing so
 * re-escapes to the same JSON text. Returns a new string. */
char *replay_unescape(const char *value);

/* history_apply for recorded snapshots: the rates and flags a recording
 * holds were derived from counters it does not keep (and from unfiltered
 * snapshots), so they stay as recorded; history cannot redo them. */
void replay_history_apply(const struct snapshot *prev, struct snapshot *cur);

/* ipctop --replay FILE -b|--json [-n N] [-d S] [-p ...] [-t ...]: prints the
 * recorded snapshots to out (all of them unless -n; pausing -d seconds
 * between them only if -d was given), returning early once *stop is set.
 * Returns the exit status: 0, 1 on a write error, 2 for a bad file (with a
 * message on stderr naming the line). */
int replay_run_text(const struct options *opt, FILE *out, volatile sig_atomic_t *stop);

#endif
