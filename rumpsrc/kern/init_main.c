/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * init_main.c: bringing the rump kernel up (rump_init) and down
 * (rump_shutdown).
 *
 * Boot is a table of stages, each with an init and an undo.  rump_init
 * runs the inits in order; when one fails the undos of the stages already
 * up run in reverse and the error is returned.  rump_shutdown runs the
 * same undos in reverse, so teardown mirrors setup exactly and after it
 * every hypervisor object the kernel made is gone and every byte freed:
 * rump_init may then run again in the same process.
 *
 * Boot runs on the calling host thread, bound to lwp0 and holding CPU 0
 * from the "lwp0 cpu" stage on; when the kernel is RUNNING lwp0 is given
 * back (CPU released, binding cleared) and the caller leaves as a plain
 * host thread.  rump_shutdown does the same from any plain host thread
 * (a Linux rmmod, a test's main thread): it binds lwp0 again, waits for
 * API calls in progress to finish, releases client processes, and runs
 * the undos.
 *
 * Components (sys/component.h) are one stage: started by level, then by
 * name, stopped in the reverse order.
 *
 * Called by: hosts (Linux module init/exit, userspace tests and tools).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/callout.h>
#include <sys/component.h>
#include <sys/condvar.h>
#include <sys/intr.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

/* How long rump_shutdown waits for API calls in progress. */
#define SHUTDOWN_DRAIN_MS	5000

volatile int rump_state;

static const struct rumpuser_hyperup rump_upcalls = {
	.hyp_schedule = rump_hyp_schedule,
	.hyp_unschedule = rump_hyp_unschedule,
	.hyp_backend_unschedule = rump_hyp_backend_unschedule,
	.hyp_backend_schedule = rump_hyp_backend_schedule,
	.hyp_lwproc_switch = rump_hyp_lwproc_switch,
	.hyp_lwproc_release = rump_hyp_lwproc_release,
	.hyp_lwproc_rfork = rump_hyp_lwproc_rfork,
	.hyp_lwproc_newlwp = rump_hyp_lwproc_newlwp,
	.hyp_lwproc_curlwp = rump_hyp_lwproc_curlwp,
	.hyp_syscall = rump_hyp_syscall,
	.hyp_lwpexit = rump_hyp_lwpexit,
	.hyp_execnotify = rump_hyp_execnotify,
	.hyp_getpid = rump_hyp_getpid,
};

/* ---- parameters -------------------------------------------------------- */

static int
boot_params(void)
{
	char buf[32];
	unsigned long n;
	char *end;
	int error;

	error = rumpuser_getparam(RUMPUSER_PARAM_NCPU, buf, sizeof(buf));
	if (error != 0) {
		printf("rump_init: cannot read %s: error %d\n",
		    RUMPUSER_PARAM_NCPU, error);
		return error;
	}
	n = strtoul(buf, &end, 10);
	if (end == buf || *end != '\0') {
		printf("rump_init: %s is \"%s\", not a number\n",
		    RUMPUSER_PARAM_NCPU, buf);
		return EINVAL;
	}
	if (n < 1 || n > MAXCPUS) {
		printf("rump_init: %s %lu clamped to %lu\n",
		    RUMPUSER_PARAM_NCPU, n, n < 1 ? 1UL : (u_long)MAXCPUS);
		n = n < 1 ? 1 : MAXCPUS;
	}
	ncpu = (int)n;

	error = rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, hostname,
	    sizeof(hostname));
	if (error != 0) {
		printf("rump_init: cannot read %s: error %d\n",
		    RUMPUSER_PARAM_HOSTNAME, error);
		return error;
	}

	/* Optional: anything but absent, empty or "0" turns it on. */
	rump_verbose = rumpuser_getparam("RUMP_VERBOSE", buf,
	    sizeof(buf)) == 0 && buf[0] != '\0' && strcmp(buf, "0") != 0;
	aprint_verbose("rump kernel: %d CPU(s), hostname \"%s\"\n", ncpu,
	    hostname);
	return 0;
}

/* ---- lwp0 on the calling thread ---------------------------------------- */

static int
boot_bind0(void)
{
	rump_lwp_bind0();
	return 0;
}

static int
boot_unbind0(void)
{
	rump_lwp_unbind0();
	return 0;
}

