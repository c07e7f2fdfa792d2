#include "config.h"

#include "ui/graph.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define LABEL_MAX 20 /* columns of an edge label: longer ones are cut in the middle */
#define LABELS_MAX 6 /* labels stacked on one edge, then "+N more" */
#define BOX_MAX 19   /* box width */
#define HUB_MIN 5    /* an object shared by this many processes is a note, not edges */

struct node {
	pid_t pid;
	char name[48]; /* escaped comm, ASCII */
	int comp, order, x, y;
};

struct edge {
	int a, b;           /* node indexes, a < b */
	int next;           /* the next edge of node a, -1 at the end */
	int dir[LABELS_MAX]; /* 1: a writes to b, -1: b to a, 0: both/unknown */
	char *label[LABELS_MAX];
	signed char kind[LABELS_MAX];
	int nlabels, more;
};

struct layout {
	const struct snapshot *s;
	bool ascii;
	struct node *nodes;
	size_t nn;
	struct edge *edges;
	size_t ne, ecap;
	int *parent; /* union-find over nodes */
	int *first;  /* per node a: its first edge (a < b), -1 if none */
	char **hubs; /* notes on objects shared by many */
	size_t nhubs;
	signed char *hub_kind;
};

static const char *base(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash && slash[1] ? slash + 1 : path ? path : "";
}

static const char *port(const char *addr)
{
	const char *colon = addr ? strrchr(addr, ':') : NULL;
	return colon ? colon : "";
}

void graph_label(struct strbuf *sb, const struct ipc_object *o)
{
	struct strbuf raw;

	sb_init(&raw);
	sb_puts(&raw, rows_kind_label(o->kind));
	switch (o->kind) {
	case KIND_FIFO:
	case KIND_MMAP:
		sb_printf(&raw, " %s", base(o->path));
		break;
	case KIND_UNIX:
		if (o->path)
			sb_printf(&raw, " %s", base(o->path));
		break;
	case KIND_TCP:
	case KIND_UDP:
		sb_printf(&raw, " %s", port(o->local));
		break;
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
	case KIND_POSIX_MQ:
		sb_printf(&raw, " %s", o->name ? o->name : base(o->path));
		break;
	case KIND_SYSV_SHM:
	case KIND_SYSV_MSG:
	case KIND_SYSV_SEM:
		if (HAS(o->key) && o->key)
			sb_printf(&raw, " 0x%08" PRIx32, (uint32_t)o->key);
		else
			sb_printf(&raw, " id %" PRId64, o->ipcid);
		break;
	case KIND_MEMFD:
		sb_printf(&raw, " %s", o->name ? o->name : "");
		break;
	default:
		break;
	}
	struct strbuf esc;
	sb_init(&esc);
	rows_escape(&esc, sb_str(&raw), true);
	rows_fit_middle(sb, sb_str(&esc), LABEL_MAX, true);
	sb_free(&esc);
	sb_free(&raw);
}

static int find(int *parent, int i)
{
	while (parent[i] != i)
		i = parent[i] = parent[parent[i]];
	return i;
}

static int cmp_pid_t(const void *pa, const void *pb)
{
	pid_t a = *(const pid_t *)pa, b = *(const pid_t *)pb;
	return (a > b) - (a < b);
}

/* Nodes are made once, sorted by pid, from every holder of the rows. */
static void make_nodes(struct layout *l, const struct rows_obj *rows, size_t n)
{
	pid_t *pids = NULL;
	size_t np = 0, cap = 0;
	struct strbuf sb;

	for (size_t i = 0; i < n; i++)
		for (int side = 0; side < 2; side++) {
			const struct ipc_object *o = side ? rows[i].peer : rows[i].obj;
			for (size_t j = 0; o && j < o->neps; j++) {
				if (o->eps[j].via != VIA_FD && o->eps[j].via != VIA_MAP)
					continue;
				if (np == cap) {
					cap = cap ? 2 * cap : 64;
					pids = xreallocarray(pids, cap, sizeof(*pids));
				}
				pids[np++] = o->eps[j].pid;
			}
		}
	if (np > 1)
		qsort(pids, np, sizeof(*pids), cmp_pid_t);
	l->nodes = xcalloc(np + 1, sizeof(*l->nodes));
	sb_init(&sb);
	for (size_t i = 0; i < np; i++) {
		if (i && pids[i] == pids[i - 1])
			continue;
		struct node *nd = &l->nodes[l->nn++];
		const struct ipc_process *p = snapshot_process(l->s, pids[i]);
		nd->pid = pids[i];
		sb_reset(&sb);
		rows_escape(&sb, p && p->comm ? p->comm : "?", true);
		snprintf(nd->name, sizeof(nd->name), "%.*s", BOX_MAX - 4, sb_str(&sb));
	}
	sb_free(&sb);
	free(pids);
}

