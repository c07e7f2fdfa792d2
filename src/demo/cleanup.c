/* ipcdemo --cleanup: remove what runs killed with SIGKILL left behind.
 * A run's state file lists its workers and named objects; a run is dead
 * when its pid is no longer an ipcdemo.  Names that carry the pid of a dead
 * run are swept too, in case a kill came between creating an object and
 * recording it.
 */
#include "config.h"

#include "demo.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Is pid a live ipcdemo supervisor (or this process)? */
int demo_pid_is_ipcdemo(pid_t pid)
{
	char p[64], comm[32] = "";
	FILE *f;

	if (pid <= 0)
		return 0;
	if (pid == getpid())
		return 1;
	if (kill(pid, 0) && errno == ESRCH)
		return 0;
	snprintf(p, sizeof(p), "/proc/%d/comm", (int)pid);
	f = fopen(p, "r");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = 0;
	fclose(f);
	comm[strcspn(comm, "\n")] = 0;
	return !strcmp(comm, "ipcdemo");
}

/* Is pid alive (not a zombie) and named name? */
static int demo_comm_is(pid_t pid, const char *name)
{
	char p[64], buf[256], *rp;
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	f = fopen(p, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	/* "PID (COMM) STATE …"; COMM may hold spaces and parentheses */
	rp = strrchr(buf, ')');
	if (!rp || rp[1] != ' ' || rp[2] == 'Z' || rp[2] == 'X')
		return 0;
	*rp = 0;
	rp = strchr(buf, '(');
	return rp && !strcmp(rp + 1, name);
}

static const char *undash(const char *s)
{
	return strcmp(s, "-") ? s : "";
}

/* Clean up after one dead run described by a state file; count removals. */
static int demo_cleanup_state(const char *file, bool quiet)
{
	FILE *f = fopen(file, "r");
	char line[512], kind[32], name[128], path[256];
	int count = 0, rm, key, pid;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "proc %d %31s", &pid, name) == 2) {
			if (pid > 1 && demo_comm_is(pid, name) &&
			    !kill(pid, SIGKILL)) {
				count++;
				if (!quiet)
					printf("killed %s[%d]\n", name, pid);
			}
		} else if (sscanf(line, "obj %d %31s %d %127s %255s", &rm, kind,
				  &key, name, path) == 5) {
			if (demo_rm_one((enum demo_rm)rm, undash(name),
					undash(path), key, -1) == 0) {
				count++;
				if (!quiet && key)
					printf("removed %s key 0x%08x\n", kind,
					       (unsigned int)key);
				else if (!quiet)
					printf("removed %s %s\n", kind,
					       *undash(path) ? undash(path) :
					       undash(name));
			}
		}
	}
	fclose(f);
	unlink(file);
	return count;
}

/* "ipcdemo.1234.ring" → 1234 (after the given prefix), or -1. */
static pid_t demo_name_pid(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long pid;

	if (strncmp(name, prefix, n))
		return -1;
	pid = strtol(name + n, &end, 10);
	if (end == name + n || (*end && *end != '.') || pid <= 0)
		return -1;
	return (pid_t)pid;
}

static int demo_sweep(const char *dir, const char *prefix, enum demo_rm rm,
		      bool quiet)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512], name[300];
	int count = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		pid_t pid = demo_name_pid(e->d_name, prefix);

		if (pid < 0 || demo_pid_is_ipcdemo(pid))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(name, sizeof(name), "/%s", e->d_name);
		if (demo_rm_one(rm, name, path, 0, -1) == 0) {
			count++;
			if (!quiet)
				printf("removed %s\n", path);
		}
	}
	closedir(d);
	return count;
}

int demo_cleanup_leftovers(bool quiet)
{
	char dir[200], file[512];
	DIR *d;
	struct dirent *e;
	int count = 0;

	demo_state_dir(dir, sizeof(dir));
	d = opendir(dir);
	if (d) {
		while ((e = readdir(d))) {
			char *end;
			long pid = strtol(e->d_name, &end, 10);

			if (end == e->d_name || pid <= 0)
				continue;
			if (*end == 0 && demo_pid_is_ipcdemo((pid_t)pid))
				continue;	/* still running */
			snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
			if (*end)	/* a stale "PID.tmp" */
				unlink(file);
			else
				count += demo_cleanup_state(file, quiet);
		}
		closedir(d);
		rmdir(dir);
	}
	/* objects a state file missed (a kill between create and record) */
	count += demo_sweep("/dev/shm", "ipcdemo.", DEMO_RM_UNLINK, quiet);
	count += demo_sweep("/dev/shm", "sem.ipcdemo.", DEMO_RM_UNLINK, quiet);
	count += demo_sweep("/dev/mqueue", "ipcdemo.", DEMO_RM_MQ, quiet);
	count += demo_sweep("/tmp", "ipcdemo.", DEMO_RM_RMDIR, quiet);
	if (!quiet)
		printf("ipcdemo: %d leftover%s removed\n", count,
		       count == 1 ? "" : "s");
	return count;
}
