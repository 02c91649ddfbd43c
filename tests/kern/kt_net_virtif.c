/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_virtif.c: kernel-side tests of the virtual interface driver
 * (dev/virtif/if_virt.c) through its cloner and if_virt.h: two
 * interfaces of one kernel on one POSIX bus (host_ktest.c configures
 * RUMP_VIF_virt98 and RUMP_VIF_virt99 to the same bus directory), one
 * sending malformed frames raw, the other counting them.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <net/ethernet.h>
#include <net/if.h>

#include "../../rumpsrc/dev/virtif/if_virt.h"
#include "ktest.h"

/* Runts and giants are dropped and counted; a valid frame is taken. */
KTEST(virtif, runts_and_giants_counted)
{
	static uint8_t frame[1600];
	struct virtif_stats st;
	int i;

	KT_REQUIRE(if_clone_create("virt98") == 0);
	KT_CHECK(if_clone_create("virt99") == 0);
	if (ktest_failed(ctx))
		goto out_destroy;
	memset(frame, 0xff, ETHER_ADDR_LEN);	/* broadcast */
	frame[12] = 0x88;			/* an ethertype nobody knows */
	frame[13] = 0xb5;
	/* The peer may not have scanned the bus yet: retry until seen. */
	for (i = 0; i < 200; i++) {
		KT_CHECK(virtif_sendraw("virt98", frame, 10) == 0);
		KT_CHECK(virtif_sendraw("virt98", frame, sizeof(frame)) == 0);
		KT_CHECK(virtif_sendraw("virt98", frame, ETHER_MIN_FRAME) ==
		    0);
		kpause("ktvirt", false, mstohz(10), NULL);
		KT_CHECK(virtif_getstats("virt99", &st) == 0);
		if (ktest_failed(ctx) || (st.vs_rx_runts > 0 &&
		    st.vs_rx_giants > 0 && st.vs_rx_frames > 0))
			break;
	}
	KT_CHECK(st.vs_rx_runts > 0);
	KT_CHECK(st.vs_rx_giants > 0);
	KT_CHECK(st.vs_rx_frames > 0);
	KT_CHECK(virtif_getstats("virt97", &st) == ENXIO);
out_destroy:
	KT_CHECK(if_clone_destroy("virt98") == 0);
	(void)if_clone_destroy("virt99");	/* ENXIO if it failed above */
}
