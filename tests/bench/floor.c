/* The floor of a cold snapshot: open every /proc/PID/fd and readlink each
 * entry, nothing more (with -d: the readdirs alone). `make bench` times
 * ipctop against this loop; it prints the number of fds it saw. */
#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	bool readdir_only = argc > 1 && !strcmp(argv[1], "-d");
	DIR *proc = opendir("/proc");
	struct dirent *de;
	char path[300], target[4096];
	long nfds = 0;

	if (!proc) {
		perror("/proc");
		return 1;
	}
	while ((de = readdir(proc))) {
		struct dirent *fe;
		DIR *d;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", de->d_name);
		d = opendir(path);
		if (!d)
			continue;
		while ((fe = readdir(d))) {
			if (fe->d_name[0] == '.')
				continue;
			if (readdir_only || readlinkat(dirfd(d), fe->d_name, target, sizeof(target)) >= 0)
				nfds++;
		}
		closedir(d);
	}
	closedir(proc);
	printf("%ld\n", nfds);
	return 0;
}
