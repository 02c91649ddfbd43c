/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_lwp.c: lwps and processes, and binding them to host threads.
 *
 * Three kinds of lwp:
 *  - kernel lwps (LW_SYSTEM) of proc0: lwp0 (the boot thread's, static)
 *    and kernel threads (kern_kthread.c);
 *  - implicit lwps (LW_TEMP) of proc0: a host thread entering the kernel
 *    without an lwp gets one for the duration of the outermost
 *    rump_schedule/rump_unschedule (kern_sched.c); they live on no list
 *    and come straight from rumpuser_malloc, because they are made and
 *    freed without a CPU;
 *  - client lwps (LW_HOSTBOUND while some host thread has them bound) of
 *    client processes made by rump_pub_lwproc_rfork / _newlwp; they stay
 *    bound to their host thread across calls until released or switched
 *    away from.  A process ends with its last lwp.
 * Every lwp struct comes from rumpuser_malloc (not kmem) so that lwps can
 * be freed by threads that have already given their CPU back.
 *
 * Locking: rump_proc_lock guards allproc, alllwp, pid allocation, the
 * process hooks and LW_HOSTBOUND; p_lock (taken inside it) guards a
 * process's lwp list.  Both are adaptive: callers hold a CPU.
 *
 * "lwproc" operations move the calling host thread from its current lwp
 * to another one without leaving the kernel: the CPU, the nesting depth
 * of rump_schedule and the gate's escape point go over to the new lwp
 * (lwproc_handover).  The public rump_pub_lwproc_* calls and the
 * hypervisor's hyp_lwproc_* upcalls are built on that.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/mutex.h>
#include <sys/syscall.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

#define PID_MAX		30000
#define PROC_HOOKS_MAX	8

struct lwp lwp0;
struct proc proc0;

static LIST_HEAD(, proc) allproc;
static LIST_HEAD(, lwp) alllwp;
static kmutex_t rump_proc_lock;
static pid_t proc_nextpid;
static const struct proc_hooks *proc_hooks[PROC_HOOKS_MAX];
static volatile u_int lwp_ntemp;	/* live implicit lwps */
static volatile u_int lwp_templid;	/* lids of implicit lwps */

/* ---- boot -------------------------------------------------------------- */

/* Set up proc0, lwp0 and the lists.  Boot thread, before any CPU. */
int
rump_lwp_boot(void)
{
	memset(&proc0, 0, sizeof(proc0));
	memset(&lwp0, 0, sizeof(lwp0));
	LIST_INIT(&allproc);
	LIST_INIT(&alllwp);
	memset(proc_hooks, 0, sizeof(proc_hooks));
	proc_nextpid = 1;
	lwp_ntemp = 0;
	lwp_templid = 0;
	mutex_init(&rump_proc_lock, MUTEX_DEFAULT, IPL_NONE);

	proc0.p_pid = 0;
	proc0.p_flags = PK_SYSTEM;
	proc0.p_nextlid = 2;
	mutex_init(&proc0.p_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&proc0.p_lwps);
	strlcpy(proc0.p_comm, "system", sizeof(proc0.p_comm));
	LIST_INSERT_HEAD(&allproc, &proc0, p_list);

	lwp0.l_proc = &proc0;
	lwp0.l_lid = 1;
	lwp0.l_flags = LW_SYSTEM;
	strlcpy(lwp0.l_name, "lwp0", sizeof(lwp0.l_name));
	LIST_INSERT_HEAD(&proc0.p_lwps, &lwp0, l_sibling);
	proc0.p_nlwps = 1;
	LIST_INSERT_HEAD(&alllwp, &lwp0, l_list);
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, &lwp0);
	return 0;
}

/* Precondition: only lwp0 is left; it is unbound and off CPU. */
int
rump_lwp_boot_fini(void)
{
	KASSERT(LIST_FIRST(&allproc) == &proc0 &&
	    LIST_NEXT(&proc0, p_list) == NULL);
	KASSERT(proc0.p_nlwps == 1);
	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, &lwp0);
	LIST_REMOVE(&lwp0, l_list);
	LIST_REMOVE(&lwp0, l_sibling);
	LIST_REMOVE(&proc0, p_list);
	mutex_destroy(&proc0.p_lock);
	mutex_destroy(&rump_proc_lock);
	return 0;
}

