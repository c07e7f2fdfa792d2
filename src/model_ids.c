/* Object ids: formatted (the usual formats without vsnprintf) and ordered
 * (digit runs as numbers; a sort key that makes most comparisons one of
 * integers). model.c makes and sorts the objects with them. */
#include "config.h"

#include "model_ids.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

/* An integer conversion's digits, as printf writes them, ending at end. */
static char *id_digits(char *end, unsigned long long v, bool neg)
{
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	if (neg)
		*--end = '-';
	return end;
}

/* vsnprintf for the formats ids are made with ("unix:%llu", "%s:%llu",
 * "sysv_msg:%d"): text, and %s %d %u with no, one or two 'l', and no flags,
 * width or precision. Anything else (or a NULL string, or no room) returns
 * -1, for vsnprintf to format: ids are formatted tens of thousands of times
 * a refresh. */
int id_format(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t n = 0;

	for (const char *f = fmt; *f; f++) {
		char num[24];
		const char *str = f;
		size_t len = 1;
		int longs = 0;

		if (*f == '%') {
			for (f++; *f == 'l' && longs < 2; f++)
				longs++;
			if (*f == 's' && !longs) {
				str = va_arg(ap, const char *);
				if (!str)
					return -1;
				len = strlen(str);
			} else if (*f == 'd') {
				long long v = longs == 0 ? va_arg(ap, int) :
					      longs == 1 ? va_arg(ap, long) : va_arg(ap, long long);

				str = id_digits(num + sizeof(num),
						v < 0 ? -(unsigned long long)v : (unsigned long long)v, v < 0);
				len = (size_t)(num + sizeof(num) - str);
			} else if (*f == 'u') {
				unsigned long long v = longs == 0 ? va_arg(ap, unsigned) :
						       longs == 1 ? va_arg(ap, unsigned long) :
								    va_arg(ap, unsigned long long);

				str = id_digits(num + sizeof(num), v, false);
				len = (size_t)(num + sizeof(num) - str);
			} else {
				return -1;
			}
		}
		if (len >= size - n)
			return -1;
		while (len--)
			buf[n++] = *str++;
	}
	buf[n] = '\0';
	return (int)n;
}

/* Numeric-aware id comparison so "pipe:9" sorts before "pipe:10": digit
 * runs compare as numbers (length without leading zeros, then digits),
 * without converting them: it runs n log n times a refresh. */
static int id_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			const char *ea = a, *eb = b;
			size_t la, lb;
			int c;

			while (*a == '0' && a[1] >= '0' && a[1] <= '9')
				a++;
			while (*b == '0' && b[1] >= '0' && b[1] <= '9')
				b++;
			for (ea = a; *ea >= '0' && *ea <= '9'; ea++)
				;
			for (eb = b; *eb >= '0' && *eb <= '9'; eb++)
				;
			la = (size_t)(ea - a);
			lb = (size_t)(eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			c = memcmp(a, b, la);
			if (c)
				return c;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/* Objects sort by kind, then id_cmp of their ids. Most ids are their kind's
 * name, ':' and a number ("pipe:12345"): for those the kind and the number
 * make one integer key, and two keyed objects compare as integers, as
 * id_cmp would order them. Any other id compares with id_cmp. */
#define SORT_KIND_SHIFT 58
#define SORT_KEYED ((uint64_t)1 << 57)
#define SORT_DIGITS_MAX 17 /* 10^17 < 2^57 */

_Static_assert(KIND_COUNT <= 1 << (64 - SORT_KIND_SHIFT), "kinds fit the sort key");

uint64_t obj_sort_key(const struct ipc_object *o)
{
	uint64_t key = (uint64_t)o->kind << SORT_KIND_SHIFT, n = 0;
	const char *name = kind_name(o->kind), *p = o->id;
	size_t len = 0;

	while (*name && *p == *name)
		name++, p++;
	if (*name || *p++ != ':' || !*p)
		return key;
	for (; *p >= '0' && *p <= '9'; p++, len++)
		n = n * 10 + (uint64_t)(*p - '0');
	if (*p || len > SORT_DIGITS_MAX)
		return key;
	return key | SORT_KEYED | n;
}

static inline int obj_sortent_cmp(const struct ipc_object *const *objs,
				  const struct obj_sortent *x, const struct obj_sortent *y)
{
	if ((x->key ^ y->key) >> SORT_KIND_SHIFT)
		return x->key < y->key ? -1 : 1;
	if (x->key & y->key & SORT_KEYED && x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return id_cmp(objs[x->idx]->id, objs[y->idx]->id);
}

#define SORT_RUN 16

/* Insertion sort of a[lo, hi): stable. */
static void obj_sortent_run(const struct ipc_object *const *objs, struct obj_sortent *a,
			    size_t lo, size_t hi)
{
	for (size_t i = lo + 1; i < hi; i++) {
		struct obj_sortent e = a[i];
		size_t j = i;

		for (; j > lo && obj_sortent_cmp(objs, &e, &a[j - 1]) < 0; j--)
			a[j] = a[j - 1];
		a[j] = e;
	}
}

/* A stable merge sort of n entries (runs of SORT_RUN by insertion, then
 * merged bottom-up); tmp holds n more. Returns the buffer the sorted
 * entries are in. */
struct obj_sortent *obj_sortent_sort(const struct ipc_object *const *objs, struct obj_sortent *a,
				     struct obj_sortent *tmp, size_t n)
{
	for (size_t lo = 0; lo < n; lo += SORT_RUN)
		obj_sortent_run(objs, a, lo, lo + SORT_RUN < n ? lo + SORT_RUN : n);
	for (size_t w = SORT_RUN; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;

			/* a run already in order (as a refresh's objects often are
			 * in part) is copied as it is */
			if (j == hi || obj_sortent_cmp(objs, &a[j - 1], &a[j]) <= 0) {
				memcpy(&tmp[lo], &a[lo], (hi - lo) * sizeof(*a));
				continue;
			}
			while (i < mid && j < hi)
				tmp[k++] = obj_sortent_cmp(objs, &a[j], &a[i]) < 0 ? a[j++] : a[i++];
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		struct obj_sortent *t = a;
		a = tmp;
		tmp = t;
	}
	return a;
}

int snapshot_id_cmp(const char *a, const char *b)
{
	return id_cmp(a, b);
}