static int
boot_oncpu(void)
{
	rump_schedule_cpu(&lwp0);
	lwp0.l_nesting = 1;
	return 0;
}

static int
boot_offcpu(void)
{
	KASSERT(lwp0.l_nesting == 1);
	lwp0.l_nesting = 0;
	rump_unschedule_cpu(&lwp0);
	return 0;
}

/* ---- services whose undo cannot fail ----------------------------------- */

static int
boot_kmem_fini(void)
{
	size_t leaked;

	leaked = kmem_fini();
	if (leaked != 0)
		printf("rump_shutdown: kmem: %zu object(s) leaked\n", leaked);
	return 0;
}

static int
boot_callout_fini(void)
{
	callout_shutdown();
	return 0;
}

static int
boot_softint_fini(void)
{
	softint_shutdown();
	return 0;
}

/* ---- components ---------------------------------------------------------- */

static const struct rump_component *comp_last;	/* last one started */

static int
comp_cmp(const struct rump_component *a, const struct rump_component *b)
{
	if (a->rc_level != b->rc_level)
		return a->rc_level < b->rc_level ? -1 : 1;
	return strcmp(a->rc_name, b->rc_name);
}

/* The component after prev (NULL: the first) in (level, name) order. */
static const struct rump_component *
comp_after(const struct rump_component *prev)
{
	const struct rump_component *const *cp;
	const struct rump_component *best = NULL;

	for (cp = rump_component_table; *cp != NULL; cp++) {
		if (prev != NULL && comp_cmp(*cp, prev) <= 0)
			continue;
		if (best == NULL || comp_cmp(*cp, best) < 0)
			best = *cp;
	}
	return best;
}

/* The component before cur in (level, name) order, or NULL. */
static const struct rump_component *
comp_before(const struct rump_component *cur)
{
	const struct rump_component *const *cp;
	const struct rump_component *best = NULL;

	for (cp = rump_component_table; *cp != NULL; cp++) {
		if (comp_cmp(*cp, cur) >= 0)
			continue;
		if (best == NULL || comp_cmp(*cp, best) > 0)
			best = *cp;
	}
	return best;
}

static int
comp_fini_all(void)
{
	const struct rump_component *c;

	for (c = comp_last; c != NULL; c = comp_before(c)) {
		if (c->rc_fini != NULL)
			c->rc_fini();
	}
	comp_last = NULL;
	return 0;
}

static int
comp_init_all(void)
{
	const struct rump_component *c = NULL;
	int error;

	comp_last = NULL;
	while ((c = comp_after(c)) != NULL) {
		if (c->rc_level < RUMP_COMPONENT_KERN ||
		    c->rc_level >= RUMP_COMPONENT_MAX) {
			printf("rump_init: component %s: bad level %d\n",
			    c->rc_name, c->rc_level);
			error = EINVAL;
			goto err_fini_started;
		}
		if (c->rc_init != NULL) {
			error = c->rc_init();
			if (error != 0) {
				printf("rump_init: component %s: error %d\n",
				    c->rc_name, error);
				goto err_fini_started;
			}
		}
		comp_last = c;
	}
	return 0;

err_fini_started:
	(void)comp_fini_all();
	return error;
}

/* ---- the stage table ------------------------------------------------------- */

struct boot_stage {
	const char	*bs_name;
	int		(*bs_init)(void);
	int		(*bs_fini)(void);	/* NULL: nothing to undo */
};

static const struct boot_stage boot_stages[] = {
	{ .bs_name = "params", .bs_init = boot_params },
	{ .bs_name = "proc0", .bs_init = rump_lwp_boot,
	  .bs_fini = rump_lwp_boot_fini },
	{ .bs_name = "bind lwp0", .bs_init = boot_bind0,
	  .bs_fini = boot_unbind0 },
	{ .bs_name = "cpus", .bs_init = rump_cpus_init,
	  .bs_fini = rump_cpus_fini },
	{ .bs_name = "lwp0 cpu", .bs_init = boot_oncpu,
	  .bs_fini = boot_offcpu },
	{ .bs_name = "kmem", .bs_init = kmem_init, .bs_fini = boot_kmem_fini },
	{ .bs_name = "time", .bs_init = time_init },
	{ .bs_name = "kthreads", .bs_init = kthread_sys_init,
	  .bs_fini = kthread_sys_fini },
	{ .bs_name = "callout", .bs_init = callout_startup,
	  .bs_fini = boot_callout_fini },
	{ .bs_name = "softint", .bs_init = softint_startup,
	  .bs_fini = boot_softint_fini },
	{ .bs_name = "syscalls", .bs_init = syscall_init,
	  .bs_fini = syscall_fini },
	{ .bs_name = "components", .bs_init = comp_init_all,
	  .bs_fini = comp_fini_all },
};