void
rump_lwp_bind0(void)
{
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &lwp0);
}

void
rump_lwp_unbind0(void)
{
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, &lwp0);
}

/* ---- implicit lwps ------------------------------------------------------ */

struct lwp *
lwp_temp_alloc(void)
{
	struct lwp *l;
	void *mem;

	if (rumpuser_malloc(sizeof(*l), __alignof__(struct lwp), &mem) != 0)
		return NULL;
	l = mem;
	memset(l, 0, sizeof(*l));
	l->l_proc = &proc0;
	l->l_flags = LW_TEMP;
	l->l_lid = (lwpid_t)(0x40000000u | atomic_inc_uint_nv(&lwp_templid));
	atomic_inc_uint(&lwp_ntemp);
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, l);
	return l;
}

void
lwp_temp_free(struct lwp *l)
{
	KASSERT((l->l_flags & (LW_TEMP | LW_ONCPU)) == LW_TEMP);
	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, l);
	rumpuser_free(l, sizeof(*l));
	atomic_dec_uint(&lwp_ntemp);
}

u_int
lwp_temp_count(void)
{
	return atomic_load_relaxed(&lwp_ntemp);
}

/* ---- lwps on processes ---------------------------------------------------- */

/* Precondition: rump_proc_lock held; p is alive. */
static void
lwp_link(struct lwp *l, struct proc *p)
{
	l->l_proc = p;
	mutex_enter(&p->p_lock);
	l->l_lid = p->p_nextlid++;
	LIST_INSERT_HEAD(&p->p_lwps, l, l_sibling);
	p->p_nlwps++;
	mutex_exit(&p->p_lock);
	LIST_INSERT_HEAD(&alllwp, l, l_list);
}

/*
 * Take l off its process and the lists.  Returns true when that was the
 * last lwp of a client process, which is then off allproc, marked
 * PK_EXITING, its children handed to proc0: the caller frees it.
 */
static bool
lwp_unlink(struct lwp *l)
{
	struct proc *p = l->l_proc, *q;
	bool last = false;

	mutex_enter(&rump_proc_lock);
	LIST_REMOVE(l, l_list);
	mutex_enter(&p->p_lock);
	LIST_REMOVE(l, l_sibling);
	p->p_nlwps--;
	if (p->p_nlwps == 0 && p != &proc0) {
		p->p_flags |= PK_EXITING;
		last = true;
	}
	mutex_exit(&p->p_lock);
	if (last) {
		LIST_REMOVE(p, p_list);
		LIST_FOREACH(q, &allproc, p_list) {
			if (q->p_pptr == p)
				q->p_pptr = &proc0;
		}
	}
	mutex_exit(&rump_proc_lock);
	return last;
}

static struct lwp *
lwp_mem_alloc(int flags, const char *name)
{
	struct lwp *l;
	void *mem;

	if (rumpuser_malloc(sizeof(*l), __alignof__(struct lwp), &mem) != 0)
		return NULL;
	l = mem;
	memset(l, 0, sizeof(*l));
	l->l_flags = flags;
	strlcpy(l->l_name, name != NULL ? name : "lwp", sizeof(l->l_name));
	return l;
}

static void
lwp_mem_free(struct lwp *l)
{
	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, l);
	rumpuser_free(l, sizeof(*l));
}

/* Precondition: the caller holds a CPU.  NULL when out of memory. */
struct lwp *
lwp_alloc(struct proc *p, int flags, const char *name)
{
	struct lwp *l;

	KASSERT(rump_cpu_held());
	l = lwp_mem_alloc(flags, name);
	if (l == NULL)
		return NULL;
	mutex_enter(&rump_proc_lock);
	lwp_link(l, p);
	mutex_exit(&rump_proc_lock);
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, l);
	return l;
}

/*
 * Free an lwp of proc0 (a kernel thread's).  Precondition: the caller
 * holds a CPU; l is not curlwp, holds no CPU and is bound to no thread.
 */
