/* Object ids, formatted and ordered (model_ids.c): model.c's helpers. */
#ifndef IPCTOP_MODEL_IDS_H
#define IPCTOP_MODEL_IDS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* vsnprintf for the usual id formats; -1 when it does not know the format
 * (or no room): then vsnprintf must. */
int id_format(char *buf, size_t size, const char *fmt, va_list ap);

/* An object in the sort: its key (obj_sort_key) and its index before. */
struct obj_sortent {
	uint64_t key; /* kind << SORT_KIND_SHIFT, SORT_KEYED | number where keyed */
	size_t idx;   /* in the objects before the sort */
};

uint64_t obj_sort_key(const struct ipc_object *o);
/* A stable sort of n entries of objs by kind then id (snapshot_id_cmp);
 * tmp holds n more. Returns the buffer the sorted entries are in. */
struct obj_sortent *obj_sortent_sort(const struct ipc_object *const *objs, struct obj_sortent *a,
				     struct obj_sortent *tmp, size_t n);

#endif
