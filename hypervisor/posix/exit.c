/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exit.c: termination of the process hosting a rump kernel.
 *
 * rumpuser_exit(RUMPUSER_PANIC) is the rump kernel's panic: report where we
 * are (a backtrace of the panicking thread) and abort() so that a core or
 * the sanitizer shows the rest.  Any other value is a normal exit status.
 */
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hyp.h"

#define HYP_PANIC_FRAMES	64

void
rumpuser_exit(int value)
{
	void *frames[HYP_PANIC_FRAMES];
	int n;

	if (value != RUMPUSER_PANIC) {
		hyp_console_flush();
		exit(value);
	}
	hyp_console_flush();
	fprintf(stderr, "rumpuser (posix): rump kernel panic, lwp %p; "
	    "backtrace:\n", (void *)rumpuser_curlwp());
	n = backtrace(frames, HYP_PANIC_FRAMES);
	backtrace_symbols_fd(frames, n, STDERR_FILENO);
	abort();
}
