/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_errno.c: errors across the boundary.
 *
 * hyp_errno() turns a Linux error (as returned by kernel functions, either
 * sign) into the rump kernel's numbering.  Codes that exist only inside
 * Linux (the ERESTART* family, ENOTSUPP, EIOCBQUEUED, ...) are mapped to
 * their user-visible meaning first, then hyp_errno_to_rump() does the rest.
 *
 * rumpuser_seterrno() keeps the errno of the calling thread: ours in their
 * struct hyp_thread, foreign ones in hyp_task.c.  rump_errno() (exported
 * for client modules) reads it back for the calling thread.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/errno.h>

#include "hyp.h"

int
hyp_errno(int linux_err)
{
	int e = linux_err < 0 ? -linux_err : linux_err;

	switch (e) {
	case ERESTARTSYS:
	case ERESTARTNOINTR:
	case ERESTARTNOHAND:
	case ERESTART_RESTARTBLOCK:
		return RUMP_EINTR;
	case ENOTSUPP:
		return RUMP_EOPNOTSUPP;
	case ENOIOCTLCMD:
		return hyp_errno_to_rump(ENOTTY);
	case EIOCBQUEUED:
		return RUMP_EAGAIN;
	case EBADHANDLE:
	case EBADCOOKIE:
		return RUMP_EINVAL;
	case ETOOSMALL:
		return RUMP_E2BIG;
	default:
		return hyp_errno_to_rump(e);
	}
}

void
rumpuser_seterrno(int err)
{
	struct hyp_thread *t = hyp_thread_self();

	if (t != NULL)
		WRITE_ONCE(*hyp_thread_errno_slot(t), err);
	else
		hyp_task_set_errno(err);
}

/*
 * rump_errno: the last errno the rump kernel set for the calling host
 * thread (rump numbering), 0 if none.  Any context that may sleep.
 */
int
rump_errno(void)
{
	struct hyp_thread *t = hyp_thread_self();

	if (t != NULL)
		return READ_ONCE(*hyp_thread_errno_slot(t));
	return hyp_task_errno();
}
EXPORT_SYMBOL_GPL(rump_errno);
