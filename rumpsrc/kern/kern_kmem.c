/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_kmem.c: the kernel memory allocator (sys/kmem.h).
 *
 * Three layers:
 *
 *  1. Per-CPU magazines.  For each size class (8, 16, ... 4096 bytes) every
 *     virtual CPU keeps a small stack of free objects.  kmem_alloc and
 *     kmem_free normally touch only the caller's CPU's magazine: no lock,
 *     no shared cache line.  The magazine is guarded by a per-CPU busy
 *     word taken with one atomic exchange; the holder of the CPU is the
 *     only user in practice, so it is never contended, but it lets
 *     kmem_reclaim() and kmem_fini() drain other CPUs' magazines safely.
 *
 *  2. The depot: per class, chunks of KMEM_CHUNK bytes (32 KiB) obtained
 *     from the hypervisor, aligned to KMEM_CHUNK so that the chunk header
 *     of any object is found by masking its address.  The header (class,
 *     counts, free list) sits at the start of the chunk; objects start at
 *     the first multiple of the class size after it, so every object is
 *     aligned to its class size (4 KiB objects are page aligned).  A
 *     spin mutex per class guards the chunk lists.  Magazines move objects
 *     to and from the depot in batches of half a magazine.  A chunk whose
 *     objects are all free goes back to the hypervisor, except one spare
 *     per class (freed by kmem_reclaim and kmem_fini).
 *
 *  3. Big allocations (above 4 KiB) and page allocations go straight to
 *     rumpuser_malloc, page aligned (kmem_page_alloc: aligned to the
 *     power of two of its size).  Each is recorded in a small hash table
 *     so that kmem_free can check the size and kmem_fini can free leaks.
 *
 * DIAGNOSTIC kernels poison freed small objects with 0xdeadbeef and check
 * the poison when the object is handed out again (use after free), and
 * every free checks the object against its chunk header (a free with the
 * wrong size panics with the class it really belongs to).  A small-size
 * free of a big allocation is not detected reliably.
 *
 * Callers: everybody.  Context: any thread bound to an lwp (it normally
 * holds a CPU); KM_SLEEP may sleep, KM_NOSLEEP never does.  kmem_init and
 * kmem_fini are called by rump_init/rump_shutdown (kern/init_main.c) with
 * no other thread in the kernel.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

#define KMEM_MINSHIFT	3
#define KMEM_NCLASS	10			/* 8 .. 4096 */
#define KMEM_MAXSMALL	(1UL << (KMEM_MINSHIFT + KMEM_NCLASS - 1))
#define KMEM_CHUNK	(8 * PAGE_SIZE)		/* 32 KiB, size-aligned */
#define KMEM_MAGMAX	32			/* magazine capacity */
#define KMEM_MAGBYTES	(32 * 1024)		/* cap per class and CPU */
#define KMEM_CHUNK_MAGIC 0x6b6d656dU
#define KMEM_POISON	0xdeadbeefdeadbeefUL
#define KMEM_POISON_CHECK 16			/* words checked on alloc */
#define KMEM_BIGHASH	64
#define KMEM_SLEEP_TICKS 10000			/* KM_SLEEP gives up after */

__CTASSERT(KMEM_MAXSMALL == PAGE_SIZE);

struct kmem_chunk {
	uint32_t		kc_magic;
	uint16_t		kc_class;
	uint16_t		kc_nobj;	/* objects in this chunk */
	uint16_t		kc_nfree;	/* free: listed or uncarved */
	uint16_t		kc_ncarved;	/* objects ever handed out */
	bool			kc_onpartial;
	void			*kc_free;	/* linked through word 0 */
	LIST_ENTRY(kmem_chunk)	kc_all;
	LIST_ENTRY(kmem_chunk)	kc_partial;
};

struct kmem_depot {
	kmutex_t			kd_lock;
	LIST_HEAD(, kmem_chunk)		kd_all;
	LIST_HEAD(, kmem_chunk)		kd_partial;	/* nfree > 0 */
	struct kmem_chunk		*kd_spare;	/* empty, kept */
};

struct kmem_mag {
	uint32_t	km_n;
	void		*km_obj[KMEM_MAGMAX];
};

struct kmem_pcpu {
	volatile unsigned int	kp_busy;
	int64_t			kp_allocs;	/* deltas, summed by stats */
	int64_t			kp_inuse;
	struct kmem_mag		kp_mag[KMEM_NCLASS];
} __aligned(64);

