/* For tests/live/churn.py: one refresh through the fd-table cache per line
 * read on stdin, printed as one JSON document (schema 1) on one line, then
 * "stats reused=N read=N facts_dumped=N". The cache lives as long as the program, as it
 * does in ipctop's refresh loop. */
#include "config.h"

#include <stdio.h>

#include "ctx.h"
#include "history.h"
#include "output.h"
#include "scan.h"
#include "strbuf.h"

int main(void)
{
	struct scan_cache *cache = scan_cache_new();
	struct snapshot *prev = NULL;
	struct strbuf sb;
	struct ipc_ctx ctx;
	char line[64];

	if (ctx_init(&ctx, "/") < 0)
		return 2;
	ctx.kinds = KIND_ALL;
	sb_init(&sb);
	while (fgets(line, sizeof(line), stdin)) {
		struct snapshot *s = scan_snapshot_cached(&ctx, cache);
		size_t reused, nread;

		if (!s)
			return 1;
		history_apply(prev, s);
		snapshot_free(prev);
		prev = s;
		sb_reset(&sb);
		output_json(&sb, s);
		scan_cache_stats(cache, &reused, &nread);
		if (sb_write(&sb, stdout) < 0 ||
		    printf("stats reused=%zu read=%zu facts_dumped=%zu\n", reused, nread,
			   scan_cache_facts_dumped(cache)) < 0 ||
		    fflush(stdout))
			return 1;
	}
	snapshot_free(prev);
	scan_cache_free(cache);
	sb_free(&sb);
	ctx_fini(&ctx);
	return 0;
}
