/* The graph view's layout: processes as boxes, IPC objects as labelled
 * edges between them, laid out into a grid of cells. A pure function of the
 * rows shown, so tests can check it without a terminal. */
#ifndef IPCTOP_UI_GRAPH_H
#define IPCTOP_UI_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "strbuf.h"
#include "ui/rows.h"

enum graph_attr { GA_NONE, GA_BOX, GA_PID, GA_COMM, GA_EDGE, GA_LABEL, GA_NOTE };

struct graph {
	int w, h;             /* grid size: w as asked, h as needed */
	uint32_t *ch;         /* code points, w * h */
	unsigned char *attr;  /* enum graph_attr */
	signed char *kind;    /* enum obj_kind of an edge or label, -1 elsewhere */
	size_t nodes, edges;  /* processes and object edges laid out */
};

/* Lays out the objects of rows (tombstones skipped) in width columns. */
struct graph *graph_layout(const struct snapshot *s, const struct rows_obj *rows, size_t n,
			   int width, bool ascii);
void graph_free(struct graph *g);
/* Row y as UTF-8 text, trailing blanks cut (for tests and captures). */
void graph_line(const struct graph *g, int y, struct strbuf *out);
/* The label of an object's edge: "pipe", "mq /jobs", "shm 0x00001234". */
void graph_label(struct strbuf *sb, const struct ipc_object *o);

#endif
