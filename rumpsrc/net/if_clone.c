/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * if_clone.c: interface cloners (net/if.h): interfaces made and unmade
 * on demand by name.
 *
 * A driver registers a name prefix ("virt"); if_clone_create("virt0")
 * finds the cloner whose prefix the name starts with, checks that the
 * rest is a unit number and that no interface has the name yet, and
 * calls the driver.  Called by netconfig.c (rump_pub_netconfig_ifcreate,
 * _ifdestroy); drivers attach/detach their cloner from their component's
 * init/fini (dev/virtif/if_virt.c).
 *
 * Locking: if_clone_lock (adaptive) guards the cloner list and serialises
 * every create and destroy, which may sleep (host calls, thread joins);
 * net_lock is taken only briefly inside, never held across the driver.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <net/if.h>

#include "net_private.h"

static kmutex_t if_clone_lock;
static TAILQ_HEAD(, if_clone) if_cloners;

int
if_clone_init(void)
{
	mutex_init(&if_clone_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&if_cloners);
	return 0;
}

/* Precondition: every cloner detached (their components' fini ran). */
void
if_clone_fini(void)
{
	KASSERT(TAILQ_EMPTY(&if_cloners));
	mutex_destroy(&if_clone_lock);
}

void
if_clone_attach(struct if_clone *ifc)
{
	mutex_enter(&if_clone_lock);
	TAILQ_INSERT_TAIL(&if_cloners, ifc, ifc_list);
	mutex_exit(&if_clone_lock);
}

/* After this returns no create or destroy of ifc is running. */
void
if_clone_detach(struct if_clone *ifc)
{
	mutex_enter(&if_clone_lock);
	TAILQ_REMOVE(&if_cloners, ifc, ifc_list);
	mutex_exit(&if_clone_lock);
}

/*
 * The cloner of name: its prefix followed by a unit number (digits, no
 * leading zero unless the unit is 0).  if_clone_lock held.
 */
static struct if_clone *
if_clone_lookup(const char *name)
{
	struct if_clone *ifc;
	const char *unit;
	size_t plen;

	KASSERT(mutex_owned(&if_clone_lock));
	TAILQ_FOREACH(ifc, &if_cloners, ifc_list) {
		plen = strlen(ifc->ifc_prefix);
		if (strncmp(name, ifc->ifc_prefix, plen) != 0)
			continue;
		unit = name + plen;
		if (*unit == '\0' || (unit[0] == '0' && unit[1] != '\0'))
			return NULL;
		for (; *unit != '\0'; unit++) {
			if (*unit < '0' || *unit > '9')
				return NULL;
		}
		return ifc;
	}
	return NULL;
}

static bool
if_clone_exists(const char *name)
{
	bool found;

	NET_LOCK();
	found = if_find(name) != NULL;
	NET_UNLOCK();
	return found;
}

/* Thread context, net_lock not held. */
int
if_clone_create(const char *name)
{
	struct if_clone *ifc;
	int error;

	NET_ASSERT_UNLOCKED();
	if (strlen(name) >= IFNAMSIZ)
		return EINVAL;
	mutex_enter(&if_clone_lock);
	ifc = if_clone_lookup(name);
	if (ifc == NULL)
		error = EINVAL;
	else if (if_clone_exists(name))
		error = EEXIST;
	else
		error = ifc->ifc_create(name);
	mutex_exit(&if_clone_lock);
	return error;
}

/* Thread context, net_lock not held. */
int
if_clone_destroy(const char *name)
{
	struct if_clone *ifc;
	int error;

	NET_ASSERT_UNLOCKED();
	if (strcmp(name, "lo0") == 0)
		return EPERM;	/* the stack relies on lo0 until shutdown */
	mutex_enter(&if_clone_lock);
	if (!if_clone_exists(name))
		error = ENXIO;
	else if ((ifc = if_clone_lookup(name)) == NULL)
		error = EOPNOTSUPP;
	else
		error = ifc->ifc_destroy(name);
	mutex_exit(&if_clone_lock);
	return error;
}