static int node_of(const struct layout *l, pid_t pid)
{
	size_t lo = 0, hi = l->nn;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->nodes[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->nn && l->nodes[lo].pid == pid ? (int)lo : -1;
}

static void add_edge(struct layout *l, int a, int b, int dir, const char *label,
		     enum obj_kind kind)
{
	struct edge *e = NULL;

	if (a == b)
		return;
	if (a > b) {
		int t = a;
		a = b;
		b = t;
		dir = -dir;
	}
	for (int i = l->first[a]; i >= 0; i = l->edges[i].next)
		if (l->edges[i].b == b)
			e = &l->edges[i];
	if (!e) {
		if (l->ne == l->ecap) {
			l->ecap = l->ecap ? 2 * l->ecap : 16;
			l->edges = xreallocarray(l->edges, l->ecap, sizeof(*l->edges));
		}
		e = &l->edges[l->ne];
		memset(e, 0, sizeof(*e));
		e->a = a;
		e->b = b;
		e->next = l->first[a];
		l->first[a] = (int)l->ne++;
	}
	if (e->nlabels == LABELS_MAX) {
		e->more++;
		return;
	}
	e->dir[e->nlabels] = dir;
	e->kind[e->nlabels] = (signed char)kind;
	e->label[e->nlabels++] = xstrdup(label);
}

/* Holders by fd or mapping: mode bits 1 read, 2 write. */
static void object_edges(struct layout *l, const struct ipc_object *o,
			 const struct ipc_object *peer)
{
	int idx[32];
	unsigned mode[32];
	size_t n = 0;
	struct strbuf lab;

	for (int side = 0; side < 2; side++) {
		const struct ipc_object *x = side ? peer : o;
		for (size_t i = 0; x && i < x->neps; i++) {
			const struct ipc_endpoint *e = &x->eps[i];
			unsigned m = e->mode == MODE_R ? 1 : e->mode == MODE_W ? 2 : 3;
			size_t k;
			if (e->via != VIA_FD && e->via != VIA_MAP)
				continue;
			if (peer)
				m = side ? 4 : 8; /* the two ends of a socket pair */
			int nd = node_of(l, e->pid);
			if (nd < 0)
				continue;
			for (k = 0; k < n && idx[k] != nd; k++)
				;
			if (k == n) {
				if (n == 32)
					continue;
				idx[n] = nd;
				mode[n++] = 0;
			}
			mode[k] |= m;
		}
	}
	if (n < 2)
		return;
	sb_init(&lab);
	graph_label(&lab, o);
	if (n >= HUB_MIN && !peer) {
		/* a star of edges would hide everything else */
		sb_printf(&lab, " shared by %zu processes:", n);
		for (size_t i = 0; i < n && i < 8; i++)
			sb_printf(&lab, " %d %s", (int)l->nodes[idx[i]].pid, l->nodes[idx[i]].name);
		if (n > 8)
			sb_puts(&lab, " ...");
		l->hubs = xreallocarray(l->hubs, l->nhubs + 1, sizeof(char *));
		l->hub_kind = xreallocarray(l->hub_kind, l->nhubs + 1, 1);
		l->hub_kind[l->nhubs] = (signed char)o->kind;
		l->hubs[l->nhubs++] = xstrdup(sb_str(&lab));
		sb_free(&lab);
		return;
	}
	bool directed = false;
	for (size_t i = 0; i < n; i++)
		directed |= mode[i] == 2;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			int dir = 0;
			if (peer) {
				if (!((mode[i] & 8 && mode[j] & 4) || (mode[i] & 4 && mode[j] & 8)))
					continue;
			} else if (directed) {
				if (mode[i] == 2 && mode[j] & 1)
					dir = 1;
				else if (mode[j] == 2 && mode[i] & 1)
					dir = -1;
				else
					continue;
			} else if (i != 0) {
				continue; /* a star from the first holder */
			}
			add_edge(l, idx[i], idx[j], dir, sb_str(&lab), o->kind);
			int a = find(l->parent, idx[i]), b = find(l->parent, idx[j]);
			if (a != b)
				l->parent[a > b ? a : b] = a < b ? a : b;
		}
	}
	sb_free(&lab);
}