struct kmem_big {
	LIST_ENTRY(kmem_big)	kb_hash;
	void			*kb_addr;
	size_t			kb_size;
};

static struct kmem_depot kmem_depot[KMEM_NCLASS];
static struct kmem_pcpu *kmem_pcpu;
static size_t kmem_pcpu_bytes;
static int kmem_ncpu;
static kmutex_t kmem_big_lock;
static LIST_HEAD(, kmem_big) kmem_bighash[KMEM_BIGHASH];
static volatile uint64_t kmem_host_bytes;
static volatile uint64_t kmem_big_allocs;
static volatile uint64_t kmem_big_inuse;
static bool kmem_ready;
static size_t kmem_leaks_at_fini;	/* survives fini, for tests */

/* ---------------------------------------------------------------- helpers */

static inline u_int
kmem_class(size_t size)
{
	if (size <= (1UL << KMEM_MINSHIFT))
		return 0;
	return (u_int)(64 - __builtin_clzl(size - 1)) - KMEM_MINSHIFT;
}

static inline size_t
kmem_class_size(u_int cls)
{
	return 1UL << (cls + KMEM_MINSHIFT);
}

static inline u_int
kmem_mag_cap(u_int cls)
{
	size_t cap = KMEM_MAGBYTES / kmem_class_size(cls);

	return cap > KMEM_MAGMAX ? KMEM_MAGMAX : cap < 4 ? 4 : (u_int)cap;
}

static inline size_t
kmem_first_offset(u_int cls)
{
	return roundup(sizeof(struct kmem_chunk), kmem_class_size(cls));
}

static inline struct kmem_chunk *
kmem_chunk_of(const void *p)
{
	return (struct kmem_chunk *)((uintptr_t)p & ~(uintptr_t)(KMEM_CHUNK - 1));
}

static void
kmem_poison(void *p, size_t size)
{
#ifdef DIAGNOSTIC
	unsigned long *w = p;

	for (size_t i = 0; i < size / sizeof(*w); i++)
		w[i] = KMEM_POISON;
#endif
}

/* Word 0 may hold a free-list link: check the words after it. */
static void
kmem_poison_check(void *p, size_t size)
{
#ifdef DIAGNOSTIC
	unsigned long *w = p;
	size_t n = size / sizeof(*w);

	if (n > KMEM_POISON_CHECK)
		n = KMEM_POISON_CHECK;
	for (size_t i = 1; i < n; i++) {
		if (w[i] != KMEM_POISON)
			panic("kmem: %p (size %zu) modified after free: "
			    "word %zu is %#lx", p, size, i, w[i]);
	}
#endif
}

/* Check p against its chunk header: a free of the wrong size panics. */
static void
kmem_check_small(const void *p, size_t size, u_int cls)
{
	struct kmem_chunk *kc = kmem_chunk_of(p);
	size_t off = (size_t)((uintptr_t)p - (uintptr_t)kc);

	if (kc->kc_magic != KMEM_CHUNK_MAGIC)
		panic("kmem_free(%p, %zu): not a kmem object", p, size);
	if (kc->kc_class != cls)
		panic("kmem_free(%p, %zu): wrong size, object is of class "
		    "%zu", p, size, kmem_class_size(kc->kc_class));
	if (off < kmem_first_offset(cls) ||
	    (off & (kmem_class_size(cls) - 1)) != 0)
		panic("kmem_free(%p, %zu): not the start of an object", p,
		    size);
}

static struct kmem_pcpu *
kmem_pcpu_enter(void)
{
	struct lwp *l = curlwp;
	struct kmem_pcpu *pc;

	KASSERT(l != NULL && l->l_cpu != NULL);
	pc = &kmem_pcpu[l->l_cpu->ci_index];
	while (__atomic_exchange_n(&pc->kp_busy, 1, __ATOMIC_ACQUIRE) != 0) {
		while (atomic_load_relaxed(&pc->kp_busy) != 0)
			continue;
	}
	return pc;
}

static inline void
kmem_pcpu_exit(struct kmem_pcpu *pc)
{
	__atomic_store_n(&pc->kp_busy, 0, __ATOMIC_RELEASE);
}

/* ---------------------------------------------------------------- depot */

static void
kmem_chunk_release(struct kmem_chunk *kc)
{
	kc->kc_magic = 0;
	rumpuser_free(kc, KMEM_CHUNK);
	atomic_add_64(&kmem_host_bytes, -(uint64_t)KMEM_CHUNK);
}

