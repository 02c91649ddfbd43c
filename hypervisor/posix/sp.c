/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sp.c: the optional groups of rumpuser v17 in the POSIX hypervisor.
 *
 *  - dl_bootstrap: nothing to do.  Every component of the rump kernel is
 *    linked statically into the program and registers itself through the
 *    kernel's own component tables; there are no shared objects to scan.
 *  - daemonize_begin/done: a userspace rump server detaches with fork():
 *    the parent waits for the child to report whether the server came up
 *    and exits with that status.  Call begin before rumpuser_init (before
 *    any thread exists: fork() copies only the calling thread).
 *  - sysproxy (sp_*): remote clients are not implemented; every call fails
 *    with EOPNOTSUPP, so a kernel asking for them knows at once.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "hyp.h"

void
rumpuser_dl_bootstrap(rump_modinit_fn domodinit, rump_symload_fn symload,
    rump_compload_fn compload)
{
	/* Statically linked: nothing to hand over (see the top comment). */
	(void)domodinit;
	(void)symload;
	(void)compload;
}

/* ---- daemonising ---------------------------------------------------------- */

static int hyp_daemon_pipe = -1;	/* child's end, until done */

/* The parent half: wait for the child's verdict and exit with it. */
static void __attribute__((__noreturn__))
hyp_daemon_parent(int rfd)
{
	int status;
	ssize_t n;

	do {
		n = read(rfd, &status, sizeof(status));
	} while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof(status)) {
		/* The child died before it reported. */
		_exit(EXIT_FAILURE);
	}
	_exit(status);
}

int
rumpuser_daemonize_begin(void)
{
	int fds[2], err;
	pid_t pid;

	if (hyp_daemon_pipe != -1)
		return RUMP_EBUSY;
	if (pipe2(fds, O_CLOEXEC) == -1)
		return hyp_errno_to_rump(errno);

	pid = fork();
	if (pid == -1) {
		err = errno;
		goto err_close_pipe;
	}
	if (pid > 0) {
		/* Closing our copy only matters for EOF on the child's death. */
		(void)close(fds[1]);
		hyp_daemon_parent(fds[0]);
	}
	(void)close(fds[0]);		/* the child only writes */
	if (setsid() == -1) {
		err = errno;
		goto err_close_write;
	}
	hyp_daemon_pipe = fds[1];
	return 0;

err_close_pipe:
	(void)close(fds[0]);
err_close_write:
	/* The parent reads EOF and exits with a failure status. */
	(void)close(fds[1]);
	return hyp_errno_to_rump(err);
}

/*
 * Report `error` (0: the server is up) to the waiting parent, which exits
 * with it, and detach stdin/stdout from the terminal.  stderr stays: it is
 * the rump kernel's console.
 */
int
rumpuser_daemonize_done(int error)
{
	int fd, err = 0;
	ssize_t n;

	if (hyp_daemon_pipe == -1)
		return RUMP_EINVAL;
	do {
		n = write(hyp_daemon_pipe, &error, sizeof(error));
	} while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof(error))
		err = n == -1 ? errno : EIO;
	if (close(hyp_daemon_pipe) == -1 && errno != EINTR && err == 0)
		err = errno;
	hyp_daemon_pipe = -1;
	if (error != 0 || err != 0)
		return hyp_errno_to_rump(err);

	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd == -1)
		return hyp_errno_to_rump(errno);
	if (dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1)
		err = errno;
	if (close(fd) == -1 && errno != EINTR && err == 0)
		err = errno;
	return hyp_errno_to_rump(err);
}

/* ---- sysproxy: not implemented -------------------------------------------- */

int
rumpuser_sp_init(const char *url, const char *ostype, const char *osrelease,
    const char *machine)
{
	(void)ostype;
	(void)osrelease;
	(void)machine;
	rumpuser_dprintf("rumpuser (posix): sysproxy (\"%s\") is not "
	    "supported\n", url != NULL ? url : "");
	return RUMP_EOPNOTSUPP;
}

int
rumpuser_sp_copyin(void *client, const void *raddr, void *laddr, size_t len)
{
	(void)client;
	(void)raddr;
	(void)laddr;
	(void)len;
	return RUMP_EOPNOTSUPP;
}

int
rumpuser_sp_copyinstr(void *client, const void *raddr, void *laddr,
    size_t *lenp)
{
	(void)client;
	(void)raddr;
	(void)laddr;
	(void)lenp;
	return RUMP_EOPNOTSUPP;
}

int
rumpuser_sp_copyout(void *client, const void *laddr, void *raddr, size_t len)
{
	(void)client;
	(void)laddr;
	(void)raddr;
	(void)len;
	return RUMP_EOPNOTSUPP;
}

int
rumpuser_sp_copyoutstr(void *client, const void *laddr, void *raddr,
    size_t *lenp)
{
	(void)client;
	(void)laddr;
	(void)raddr;
	(void)lenp;
	return RUMP_EOPNOTSUPP;
}

int
rumpuser_sp_anonmmap(void *client, size_t len, void **addrp)
{
	(void)client;
	(void)len;
	(void)addrp;
	return RUMP_EOPNOTSUPP;
}

int
rumpuser_sp_raise(void *client, int sig)
{
	(void)client;
	(void)sig;
	return RUMP_EOPNOTSUPP;
}

/* No client can exist, so there is none to release. */
void
rumpuser_sp_fini(void *client)
{
	(void)client;
}