void
lwp_free(struct lwp *l)
{
	bool last;

	KASSERT(l != rumpuser_curlwp());
	KASSERT((l->l_flags & (LW_ONCPU | LW_HOSTBOUND | LW_TEMP)) == 0);
	last = lwp_unlink(l);
	KASSERT(!last);
	(void)last;
	lwp_mem_free(l);
}

struct lwp *
lwp_lookup(struct proc *p, lwpid_t lid)
{
	struct lwp *l;

	mutex_enter(&p->p_lock);
	LIST_FOREACH(l, &p->p_lwps, l_sibling) {
		if (l->l_lid == lid)
			break;
	}
	mutex_exit(&p->p_lock);
	return l;
}

/* ---- processes ------------------------------------------------------------ */

/* Precondition: rump_proc_lock held. */
struct proc *
proc_find(pid_t pid)
{
	struct proc *p;

	KASSERT(mutex_owned(&rump_proc_lock));
	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_pid == pid)
			return p;
	}
	return NULL;
}

/* Precondition: rump_proc_lock held.  0 when every pid is taken. */
static pid_t
proc_allocpid(void)
{
	pid_t pid;
	int tries;

	for (tries = 0; tries < PID_MAX; tries++) {
		pid = proc_nextpid;
		proc_nextpid = pid >= PID_MAX ? 1 : pid + 1;
		if (proc_find(pid) == NULL)
			return pid;
	}
	return 0;
}

void
proc_hooks_register(const struct proc_hooks *ph)
{
	int i;

	mutex_enter(&rump_proc_lock);
	for (i = 0; i < PROC_HOOKS_MAX; i++) {
		if (proc_hooks[i] == NULL) {
			proc_hooks[i] = ph;
			break;
		}
	}
	mutex_exit(&rump_proc_lock);
	KASSERTMSG(i < PROC_HOOKS_MAX, "too many proc hooks");
}

void
proc_hooks_unregister(const struct proc_hooks *ph)
{
	int i;

	mutex_enter(&rump_proc_lock);
	for (i = 0; i < PROC_HOOKS_MAX; i++) {
		if (proc_hooks[i] == ph)
			proc_hooks[i] = NULL;
	}
	mutex_exit(&rump_proc_lock);
}

/* Snapshot of the hooks, so they run without rump_proc_lock held. */
static int
proc_hooks_get(const struct proc_hooks **hooks)
{
	int i, n = 0;

	mutex_enter(&rump_proc_lock);
	for (i = 0; i < PROC_HOOKS_MAX; i++) {
		if (proc_hooks[i] != NULL)
			hooks[n++] = proc_hooks[i];
	}
	mutex_exit(&rump_proc_lock);
	return n;
}

static void
proc_run_exit_hooks(struct proc *p, const struct proc_hooks **hooks, int n)
{
	while (n-- > 0) {
		if (hooks[n]->ph_exit != NULL)
			hooks[n]->ph_exit(p);
	}
}

/* The end of a process whose last lwp is gone (off allproc already). */
static void
proc_free(struct proc *p)
{
	const struct proc_hooks *hooks[PROC_HOOKS_MAX];
	int n;

	KASSERT(p->p_flags & PK_EXITING);
	n = proc_hooks_get(hooks);
	proc_run_exit_hooks(p, hooks, n);
	mutex_destroy(&p->p_lock);
	kmem_free(p, sizeof(*p));
}

/*
 * A new client process, child of parent, with one lwp (returned in *lp,
 * not bound yet).  The fork hooks run first; a failing hook undoes the
 * ones before it.
 */
static int
proc_create(struct proc *parent, int flags, const char *comm,
    struct lwp **lp)
{
	const struct proc_hooks *hooks[PROC_HOOKS_MAX];
	struct proc *p;
	struct lwp *l;
	int error, i, n;

	p = kmem_zalloc(sizeof(*p), KM_SLEEP);
	mutex_init(&p->p_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&p->p_lwps);
	p->p_pptr = parent;
	p->p_nextlid = 1;
	strlcpy(p->p_comm, comm, sizeof(p->p_comm));
	l = lwp_mem_alloc(0, comm);
	if (l == NULL) {
		error = ENOMEM;
		goto err_free_proc;
	}