/* --- the grid ------------------------------------------------------------ */

static void put(struct graph *g, int x, int y, uint32_t cp, enum graph_attr a, int kind)
{
	if (x < 0 || y < 0 || x >= g->w)
		return;
	if (y >= g->h) {
		int h = y + 16;
		size_t cells = (size_t)g->w * (size_t)h, old = (size_t)g->w * (size_t)g->h;
		g->ch = xreallocarray(g->ch, cells, sizeof(*g->ch));
		g->attr = xreallocarray(g->attr, cells, 1);
		g->kind = xreallocarray(g->kind, cells, 1);
		for (size_t i = old; i < cells; i++) {
			g->ch[i] = ' ';
			g->attr[i] = GA_NONE;
			g->kind[i] = -1;
		}
		g->h = h;
	}
	size_t i = (size_t)y * (size_t)g->w + (size_t)x;
	g->ch[i] = cp;
	g->attr[i] = (unsigned char)a;
	g->kind[i] = (signed char)kind;
}

/* ASCII text (escaped names and labels are ASCII here). */
static int text(struct graph *g, int x, int y, const char *s, int max, enum graph_attr a, int kind)
{
	int i;

	for (i = 0; s[i] && i < max; i++)
		put(g, x + i, y, (unsigned char)s[i], a, kind);
	return i;
}

struct glyphs {
	uint32_t h, v, tl, tr, bl, br, right, left;
};

static void box(struct graph *g, const struct glyphs *gl, const struct node *n, int w, int h)
{
	char pid[16];

	for (int i = 1; i < w - 1; i++) {
		put(g, n->x + i, n->y, gl->h, GA_BOX, -1);
		put(g, n->x + i, n->y + h - 1, gl->h, GA_BOX, -1);
	}
	for (int j = 1; j < h - 1; j++) {
		put(g, n->x, n->y + j, gl->v, GA_BOX, -1);
		put(g, n->x + w - 1, n->y + j, gl->v, GA_BOX, -1);
	}
	put(g, n->x, n->y, gl->tl, GA_BOX, -1);
	put(g, n->x + w - 1, n->y, gl->tr, GA_BOX, -1);
	put(g, n->x, n->y + h - 1, gl->bl, GA_BOX, -1);
	put(g, n->x + w - 1, n->y + h - 1, gl->br, GA_BOX, -1);
	snprintf(pid, sizeof(pid), "%d", (int)n->pid);
	text(g, n->x + 2, n->y + 1, pid, w - 4, GA_PID, -1);
	text(g, n->x + 2, n->y + 2, n->name, w - 4, GA_COMM, -1);
}

static int box_width(const struct node *n)
{
	char pid[16];
	int w = snprintf(pid, sizeof(pid), "%d", (int)n->pid);
	int c = (int)strlen(n->name);

	return (c > w ? c : w) + 4;
}