/* Index of the stages that put lwp0 on the calling thread and a CPU. */
#define BOOT_STAGE_BIND0	2
#define BOOT_STAGE_ONCPU	4

/*
 * Undo stages [0, upto) in reverse.  Stops at the first undo that fails
 * (kernel threads that would run on freed memory): returns its error,
 * having released lwp0 from the calling thread.
 */
static int
boot_undo(int upto)
{
	const struct boot_stage *bs;
	int i, error;

	for (i = upto - 1; i >= 0; i--) {
		bs = &boot_stages[i];
		if (bs->bs_fini == NULL)
			continue;
		error = bs->bs_fini();
		if (error != 0) {
			printf("rump: undoing stage \"%s\": error %d; the "
			    "kernel is left stopped\n", bs->bs_name, error);
			if (i > BOOT_STAGE_ONCPU)
				(void)boot_offcpu();
			if (i > BOOT_STAGE_BIND0)
				(void)boot_unbind0();
			return error;
		}
	}
	return 0;
}

static bool
state_cas(int from, int to)
{
	return __atomic_compare_exchange_n(&rump_state, &from, to, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* Monotonic time in ns for boot statistics; 0 if the clock fails. */
static uint64_t
boot_now_ns(void)
{
	int64_t sec;
	long nsec;

	if (rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec) != 0)
		return 0;
	return (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
}

/* When each boot stage ended; printed after boot when verbose. */
static uint64_t boot_stage_ns[__arraycount(boot_stages)];

static void
boot_report_times(uint64_t t0)
{
	uint64_t prev = t0;
	size_t i;

	for (i = 0; i < __arraycount(boot_stages); i++) {
		printf("rump_init: stage \"%s\" took %llu us\n",
		    boot_stages[i].bs_name,
		    (unsigned long long)(boot_stage_ns[i] - prev) / 1000);
		prev = boot_stage_ns[i];
	}
}

#ifdef DIAGNOSTIC
/*
 * Test-only fault injection (DIAGNOSTIC kernels): the parameter
 * RUMP_FAILSTAGE=<n> (an environment variable on the POSIX hypervisor)
 * makes boot fail with EIO in place of stage n, so that the undos of
 * stages 0..n-1 run; n equal to the number of stages fails after the
 * last one.  Returns -1 when the parameter is absent or not a number.
 */
static int
boot_failstage(void)
{
	char buf[16];
	unsigned long n;
	char *end;

	if (rumpuser_getparam("RUMP_FAILSTAGE", buf, sizeof(buf)) != 0)
		return -1;
	n = strtoul(buf, &end, 10);
	if (end == buf || *end != '\0' || n > __arraycount(boot_stages))
		return -1;
	return (int)n;
}
#else
static int
boot_failstage(void)
{
	return -1;
}
#endif

/* Run stage i, or fail it on purpose (boot_failstage). */
static int
boot_stage_run(int i, int failstage)
{
	if (i == failstage) {
		printf("rump_init: RUMP_FAILSTAGE: failing stage %d\n", i);
		return EIO;
	}
	return boot_stages[i].bs_init();
}

/*
 * Boot the rump kernel.  Called from a plain host thread (no lwp bound).
 * Returns 0, EBUSY when it is already up, ENXIO when it is dead, or the
 * error of the failing stage (everything before it undone).
 */
int
rump_init(void)
{
	uint64_t t0;
	int error, failstage, i;

	if (!state_cas(RUMP_STATE_DOWN, RUMP_STATE_BOOTING))
		return rump_state_load() == RUMP_STATE_DEAD ? ENXIO : EBUSY;
	error = rumpuser_init(RUMPUSER_VERSION, &rump_upcalls);
	if (error != 0)
		goto err_down;
	t0 = boot_now_ns();
	if (rumpuser_curlwp() != NULL) {
		/* Stale binding from a kernel that was shut down under it. */
		rumpuser_dprintf("rump_init: calling thread has an lwp "
		    "bound\n");
		error = EBUSY;
		goto err_down;
	}

	failstage = boot_failstage();
	for (i = 0; i < (int)__arraycount(boot_stages); i++) {
		error = boot_stage_run(i, failstage);
		if (error != 0) {
			printf("rump_init: stage \"%s\" failed: error %d\n",
			    boot_stages[i].bs_name, error);
			goto err_undo;
		}
		boot_stage_ns[i] = boot_now_ns();
	}
	if (failstage == i) {
		printf("rump_init: RUMP_FAILSTAGE: failing after the last "
		    "stage\n");
		error = EIO;
		goto err_undo;
	}
	if (rump_verbose)
		boot_report_times(t0);

	/* A kernel thread that panicked during boot left the kernel DEAD. */
	if (!state_cas(RUMP_STATE_BOOTING, RUMP_STATE_RUNNING))
		goto err_dead;
	(void)boot_offcpu();
	(void)boot_unbind0();
	return 0;

err_undo:
	if (rump_state_load() == RUMP_STATE_DEAD)
		goto err_dead;
	if (boot_undo(i) != 0) {
		rump_state_store(RUMP_STATE_DEAD);
		return error;
	}
err_down:
	(void)state_cas(RUMP_STATE_BOOTING, RUMP_STATE_DOWN);
	return error;

err_dead:
	/* Nothing is freed in a dead kernel; give the caller its thread. */
	if (i > BOOT_STAGE_ONCPU)
		(void)boot_offcpu();
	if (i > BOOT_STAGE_BIND0)
		(void)boot_unbind0();
	return ENXIO;
}

/* Wait (holding lwp0's CPU, released while sleeping) for gates to end. */
static bool
shutdown_drain_gates(void)
{
	int waited;

	for (waited = 0; rump_gate_active() != 0 &&
	    waited < SHUTDOWN_DRAIN_MS; waited += 10)
		kpause("drain", false, mstohz(10), NULL);
	return rump_gate_active() == 0;
}

/*
 * Stop the rump kernel and free everything.  Called from a plain host
 * thread, or one with a client lwp bound (which is released); not from
 * inside the kernel.  Returns 0; ENXIO when it is not running; EBUSY when
 * public kernel threads are still unjoined or API calls do not finish
 * (the kernel keeps running), or when kernel threads outlive their
 * subsystems (the kernel is left stopped, its memory not freed).
 */
int
rump_shutdown(void)
{
	struct lwp *l;
	int error;

	/* Refusals that need no state change come first. */
	if (rump_state_load() != RUMP_STATE_RUNNING)
		return rump_state_load() == RUMP_STATE_STOPPING ? EBUSY : ENXIO;
	l = rumpuser_curlwp();
	if (l != NULL && (l->l_flags & LW_ONCPU))
		return EBUSY;
	if (kthread_public_count() != 0) {
		printf("rump_shutdown: %u public kernel thread(s) not "
		    "joined\n", kthread_public_count());
		return EBUSY;
	}
	if (!state_cas(RUMP_STATE_RUNNING, RUMP_STATE_STOPPING))
		return rump_state_load() == RUMP_STATE_STOPPING ? EBUSY : ENXIO;
	if (l != NULL)
		rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);

	(void)boot_bind0();
	(void)boot_oncpu();
	if (!shutdown_drain_gates()) {
		printf("rump_shutdown: %u API call(s) still in progress\n",
		    rump_gate_active());
		(void)boot_offcpu();
		(void)boot_unbind0();
		if (l != NULL)
			rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
		if (!state_cas(RUMP_STATE_STOPPING, RUMP_STATE_RUNNING))
			return ENXIO;
		return EBUSY;
	}

	(void)lwproc_release_all();
	error = boot_undo((int)__arraycount(boot_stages));
	if (error != 0)
		return error;
	if (lwp_temp_count() != 0)
		rumpuser_dprintf("rump_shutdown: %u implicit lwp(s) of host "
		    "threads still in the kernel\n", lwp_temp_count());
	if (!state_cas(RUMP_STATE_STOPPING, RUMP_STATE_DOWN))
		return ENXIO;
	return 0;
}