	n = proc_hooks_get(hooks);
	for (i = 0; i < n; i++) {
		if (hooks[i]->ph_fork == NULL)
			continue;
		error = hooks[i]->ph_fork(p, parent, flags);
		if (error != 0)
			goto err_run_exit_hooks;
	}

	mutex_enter(&rump_proc_lock);
	p->p_pid = proc_allocpid();
	if (p->p_pid == 0) {
		mutex_exit(&rump_proc_lock);
		error = EAGAIN;
		goto err_run_exit_hooks;
	}
	LIST_INSERT_HEAD(&allproc, p, p_list);
	lwp_link(l, p);
	mutex_exit(&rump_proc_lock);
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, l);
	*lp = l;
	return 0;

err_run_exit_hooks:
	proc_run_exit_hooks(p, hooks, i);
	rumpuser_free(l, sizeof(*l));
err_free_proc:
	mutex_destroy(&p->p_lock);
	kmem_free(p, sizeof(*p));
	return error;
}

/* ---- lwproc: moving a host thread between lwps ------------------------------ */

/*
 * Give the calling thread's CPU, nesting depth and escape point to newl
 * and bind newl to the thread instead of l.  Preconditions: l is curlwp
 * and holds a CPU and no giant lock; newl is claimed (unbound).
 */
static void
lwproc_handover(struct lwp *l, struct lwp *newl)
{
	struct cpu_info *ci = l->l_cpu;

	KASSERT(l == rumpuser_curlwp() && (l->l_flags & LW_ONCPU));
	KASSERT(!kernel_locked_p());
	newl->l_cpu = ci;
	newl->l_nesting = l->l_nesting;
	newl->l_escape = l->l_escape;
	newl->l_flags |= LW_ONCPU;
	l->l_flags &= ~LW_ONCPU;
	l->l_nesting = 0;
	l->l_escape = NULL;
	__atomic_store_n(&ci->ci_curlwp, newl, __ATOMIC_SEQ_CST);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, newl);
}

/* After a handover: l, no longer bound, is freed if implicit. */
static void
lwproc_drop_old(struct lwp *l)
{
	if (l->l_flags & LW_TEMP) {
		lwp_temp_free(l);
		return;
	}
	mutex_enter(&rump_proc_lock);
	l->l_flags &= ~LW_HOSTBOUND;
	mutex_exit(&rump_proc_lock);
}

/* End a client lwp that nobody has bound any more (and maybe its proc). */
static void
lwproc_exit_lwp(struct lwp *l)
{
	struct proc *p = l->l_proc;

	KASSERT((l->l_flags & (LW_ONCPU | LW_TEMP | LW_SYSTEM)) == 0);
	l->l_flags &= ~LW_HOSTBOUND;
	if (lwp_unlink(l))
		proc_free(p);
	lwp_mem_free(l);
}

/* The calling thread's lwp, if it may change lwps at all. */
static int
lwproc_self(struct lwp **lp)
{
	struct lwp *l = rumpuser_curlwp();

	KASSERT(l != NULL && (l->l_flags & LW_ONCPU));
	/* A kernel thread keeps its lwp: nothing could ever join it. */
	if (l->l_flags & LW_SYSTEM)
		return EPERM;
	*lp = l;
	return 0;
}

/* Precondition: the caller is inside the kernel (holds a CPU). */
static int
lwproc_rfork(int flags, const char *comm)
{
	struct lwp *l, *newl;
	int error;

	if ((flags & ~(RFFDG | RFCFDG)) != 0 ||
	    (flags & (RFFDG | RFCFDG)) == (RFFDG | RFCFDG))
		return EINVAL;
	error = lwproc_self(&l);
	if (error != 0)
		return error;
	if (comm == NULL)
		comm = l->l_proc == &proc0 ? "rumpclient" : l->l_proc->p_comm;
	error = proc_create(l->l_proc, flags, comm, &newl);
	if (error != 0)
		return error;
	newl->l_flags |= LW_HOSTBOUND;
	lwproc_handover(l, newl);
	lwproc_drop_old(l);
	return 0;
}

