/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_demoffs.c: the userspace twin of rump_demoffs.ko, run by
 * `make check` (test-user, test-asan, test-tsan).
 *
 * It runs, on the userspace rump kernel (the POSIX hypervisor), the very
 * code the Linux module runs: demos/ffs/demoffs.c, #included rather
 * than linked (as host_demofs.c does with the tmpfs demo), against images
 * made in this run by scripts/mkffsimage.sh (the script the guest test
 * uses; found relative to the current directory, the top of the tree, or
 * through $RUMP_TOP).
 *
 * Cases, for UFS2 and UFS1 images (each on a fresh rump kernel, with the
 * hypervisor's and kmem's leak counters checked after rump_shutdown):
 *   demo.ffs.<v>_run            demoffs_run() returns 0 and prints "ok"
 *   demo.ffs.<v>_write_readback only when the write step ran: the demo
 *                               wrote, remounted and read back its file
 *                               and directory (required; see below).
 *   demo.ffs.<v>_no_leaks       nothing left after shutdown
 * The write path is required (FFS writes): an unavailable one fails
 * demo.ffs.<v>_write_readback.  FFS_WRITE=0 in the environment makes it
 * optional again (for a build without FFS write support).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "host_clean.h"
#include "ktest_host.h"

#include "../../demos/ffs/demoffs.c"

static int hdf_said_ok;

static void hdf_printf(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("rump_demoffs: %s\n", line);
	if (strncmp(line, "ok", 2) == 0)
		hdf_said_ok = 1;
}

static void *hdf_alloc(rump_size_t size)
{
	return malloc(size);
}

static void hdf_free(void *p)
{
	free(p);
}

/* Path of scripts/mkffsimage.sh into buf; -1 if not found. */
static int hdf_find_script(char *buf, size_t len)
{
	const char *top = getenv("RUMP_TOP");

	snprintf(buf, len, "%s/scripts/mkffsimage.sh", top ? top : ".");
	return access(buf, X_OK) == 0 ? 0 : -1;
}

/* One image version: make it, run the demo on it; returns failures. */
static int hdf_variant(const char *dir, const char *script, int version,
    int want_write)
{
	struct demoffs_env env = {
		.de_printf = hdf_printf,
		.de_alloc = hdf_alloc,
		.de_free = hdf_free,
	};
	struct demoffs_result res;
	char img[256], cmd[768], msg[256];
	int nfail = 0, rv;

	snprintf(img, sizeof(img), "%s/ufs%d.img", dir, version);
	snprintf(cmd, sizeof(cmd), "%s %s %d", script, img, version);
	if (system(cmd) != 0) {
		printf("FAIL: demo.ffs.ufs%d_run: %s failed\n", version, cmd);
		return 1;
	}
	env.de_device = img;
	hdf_said_ok = 0;
	rv = rump_init();
	if (rv != 0) {
		printf("FAIL: demo.ffs.ufs%d_run: rump_init: error %d\n",
		    version, rv);
		return 1;
	}
	rv = demoffs_run(&env, &res);
	if (rv != 0) {
		printf("FAIL: demo.ffs.ufs%d_run: error %d\n", version, rv);
		nfail++;
	} else if (!hdf_said_ok) {
		printf("FAIL: demo.ffs.ufs%d_run: no \"ok\" line\n", version);
		nfail++;
	} else {
		printf("PASS: demo.ffs.ufs%d_run (%d files, %lld bytes)\n",
		    version, res.dr_nfiles, res.dr_nbytes);
	}
	if (rv == 0 && res.dr_write_ran) {
		printf("PASS: demo.ffs.ufs%d_write_readback\n", version);
	} else if (rv == 0 && want_write) {
		printf("FAIL: demo.ffs.ufs%d_write_readback: FFS_WRITE=1 but "
		    "the write path is unavailable\n", version);
		nfail++;
	}
	if (host_shutdown_clean(msg, sizeof(msg)) != 0) {
		printf("FAIL: demo.ffs.ufs%d_no_leaks: %s\n", version, msg);
		nfail++;
	} else {
		printf("PASS: demo.ffs.ufs%d_no_leaks\n", version);
	}
	unlink(img);
	snprintf(img, sizeof(img), "%s/ufs%d.img.md5", dir, version);
	unlink(img);
	return nfail;
}

int main(void)
{
	char dir[] = "/tmp/host_demoffs.XXXXXX";
	char script[512];
	const char *fw = getenv("FFS_WRITE");
	int nfail = 0, want_write = fw == NULL || strcmp(fw, "0") != 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (hdf_find_script(script, sizeof(script)) != 0) {
		printf("FAIL: demo.ffs.setup: %s not found (run from the top "
		    "of the tree or set RUMP_TOP)\n", script);
		return 1;
	}
	if (mkdtemp(dir) == NULL) {
		printf("FAIL: demo.ffs.setup: mkdtemp failed\n");
		return 1;
	}
	nfail += hdf_variant(dir, script, 2, want_write);
	nfail += hdf_variant(dir, script, 1, want_write);
	if (rmdir(dir) != 0)
		printf("host_demoffs: could not remove %s\n", dir);
	return nfail == 0 ? 0 : 1;
}
