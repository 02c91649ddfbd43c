/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_optional.c: the optional hypercall groups, answered honestly.
 *
 * - rumpuser_dl_bootstrap: a userspace hypervisor walks the dynamic
 *   linker's list of loaded objects to find rump kernel modules and
 *   components.  Inside a Linux module there is no dynamic loader: the
 *   whole rump kernel is one prelinked object and it registers its
 *   components itself, so there is nothing to hand over and this does
 *   nothing.
 * - rumpuser_daemonize_*: there is no process to detach from a terminal;
 *   both report ENOSYS.
 * - rumpuser_sp_*: remote system calls (sysproxy) need a socket server in
 *   the host process; not provided, every call reports ENOSYS.
 */
#include <linux/kernel.h>

#include "hyp.h"

void
rumpuser_dl_bootstrap(rump_modinit_fn domodinit, rump_symload_fn symload,
    rump_compload_fn compload)
{
	hyp_dbg("dl_bootstrap: no dynamic loader in the kernel host, "
	    "nothing to hand over");
}

int
rumpuser_daemonize_begin(void)
{
	return RUMP_ENOSYS;
}

int
rumpuser_daemonize_done(int error)
{
	return RUMP_ENOSYS;
}

int
rumpuser_sp_init(const char *url, const char *ostype, const char *osrelease,
    const char *machine)
{
	pr_warn_ratelimited("rump: sysproxy (%s) is not supported by the "
	    "kernel host\n", url ? url : "no url");
	return RUMP_ENOSYS;
}

int
rumpuser_sp_copyin(void *client, const void *raddr, void *laddr, size_t len)
{
	return RUMP_ENOSYS;
}

int
rumpuser_sp_copyinstr(void *client, const void *raddr, void *laddr,
    size_t *lenp)
{
	return RUMP_ENOSYS;
}

int
rumpuser_sp_copyout(void *client, const void *laddr, void *raddr, size_t len)
{
	return RUMP_ENOSYS;
}

int
rumpuser_sp_copyoutstr(void *client, const void *laddr, void *raddr,
    size_t *lenp)
{
	return RUMP_ENOSYS;
}

int
rumpuser_sp_anonmmap(void *client, size_t len, void **addrp)
{
	return RUMP_ENOSYS;
}

int
rumpuser_sp_raise(void *client, int sig)
{
	return RUMP_ENOSYS;
}

void
rumpuser_sp_fini(void *client)
{
}
