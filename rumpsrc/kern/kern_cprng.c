/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_cprng.c: cryptographic-quality random numbers for the rump kernel
 * (cprng_fill, cprng_u32; declared in sys/systm.h).
 *
 * The host's random source is the only source: every request goes to
 * rumpuser_getrandom() without RUMPUSER_RANDOM_NOWAIT, which fills the
 * whole buffer (the host pool is seeded long before a rump kernel boots,
 * so this does not block in practice).  Callers: TCP initial sequence
 * numbers, ephemeral ports, IP ids, file system generation numbers.
 */
#include <sys/systm.h>
#include <rump/rumpuser.h>

void
cprng_fill(void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t got;
	int error;

	while (len > 0) {
		got = 0;
		error = rumpuser_getrandom(p, len, 0, &got);
		/* Without NOWAIT the host must fill all of it or fail. */
		if (error != 0 || got == 0 || got > len)
			panic("cprng: host random source failed: error %d, "
			    "%zu of %zu bytes", error, got, len);
		p += got;
		len -= got;
	}
}

uint32_t
cprng_u32(void)
{
	uint32_t v;

	cprng_fill(&v, sizeof(v));
	return v;
}