/* A new chunk from the hypervisor, or NULL.  Called without locks. */
static struct kmem_chunk *
kmem_chunk_alloc(u_int cls)
{
	struct kmem_chunk *kc;
	void *mem;

	if (rumpuser_malloc(KMEM_CHUNK, KMEM_CHUNK, &mem) != 0)
		return NULL;
	atomic_add_64(&kmem_host_bytes, KMEM_CHUNK);
	kc = mem;
	kc->kc_magic = KMEM_CHUNK_MAGIC;
	kc->kc_class = (uint16_t)cls;
	kc->kc_nobj = (uint16_t)((KMEM_CHUNK - kmem_first_offset(cls)) /
	    kmem_class_size(cls));
	kc->kc_nfree = kc->kc_nobj;
	kc->kc_ncarved = 0;
	kc->kc_free = NULL;
	kc->kc_onpartial = false;
	return kc;
}

/* Take one free object of a chunk.  Precondition: depot lock, nfree > 0. */
static void *
kmem_chunk_take(struct kmem_depot *kd, struct kmem_chunk *kc, u_int cls)
{
	void *p;

	if (kc->kc_free != NULL) {
		p = kc->kc_free;
		kc->kc_free = *(void **)p;
	} else {
		p = (char *)kc + kmem_first_offset(cls) +
		    (size_t)kc->kc_ncarved * kmem_class_size(cls);
		kc->kc_ncarved++;
		kmem_poison(p, kmem_class_size(cls));
	}
	if (--kc->kc_nfree == 0) {
		LIST_REMOVE(kc, kc_partial);
		kc->kc_onpartial = false;
	}
	return p;
}

/*
 * Fill objs with up to n free objects of class cls (at least one unless
 * KM_NOSLEEP and the hypervisor has no memory).  May sleep with KM_SLEEP.
 * Precondition: no kmem busy word held.
 */
static u_int
kmem_depot_get(u_int cls, void **objs, u_int n, int flags)
{
	struct kmem_depot *kd = &kmem_depot[cls];
	struct kmem_chunk *kc, *fresh = NULL;
	u_int got = 0;
	int waited = 0;

	for (;;) {
		mutex_enter(&kd->kd_lock);
		if (fresh != NULL) {
			LIST_INSERT_HEAD(&kd->kd_all, fresh, kc_all);
			LIST_INSERT_HEAD(&kd->kd_partial, fresh, kc_partial);
			fresh->kc_onpartial = true;
			fresh = NULL;
		}
		if (LIST_EMPTY(&kd->kd_partial) && kd->kd_spare != NULL) {
			kc = kd->kd_spare;
			kd->kd_spare = NULL;
			LIST_INSERT_HEAD(&kd->kd_partial, kc, kc_partial);
			kc->kc_onpartial = true;
		}
		while (got < n && (kc = LIST_FIRST(&kd->kd_partial)) != NULL)
			objs[got++] = kmem_chunk_take(kd, kc, cls);
		mutex_exit(&kd->kd_lock);
		if (got > 0)
			return got;

		fresh = kmem_chunk_alloc(cls);
		if (fresh != NULL)
			continue;
		if (flags & KM_NOSLEEP)
			return 0;
		if (++waited > KMEM_SLEEP_TICKS)
			panic("kmem: no memory for class %zu after %d ticks",
			    kmem_class_size(cls), KMEM_SLEEP_TICKS);
		(void)kpause("kmemwait", false, 1, NULL);
	}
}

/*
 * Give objects back to their chunks; chunks that become empty go back to
 * the hypervisor (one is kept as the class's spare).  Precondition: no
 * kmem busy word held.
 */
static void
kmem_depot_put(u_int cls, void **objs, u_int n)
{
	struct kmem_depot *kd = &kmem_depot[cls];
	struct kmem_chunk *kc, *release[KMEM_MAGMAX + 1];
	u_int nrel = 0;

	KASSERT(n <= __arraycount(release));
	mutex_enter(&kd->kd_lock);
	for (u_int i = 0; i < n; i++) {
		kc = kmem_chunk_of(objs[i]);
		*(void **)objs[i] = kc->kc_free;
		kc->kc_free = objs[i];
		kc->kc_nfree++;
		if (kc->kc_nfree == 1) {
			LIST_INSERT_HEAD(&kd->kd_partial, kc, kc_partial);
			kc->kc_onpartial = true;
		}
		if (kc->kc_nfree < kc->kc_nobj)
			continue;
		LIST_REMOVE(kc, kc_partial);
		kc->kc_onpartial = false;
		if (kd->kd_spare == NULL) {
			kd->kd_spare = kc;
		} else {
			LIST_REMOVE(kc, kc_all);
			release[nrel++] = kc;
		}
	}
	mutex_exit(&kd->kd_lock);
	for (u_int i = 0; i < nrel; i++)
		kmem_chunk_release(release[i]);
}