/* One labelled line from x0 to x1 (exclusive), arrow by dir. */
static void edge_line(struct graph *g, const struct glyphs *gl, int x0, int x1, int y,
		      const char *label, int dir, int kind)
{
	int x = x0;

	if (dir < 0)
		put(g, x++, y, gl->left, GA_EDGE, kind);
	put(g, x++, y, gl->h, GA_EDGE, kind);
	x += text(g, x, y, label, x1 - x - 2, GA_LABEL, kind);
	while (x < x1 - (dir > 0))
		put(g, x++, y, gl->h, GA_EDGE, kind);
	if (dir > 0)
		put(g, x1 - 1, y, gl->right, GA_EDGE, kind);
}

static int label_len(const struct edge *e)
{
	int m = 4;

	for (int i = 0; i < e->nlabels; i++) {
		int n = (int)strlen(e->label[i]);
		m = n > m ? n : m;
	}
	return m > LABEL_MAX ? LABEL_MAX : m;
}

static struct edge *between(struct layout *l, int a, int b)
{
	if (a > b) {
		int t = a;
		a = b;
		b = t;
	}
	for (int i = l->first[a]; i >= 0; i = l->edges[i].next)
		if (l->edges[i].b == b)
			return &l->edges[i];
	return NULL;
}

static int node_width(const struct node *n)
{
	return box_width(n);
}

/* Draws the boxes of band[0..n) at row y, the edges between neighbours in
 * the gaps, and the other edges of these boxes as lines of text under the
 * band. Returns the next free row. */
static int flush(struct layout *l, struct graph *g, const struct glyphs *gl, const int *band,
		 size_t n, int y, bool *drawn)
{
	int height = 4;

	if (!n)
		return y;
	for (size_t k = 1; k < n; k++) {
		struct edge *e = between(l, band[k - 1], band[k]);
		if (e && e->nlabels + (e->more > 0) + 2 > height)
			height = e->nlabels + (e->more > 0) + 2;
	}
	for (size_t k = 0; k < n; k++) {
		struct node *nd = &l->nodes[band[k]];
		nd->y = y;
		box(g, gl, nd, node_width(nd), height);
		if (k == 0)
			continue;
		struct node *p = &l->nodes[band[k - 1]];
		struct edge *e = between(l, band[k - 1], band[k]);
		int x0 = p->x + node_width(p), x1 = nd->x;
		if (!e)
			continue;
		drawn[e - l->edges] = true;
		int flip = e->a == band[k - 1] ? 1 : -1;
		for (int j = 0; j < e->nlabels; j++)
			edge_line(g, gl, x0, x1, y + 1 + j, e->label[j], e->dir[j] * flip, e->kind[j]);
		if (e->more) {
			char more[32];
			snprintf(more, sizeof(more), "+%d more", e->more);
			edge_line(g, gl, x0, x1, y + 1 + e->nlabels, more, 0, -1);
		}
	}
	y += height;
	for (size_t k = 0; k < n; k++) {
		for (size_t ei = 0; ei < l->ne; ei++) {
			struct edge *e = &l->edges[ei];
			if (drawn[ei] || (e->a != band[k] && e->b != band[k]))
				continue;
			drawn[ei] = true;
			for (int j = 0; j < e->nlabels; j++) {
				struct strbuf sb;
				const struct node *a = &l->nodes[e->a], *b = &l->nodes[e->b];
				sb_init(&sb);
				sb_printf(&sb, "%d %s %s %s %s %d %s", (int)a->pid, a->name,
					  e->dir[j] < 0 ? "<-" : "--", e->label[j],
					  e->dir[j] > 0 ? "->" : "--", (int)b->pid, b->name);
				put(g, 2, y, gl->bl, GA_NOTE, -1);
				text(g, 4, y, sb_str(&sb), g->w - 4, GA_NOTE, e->kind[j]);
				sb_free(&sb);
				y++;
			}
		}
	}
	return y + 1; /* a blank line between bands */
}

/* Each component becomes a chain of boxes: it starts at a node of least
 * degree and goes on to a neighbour of the last box when it can, so
 * producer -> consumer <- producer lies in one line with every edge in a
 * gap. Components are packed into bands, split only when wider than one. */
