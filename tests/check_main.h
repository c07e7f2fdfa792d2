/* A main() for a Check test program that reports every test case as TAP on
 * stdout, so automake's tap-driver (and .ci/run) count each case. */
#ifndef IPCTOP_CHECK_MAIN_H
#define IPCTOP_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

#define CHECK_MAIN(suite_fn)                                              \
	int main(void)                                                    \
	{                                                                 \
		SRunner *sr = srunner_create(suite_fn());                 \
		srunner_set_tap(sr, "-");                                 \
		srunner_run_all(sr, CK_SILENT);                           \
		int failed = srunner_ntests_failed(sr);                   \
		srunner_free(sr);                                         \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;              \
	}

#endif
