#include "config.h"

#include "posix_parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static int parse_num(const char *s, size_t len, int64_t *out)
{
	char buf[24], *end;
	long long v;

	if (len == 0 || len >= sizeof(buf) || s[0] == '-' || s[0] == '+')
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int posix_parse_mq_text(const char *text, struct posix_mq_text *out)
{
	static const char ws[] = " \t\n";
	const char *p = text;

	out->qsize = out->notify = out->signo = out->notify_pid = NONE;
	if (!text)
		return -1;
	for (;;) {
		const char *colon, *val;
		size_t len, klen;
		int64_t v, *field = NULL;

		p += strspn(p, ws);
		if (!*p)
			break;
		len = strcspn(p, ws);
		colon = memchr(p, ':', len);
		if (!colon || colon == p)
			return -1; /* a truncated or foreign token */
		klen = (size_t)(colon - p);
		val = colon + 1;
		if (parse_num(val, len - klen - 1, &v) < 0)
			return -1;
		if (klen == 5 && memcmp(p, "QSIZE", 5) == 0)
			field = &out->qsize;
		else if (klen == 6 && memcmp(p, "NOTIFY", 6) == 0)
			field = &out->notify;
		else if (klen == 5 && memcmp(p, "SIGNO", 5) == 0)
			field = &out->signo;
		else if (klen == 10 && memcmp(p, "NOTIFY_PID", 10) == 0)
			field = &out->notify_pid;
		if (field) /* keys a newer kernel may add are skipped */
			*field = v;
		p += len;
	}
	return HAS(out->qsize) ? 0 : -1;
}

int posix_sem_decode(const void *buf, size_t len, enum posix_sem_layout layout,
		     struct posix_sem_state *out)
{
	out->value = out->nwaiters = NONE;
	if (layout == POSIX_SEM_LAYOUT_64) {
		uint64_t data;

		if (len < sizeof(data))
			return -1;
		memcpy(&data, buf, sizeof(data));
		if ((data & 0xffffffffu) > INT32_MAX) /* SEM_VALUE_MAX */
			return -1;
		out->value = (int64_t)(data & 0xffffffffu);
		out->nwaiters = (int64_t)(data >> 32);
	} else {
		uint32_t w[4];

		if (len < sizeof(w))
			return -1;
		memcpy(w, buf, sizeof(w));
		out->value = w[0] >> 1; /* SEM_VALUE_SHIFT */
		out->nwaiters = w[3];
	}
	return 0;
}

bool posix_is_sem_entry(const char *dname)
{
	return strncmp(dname, "sem.", 4) == 0 && dname[4] != '\0';
}

bool posix_shm_path_name(const char *path, const char **name)
{
	static const char pfx[] = "/dev/shm/";

	if (strncmp(path, pfx, sizeof(pfx) - 1) != 0)
		return false;
	path += sizeof(pfx) - 1;
	if (!*path || strchr(path, '/'))
		return false;
	*name = path;
	return true;
}

bool posix_mq_fd_name(const char *target)
{
	return target[0] == '/' && target[1] != '\0' && !strchr(target + 1, '/');
}

bool posix_memfd_name(const char *path, const char **name)
{
	if (strncmp(path, "/memfd:", 7) != 0)
		return false;
	*name = path + 7;
	return true;
}

static bool has_prefix(const char *s, const char *pfx)
{
	return strncmp(s, pfx, strlen(pfx)) == 0;
}

enum posix_map_class posix_map_classify(const char *path)
{
	if (path[0] != '/')
		return MAPC_OTHER;
	if (has_prefix(path, "/dev/shm/"))
		return MAPC_SHM;
	/* shmem_zero_setup() names a MAP_SHARED|MAP_ANONYMOUS area "dev/zero";
	 * with MAP_HUGETLB, hugetlbfs names it "anon_hugepage" */
	if (strcmp(path, "/dev/zero") == 0 || strcmp(path, "/anon_hugepage") == 0)
		return MAPC_ANON_SHARED;
	if (has_prefix(path, "/dev/"))
		return MAPC_DEVICE;
	if (has_prefix(path, "/SYSV"))
		return MAPC_SYSV;
	if (has_prefix(path, "/memfd:"))
		return MAPC_MEMFD;
	if (has_prefix(path, "/[") || has_prefix(path, "/drm mm object"))
		return MAPC_KERNEL;
	return MAPC_FILE;
}