static void place(struct layout *l, struct graph *g, const struct glyphs *gl)
{
	size_t nn = l->nn;
	int *deg = xcalloc(nn + 1, sizeof(int)), *comp = xcalloc(nn + 1, sizeof(int));
	int *band = xcalloc(nn + 1, sizeof(int));
	bool *seen = xcalloc(nn + 1, sizeof(bool)), *placed = xcalloc(nn + 1, sizeof(bool));
	bool *drawn = xcalloc(l->ne + 1, sizeof(bool));
	size_t nb = 0;
	int y = 0, x = 0;

	for (size_t e = 0; e < l->ne; e++) {
		deg[l->edges[e].a]++;
		deg[l->edges[e].b]++;
	}
	for (size_t r = 0; r < nn; r++) {
		size_t nc = 0, qh = 0;
		if (seen[r])
			continue;
		/* the component of r */
		seen[r] = true;
		comp[nc++] = (int)r;
		while (qh < nc) {
			int u = comp[qh++];
			for (size_t e = 0; e < l->ne; e++) {
				const struct edge *ed = &l->edges[e];
				int v = ed->a == u ? ed->b : ed->b == u ? ed->a : -1;
				if (v >= 0 && !seen[v]) {
					seen[v] = true;
					comp[nc++] = v;
				}
			}
		}
		/* its chain */
		int chain_w = 0, cur = comp[0];
		for (size_t i = 1; i < nc; i++)
			if (deg[comp[i]] < deg[cur])
				cur = comp[i];
		size_t start = nb;
		for (size_t done = 0; done < nc; done++) {
			placed[cur] = true;
			int nx = -1;
			for (size_t k = nb + 1; k-- > start && nx < 0;) {
				int u = k == nb ? cur : band[k];
				for (size_t i = 0; i < nc; i++) {
					int v = comp[i];
					if (!placed[v] && between(l, u, v) &&
					    (nx < 0 || deg[v] < deg[nx]))
						nx = v;
				}
			}
			band[nb++] = cur;
			if (nx < 0)
				break;
			cur = nx;
		}
		nc = nb - start;
		for (size_t i = 0; i < nc; i++) {
			struct edge *e = i ? between(l, band[start + i - 1], band[start + i]) : NULL;
			chain_w += node_width(&l->nodes[band[start + i]]);
			if (i)
				chain_w += e ? label_len(e) + 5 : 6;
		}
		/* into bands: a new band when the whole chain does not fit */
		if (x > 0 && x + 3 + chain_w > g->w) {
			y = flush(l, g, gl, band, start, y, drawn);
			memmove(band, band + start, nc * sizeof(int));
			start = 0;
			x = 0;
		}
		for (size_t i = 0; i < nc; i++) {
			int v = band[start + i];
			struct node *nd = &l->nodes[v];
			int bw = node_width(nd), gap;
			struct edge *e = start + i > 0 ? between(l, band[start + i - 1], v) : NULL;
			gap = start + i == 0 ? 0 : e ? label_len(e) + 5 : i > 0 ? 6 : 3;
			if (x > 0 && x + gap + bw > g->w) {
				y = flush(l, g, gl, band, start + i, y, drawn);
				memmove(band, band + start + i, (nc - i) * sizeof(int));
				start = 0;
				nc -= i;
				i = 0;
				x = 0;
				gap = 0;
				v = band[0];
				nd = &l->nodes[v];
			}
			nd->x = x + gap;
			x = nd->x + bw;
		}
		nb = start + nc;
	}
	y = flush(l, g, gl, band, nb, y, drawn);
	for (size_t h = 0; h < l->nhubs; h++) {
		put(g, 0, y, '*', GA_NOTE, l->hub_kind[h]);
		text(g, 2, y++, l->hubs[h], g->w - 2, GA_NOTE, l->hub_kind[h]);
	}
	free(deg);
	free(comp);
	free(band);
	free(seen);
	free(placed);
	free(drawn);
}