/* ---------------------------------------------------------------- small */

static void *
kmem_small_alloc_slow(u_int cls, int flags)
{
	void *batch[KMEM_MAGMAX / 2], *p;
	struct kmem_pcpu *pc;
	struct kmem_mag *mag;
	u_int n, cap = kmem_mag_cap(cls);

	n = kmem_depot_get(cls, batch, cap / 2, flags);
	if (n == 0)
		return NULL;
	pc = kmem_pcpu_enter();
	mag = &pc->kp_mag[cls];
	p = batch[--n];
	while (n > 0 && mag->km_n < cap)
		mag->km_obj[mag->km_n++] = batch[--n];
	pc->kp_allocs++;
	pc->kp_inuse += (int64_t)kmem_class_size(cls);
	kmem_pcpu_exit(pc);
	if (n > 0)
		kmem_depot_put(cls, batch, n);
	return p;
}

static void *
kmem_small_alloc(u_int cls, int flags)
{
	struct kmem_pcpu *pc = kmem_pcpu_enter();
	struct kmem_mag *mag = &pc->kp_mag[cls];
	void *p;

	if (__predict_false(mag->km_n == 0)) {
		kmem_pcpu_exit(pc);
		p = kmem_small_alloc_slow(cls, flags);
	} else {
		p = mag->km_obj[--mag->km_n];
		pc->kp_allocs++;
		pc->kp_inuse += (int64_t)kmem_class_size(cls);
		kmem_pcpu_exit(pc);
	}
	if (p != NULL)
		kmem_poison_check(p, kmem_class_size(cls));
	return p;
}

static void
kmem_small_free(void *p, u_int cls)
{
	void *batch[KMEM_MAGMAX / 2 + 1];
	struct kmem_pcpu *pc;
	struct kmem_mag *mag;
	u_int n = 0, cap = kmem_mag_cap(cls);

	kmem_poison(p, kmem_class_size(cls));
	pc = kmem_pcpu_enter();
	mag = &pc->kp_mag[cls];
	pc->kp_allocs--;
	pc->kp_inuse -= (int64_t)kmem_class_size(cls);
	if (__predict_false(mag->km_n == cap)) {
		while (n < cap / 2)
			batch[n++] = mag->km_obj[--mag->km_n];
	}
	mag->km_obj[mag->km_n++] = p;
	kmem_pcpu_exit(pc);
	if (n > 0)
		kmem_depot_put(cls, batch, n);
}

/* Move every object of one CPU's magazines back to the depot. */
static void
kmem_pcpu_drain(struct kmem_pcpu *pc)
{
	void *batch[KMEM_MAGMAX];
	u_int n;

	for (u_int cls = 0; cls < KMEM_NCLASS; cls++) {
		while (__atomic_exchange_n(&pc->kp_busy, 1,
		    __ATOMIC_ACQUIRE) != 0)
			continue;
		n = pc->kp_mag[cls].km_n;
		memcpy(batch, pc->kp_mag[cls].km_obj, n * sizeof(void *));
		pc->kp_mag[cls].km_n = 0;
		kmem_pcpu_exit(pc);
		if (n > 0)
			kmem_depot_put(cls, batch, n);
	}
}

/* ---------------------------------------------------------------- big */

static inline u_int
kmem_big_hash(const void *p)
{
	return (u_int)(((uintptr_t)p >> PAGE_SHIFT) % KMEM_BIGHASH);
}

static void *
kmem_big_alloc(size_t size, size_t align, int flags)
{
	struct kmem_big *kb;
	int waited = 0;
	void *p;

	for (;;) {
		if (rumpuser_malloc(sizeof(*kb), 0, (void **)&kb) == 0) {
			if (rumpuser_malloc(size, (int)align, &p) == 0)
				break;
			rumpuser_free(kb, sizeof(*kb));
		}
		if (flags & KM_NOSLEEP)
			return NULL;
		if (++waited > KMEM_SLEEP_TICKS)
			panic("kmem: no memory for %zu bytes after %d ticks",
			    size, KMEM_SLEEP_TICKS);
		(void)kpause("kmemwait", false, 1, NULL);
	}
	kb->kb_addr = p;
	kb->kb_size = size;
	atomic_add_64(&kmem_host_bytes, size + sizeof(*kb));
	atomic_inc_64(&kmem_big_allocs);
	atomic_add_64(&kmem_big_inuse, size);
	mutex_enter(&kmem_big_lock);
	LIST_INSERT_HEAD(&kmem_bighash[kmem_big_hash(p)], kb, kb_hash);
	mutex_exit(&kmem_big_lock);
	return p;
}