static int
lwproc_newlwp(pid_t pid)
{
	struct lwp *l, *newl;
	struct proc *p;
	int error;

	error = lwproc_self(&l);
	if (error != 0)
		return error;
	/* proc0 holds kernel and implicit lwps only. */
	if (pid == 0)
		return EPERM;
	newl = lwp_mem_alloc(LW_HOSTBOUND, "lwp");
	if (newl == NULL)
		return ENOMEM;
	mutex_enter(&rump_proc_lock);
	p = proc_find(pid);
	if (p == NULL || (p->p_flags & PK_EXITING)) {
		mutex_exit(&rump_proc_lock);
		rumpuser_free(newl, sizeof(*newl));
		return ESRCH;
	}
	strlcpy(newl->l_name, p->p_comm, sizeof(newl->l_name));
	lwp_link(newl, p);
	mutex_exit(&rump_proc_lock);
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, newl);
	lwproc_handover(l, newl);
	lwproc_drop_old(l);
	return 0;
}

/*
 * Bind newl (a client lwp nobody has bound) instead of the current lwp;
 * NULL binds a fresh implicit lwp, i.e. leaves the thread with no lwp of
 * its own once it leaves the kernel.
 */
static int
lwproc_switch(struct lwp *newl)
{
	struct lwp *l, *it;
	int error;

	error = lwproc_self(&l);
	if (error != 0)
		return error;
	if (newl == l)
		return 0;
	if (newl == NULL) {
		if (l->l_flags & LW_TEMP)
			return 0;
		newl = lwp_temp_alloc();
		if (newl == NULL)
			return ENOMEM;
	} else {
		mutex_enter(&rump_proc_lock);
		LIST_FOREACH(it, &alllwp, l_list) {
			if (it == newl)
				break;
		}
		if (it == NULL || (newl->l_flags &
		    (LW_SYSTEM | LW_TEMP | LW_HOSTBOUND)) != 0) {
			mutex_exit(&rump_proc_lock);
			return it == NULL ? ESRCH : EBUSY;
		}
		newl->l_flags |= LW_HOSTBOUND;
		mutex_exit(&rump_proc_lock);
	}
	lwproc_handover(l, newl);
	lwproc_drop_old(l);
	return 0;
}

/* End the bound client lwp; the thread continues on an implicit one. */
static int
lwproc_release(void)
{
	struct lwp *l, *tl;
	int error;

	error = lwproc_self(&l);
	if (error != 0)
		return error;
	if (l->l_flags & LW_TEMP)
		return EINVAL;		/* nothing bound to release */
	tl = lwp_temp_alloc();
	if (tl == NULL)
		return ENOMEM;
	lwproc_handover(l, tl);
	lwproc_exit_lwp(l);
	return 0;
}

/*
 * Shutdown: end every client process and lwp still alive.  A lwp still
 * bound to a host thread is logged: that thread must not enter the
 * kernel again with its stale binding.  Precondition: no gate is active.
 */
int
lwproc_release_all(void)
{
	struct proc *p;
	struct lwp *l;
	int n = 0;

	for (;;) {
		mutex_enter(&rump_proc_lock);
		LIST_FOREACH(p, &allproc, p_list) {
			if (p != &proc0)
				break;
		}
		if (p == NULL) {
			mutex_exit(&rump_proc_lock);
			break;
		}
		l = LIST_FIRST(&p->p_lwps);
		mutex_exit(&rump_proc_lock);
		KASSERT(l != NULL);
		printf("rump_shutdown: releasing lwp %d of pid %d (%s)%s\n",
		    l->l_lid, p->p_pid, p->p_comm,
		    (l->l_flags & LW_HOSTBOUND) ?
		    ", still bound to a host thread" : "");
		lwproc_exit_lwp(l);
		n++;
	}
	return n;
}

/* ---- the public API and the hypervisor's upcalls ------------------------------ */