struct graph *graph_layout(const struct snapshot *s, const struct rows_obj *rows, size_t n,
			   int width, bool ascii)
{
	struct layout l = { .s = s, .ascii = ascii };
	struct graph *g = xcalloc(1, sizeof(*g));
	static const struct glyphs uni = { 0x2500, 0x2502, 0x250c, 0x2510, 0x2514, 0x2518,
					   0x25b6, 0x25c0 };
	static const struct glyphs asc = { '-', '|', '+', '+', '+', '+', '>', '<' };

	g->w = width > 8 ? width : 8;
	/* nodes first (sorted by pid) so components and BFS are stable */
	make_nodes(&l, rows, n);
	l.parent = xcalloc(l.nn + 1, sizeof(int));
	l.first = xcalloc(l.nn + 1, sizeof(int));
	for (size_t i = 0; i < l.nn; i++) {
		l.parent[i] = (int)i;
		l.first[i] = -1;
	}
	for (size_t i = 0; i < n; i++)
		if (rows[i].obj)
			object_edges(&l, rows[i].obj, rows[i].peer);
	/* only processes with an edge are boxes */
	size_t kept = 0;
	int *map = xcalloc(l.nn + 1, sizeof(int));
	for (size_t i = 0; i < l.nn; i++) {
		bool used = false;
		for (size_t e = 0; e < l.ne && !used; e++)
			used = l.edges[e].a == (int)i || l.edges[e].b == (int)i;
		map[i] = used ? (int)kept : -1;
		if (used)
			l.nodes[kept++] = l.nodes[i];
	}
	int *parent = xcalloc(kept + 1, sizeof(int));
	for (size_t i = 0; i < kept; i++)
		parent[i] = (int)i;
	for (size_t i = 0; i < kept; i++)
		l.first[i] = -1;
	for (size_t e = 0; e < l.ne; e++) {
		l.edges[e].a = map[l.edges[e].a];
		l.edges[e].b = map[l.edges[e].b];
		l.edges[e].next = l.first[l.edges[e].a];
		l.first[l.edges[e].a] = (int)e;
		int a = find(parent, l.edges[e].a), b = find(parent, l.edges[e].b);
		if (a != b)
			parent[a > b ? a : b] = a < b ? a : b;
	}
	free(map);
	free(l.parent);
	l.parent = parent;
	l.nn = kept;
	g->nodes = l.nn;
	g->edges = l.ne;
	put(g, 0, 0, ' ', GA_NONE, -1); /* at least one row */
	place(&l, g, ascii ? &asc : &uni);
	/* cut the trailing blank rows */
	while (g->h > 1) {
		bool blank = true;
		for (int x = 0; x < g->w && blank; x++)
			blank = g->ch[(size_t)(g->h - 1) * (size_t)g->w + (size_t)x] == ' ';
		if (!blank)
			break;
		g->h--;
	}
	for (size_t e = 0; e < l.ne; e++)
		for (int j = 0; j < l.edges[e].nlabels; j++)
			free(l.edges[e].label[j]);
	free(l.edges);
	for (size_t h = 0; h < l.nhubs; h++)
		free(l.hubs[h]);
	free(l.hubs);
	free(l.hub_kind);
	free(l.nodes);
	free(l.parent);
	free(l.first);
	return g;
}

void graph_free(struct graph *g)
{
	if (!g)
		return;
	free(g->ch);
	free(g->attr);
	free(g->kind);
	free(g);
}

void graph_line(const struct graph *g, int y, struct strbuf *out)
{
	int end = g->w;

	if (y < 0 || y >= g->h)
		return;
	const uint32_t *row = g->ch + (size_t)y * (size_t)g->w;
	while (end > 0 && row[end - 1] == ' ')
		end--;
	for (int x = 0; x < end; x++) {
		uint32_t c = row[x];
		if (c < 0x80) {
			sb_putc(out, (char)c);
		} else if (c < 0x800) {
			sb_putc(out, (char)(0xc0 | (c >> 6)));
			sb_putc(out, (char)(0x80 | (c & 0x3f)));
		} else {
			sb_putc(out, (char)(0xe0 | (c >> 12)));
			sb_putc(out, (char)(0x80 | ((c >> 6) & 0x3f)));
			sb_putc(out, (char)(0x80 | (c & 0x3f)));
		}
	}
}
