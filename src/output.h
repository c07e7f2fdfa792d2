/* Views that print a snapshot as text: JSON (schema 1) and the batch table. */
#ifndef IPCTOP_OUTPUT_H
#define IPCTOP_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"
#include "strbuf.h"

/* One JSON document on one line (NDJSON-ready), newline-terminated. */
void output_json(struct strbuf *sb, const struct snapshot *s);
/* The batch text table (like top -b): a summary header, then a row per object. */
void output_batch(struct strbuf *sb, const struct snapshot *s, int width);

/* Prints one refresh to f: a JSON line, or a batch table (after a blank
 * line when not the first). Returns 0, 1 after a write error (reported on
 * stderr), or -1 when the reader went away (EPIPE: end quietly). */
int output_refresh(struct strbuf *sb, const struct snapshot *s, bool json, int width,
		   bool first, FILE *f);

/* "1234 comm" style helpers shared with the screen: the escaped comm of pid. */
void output_comm(struct strbuf *sb, const struct snapshot *s, pid_t pid);
/* The identity column of an object (path, name, addresses, key/id), escaped. */
void output_identity(struct strbuf *sb, const struct ipc_object *o);
/* The peer object of a socket, or NULL. */
const struct ipc_object *output_peer(const struct snapshot *s, const struct ipc_object *o);
/* The same for s->objs[i], cheaper: a socketpair's ends are most often
 * neighbours in the sorted objects. */
const struct ipc_object *output_peer_at(const struct snapshot *s, size_t i);
/* Whether peer's peer is o (output_peer(s, peer) == o, without a lookup). */
bool output_peers_mutual(const struct ipc_object *o, const struct ipc_object *peer);

#endif