static void
kmem_big_free(void *p, size_t size)
{
	struct kmem_big *kb;

	mutex_enter(&kmem_big_lock);
	LIST_FOREACH(kb, &kmem_bighash[kmem_big_hash(p)], kb_hash) {
		if (kb->kb_addr == p)
			break;
	}
	if (kb == NULL || kb->kb_size != size) {
		mutex_exit(&kmem_big_lock);
		if (kb == NULL)
			panic("kmem_free(%p, %zu): not allocated", p, size);
		panic("kmem_free(%p, %zu): wrong size, allocated with %zu",
		    p, size, kb->kb_size);
	}
	LIST_REMOVE(kb, kb_hash);
	mutex_exit(&kmem_big_lock);
	rumpuser_free(p, size);
	rumpuser_free(kb, sizeof(*kb));
	atomic_add_64(&kmem_host_bytes, -(uint64_t)(size + sizeof(*kb)));
	atomic_dec_64(&kmem_big_allocs);
	atomic_add_64(&kmem_big_inuse, -(uint64_t)size);
}

/* ---------------------------------------------------------------- API */

void *
kmem_alloc(size_t size, int flags)
{
	KASSERTMSG(size > 0, "kmem_alloc of 0 bytes");
	KASSERT((flags & (KM_SLEEP | KM_NOSLEEP)) != 0);
	if (size == 0)
		size = 1;
	if (__predict_false(size > KMEM_MAXSMALL))
		return kmem_big_alloc(size, PAGE_SIZE, flags);
	return kmem_small_alloc(kmem_class(size), flags);
}

void *
kmem_zalloc(size_t size, int flags)
{
	void *p = kmem_alloc(size, flags);

	if (p != NULL)
		memset(p, 0, size);
	return p;
}

void
kmem_free(void *p, size_t size)
{
	u_int cls;

	KASSERT(p != NULL);
	KASSERTMSG(size > 0, "kmem_free of 0 bytes");
	if (size == 0)
		size = 1;
	if (__predict_false(size > KMEM_MAXSMALL)) {
		kmem_big_free(p, size);
		return;
	}
	cls = kmem_class(size);
	kmem_check_small(p, size, cls);
	kmem_small_free(p, cls);
}

char *
kmem_strdup(const char *s, int flags)
{
	size_t len = strlen(s) + 1;
	char *p = kmem_alloc(len, flags);

	if (p != NULL)
		memcpy(p, s, len);
	return p;
}

void
kmem_strfree(char *s)
{
	kmem_free(s, strlen(s) + 1);
}

void *
kmem_page_alloc(size_t npages, int flags)
{
	size_t bytes = npages * PAGE_SIZE, align = PAGE_SIZE;

	KASSERT(npages > 0);
	if (npages == 0 || npages > (1UL << 30) / PAGE_SIZE)
		return NULL;
	while (align < bytes)
		align <<= 1;
	return kmem_big_alloc(bytes, align, flags);
}

void
kmem_page_free(void *p, size_t npages)
{
	kmem_big_free(p, npages * PAGE_SIZE);
}

void
kmem_getstats(struct kmem_stats *ks)
{
	int64_t allocs = 0, inuse = 0;

	for (int i = 0; i < kmem_ncpu; i++) {
		allocs += atomic_load_relaxed(&kmem_pcpu[i].kp_allocs);
		inuse += atomic_load_relaxed(&kmem_pcpu[i].kp_inuse);
	}
	ks->ks_allocs = (uint64_t)allocs + atomic_load_relaxed(&kmem_big_allocs);
	ks->ks_inuse_bytes = (uint64_t)inuse +
	    atomic_load_relaxed(&kmem_big_inuse);
	ks->ks_host_bytes = atomic_load_relaxed(&kmem_host_bytes);
}

/*
 * Return every cached free object to its chunk and every empty chunk to
 * the hypervisor.  For tests (exact leak accounting) and memory pressure.
 * Precondition: an lwp; may take each CPU's busy word briefly.
 */