struct lwproc_args {
	int		la_flags;
	pid_t		la_pid;
	struct lwp	*la_lwp;
	const char	*la_comm;
};

static int
lwproc_rfork_body(void *arg)
{
	struct lwproc_args *la = arg;

	return lwproc_rfork(la->la_flags, la->la_comm);
}

static int
lwproc_newlwp_body(void *arg)
{
	struct lwproc_args *la = arg;

	return lwproc_newlwp(la->la_pid);
}

static int
lwproc_switch_body(void *arg)
{
	struct lwproc_args *la = arg;

	return lwproc_switch(la->la_lwp);
}

static int
lwproc_release_body(void *arg)
{
	return lwproc_release();
}

int
rump_pub_lwproc_rfork(int flags)
{
	struct lwproc_args la = { .la_flags = flags };

	return rump_gate(lwproc_rfork_body, &la);
}

int
rump_pub_lwproc_newlwp(int pid)
{
	struct lwproc_args la = { .la_pid = pid };

	return rump_gate(lwproc_newlwp_body, &la);
}

void
rump_pub_lwproc_switch(struct lwp *l)
{
	struct lwproc_args la = { .la_lwp = l };
	int error;

	error = rump_gate(lwproc_switch_body, &la);
	if (error != 0 && error != ENXIO)
		printf("rump_pub_lwproc_switch: error %d\n", error);
}

void
rump_pub_lwproc_releaselwp(void)
{
	int error;

	error = rump_gate(lwproc_release_body, NULL);
	if (error != 0 && error != ENXIO)
		printf("rump_pub_lwproc_releaselwp: error %d\n", error);
}

/* The calling thread's own lwp; NULL for a thread with none bound. */
struct lwp *
rump_pub_lwproc_curlwp(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (rump_state_load() != RUMP_STATE_RUNNING || l == NULL ||
	    (l->l_flags & LW_TEMP))
		return NULL;
	return l;
}

/*
 * Upcalls for hypervisors serving remote clients.  They run through the
 * gate, so they work whether or not the hypervisor scheduled first.
 */
void
rump_hyp_lwproc_switch(struct lwp *l)
{
	rump_pub_lwproc_switch(l);
}

void
rump_hyp_lwproc_release(void)
{
	rump_pub_lwproc_releaselwp();
}

/*
 * priv is a remote client's handle; this kernel has no remote system
 * call support to hang it on, so only local (NULL) clients are served.
 */
int
rump_hyp_lwproc_rfork(void *priv, int flags, const char *comm)
{
	struct lwproc_args la = { .la_flags = flags, .la_comm = comm };

	if (priv != NULL)
		return EOPNOTSUPP;
	return rump_gate(lwproc_rfork_body, &la);
}

int
rump_hyp_lwproc_newlwp(pid_t pid)
{
	return rump_pub_lwproc_newlwp(pid);
}

struct lwp *
rump_hyp_lwproc_curlwp(void)
{
	return rump_pub_lwproc_curlwp();
}

/* A client thread is going away: its lwp goes with it. */
void
rump_hyp_lwpexit(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (l != NULL && (l->l_flags & (LW_TEMP | LW_SYSTEM)) == 0)
		rump_pub_lwproc_releaselwp();
}

static int
lwproc_execnotify_body(void *arg)
{
	struct lwproc_args *la = arg;
	struct proc *p = rumpuser_curlwp()->l_proc;

	if (p == &proc0)
		return EPERM;
	mutex_enter(&p->p_lock);
	strlcpy(p->p_comm, la->la_comm, sizeof(p->p_comm));
	mutex_exit(&p->p_lock);
	return 0;
}

void
rump_hyp_execnotify(const char *comm)
{
	struct lwproc_args la = { .la_comm = comm };
	int error;

	if (comm == NULL)
		return;
	error = rump_gate(lwproc_execnotify_body, &la);
	if (error != 0 && error != ENXIO && error != EPERM)
		printf("hyp_execnotify: error %d\n", error);
}

pid_t
rump_hyp_getpid(void)
{
	struct lwp *l = rumpuser_curlwp();

	return l != NULL ? l->l_proc->p_pid : 0;
}