void
kmem_reclaim(void)
{
	struct kmem_chunk *spare;

	for (int i = 0; i < kmem_ncpu; i++)
		kmem_pcpu_drain(&kmem_pcpu[i]);
	for (u_int cls = 0; cls < KMEM_NCLASS; cls++) {
		mutex_enter(&kmem_depot[cls].kd_lock);
		spare = kmem_depot[cls].kd_spare;
		if (spare != NULL) {
			LIST_REMOVE(spare, kc_all);
			kmem_depot[cls].kd_spare = NULL;
		}
		mutex_exit(&kmem_depot[cls].kd_lock);
		if (spare != NULL)
			kmem_chunk_release(spare);
	}
}

/* ---------------------------------------------------------------- boot */

/* Precondition: the CPUs exist (ncpu set), lwp0 holds one. */
int
kmem_init(void)
{
	void *mem;
	int error;

	KASSERT(!kmem_ready);
	kmem_ncpu = ncpu;
	kmem_host_bytes = 0;
	kmem_big_allocs = 0;
	kmem_big_inuse = 0;
	kmem_pcpu_bytes = (size_t)kmem_ncpu * sizeof(struct kmem_pcpu);
	error = rumpuser_malloc(kmem_pcpu_bytes, 64, &mem);
	if (error != 0)
		return error;
	memset(mem, 0, kmem_pcpu_bytes);
	kmem_pcpu = mem;
	atomic_add_64(&kmem_host_bytes, kmem_pcpu_bytes);

	for (u_int cls = 0; cls < KMEM_NCLASS; cls++) {
		mutex_init(&kmem_depot[cls].kd_lock, MUTEX_SPIN, IPL_VM);
		LIST_INIT(&kmem_depot[cls].kd_all);
		LIST_INIT(&kmem_depot[cls].kd_partial);
		kmem_depot[cls].kd_spare = NULL;
	}
	mutex_init(&kmem_big_lock, MUTEX_SPIN, IPL_VM);
	for (u_int i = 0; i < KMEM_BIGHASH; i++)
		LIST_INIT(&kmem_bighash[i]);
	kmem_ready = true;
	return 0;
}

/*
 * Shutdown: give everything back to the hypervisor, reporting leaks by
 * class.  Returns the number of leaked allocations.  Precondition: no other
 * thread in the kernel (kmem objects still referenced die with this).
 */
size_t
kmem_fini(void)
{
	struct kmem_chunk *kc;
	struct kmem_big *kb;
	size_t leaked = 0, n, bytes;

	if (!kmem_ready)
		return 0;
	for (int i = 0; i < kmem_ncpu; i++)
		kmem_pcpu_drain(&kmem_pcpu[i]);

	for (u_int cls = 0; cls < KMEM_NCLASS; cls++) {
		struct kmem_depot *kd = &kmem_depot[cls];

		n = 0;
		while ((kc = LIST_FIRST(&kd->kd_all)) != NULL) {
			n += (size_t)(kc->kc_nobj - kc->kc_nfree);
			LIST_REMOVE(kc, kc_all);
			kmem_chunk_release(kc);
		}
		kd->kd_spare = NULL;
		LIST_INIT(&kd->kd_partial);
		if (n > 0)
			printf("kmem: %zu leaked objects of size %zu\n", n,
			    kmem_class_size(cls));
		leaked += n;
		mutex_destroy(&kd->kd_lock);
	}

	n = 0;
	bytes = 0;
	for (u_int i = 0; i < KMEM_BIGHASH; i++) {
		while ((kb = LIST_FIRST(&kmem_bighash[i])) != NULL) {
			LIST_REMOVE(kb, kb_hash);
			n++;
			bytes += kb->kb_size;
			rumpuser_free(kb->kb_addr, kb->kb_size);
			rumpuser_free(kb, sizeof(*kb));
		}
	}
	if (n > 0)
		printf("kmem: %zu leaked big allocations, %zu bytes\n", n,
		    bytes);
	leaked += n;
	mutex_destroy(&kmem_big_lock);

	rumpuser_free(kmem_pcpu, kmem_pcpu_bytes);
	kmem_pcpu = NULL;
	kmem_ncpu = 0;
	kmem_host_bytes = 0;
	kmem_big_allocs = 0;
	kmem_big_inuse = 0;
	kmem_ready = false;
	kmem_leaks_at_fini = leaked;
	return leaked;
}

size_t
kmem_last_leaks(void)
{
	return kmem_leaks_at_fini;
}
