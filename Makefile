# SPDX-License-Identifier: BSD-2-Clause
#
# Makefile: the top-level driver of linux-rump.
#
# Run by people and by .ci/run.  It compiles the rump kernel (rumpsrc/ and
# asm/) into one namespaced relocatable object per flavour, builds the POSIX
# hypervisor library and the userspace tests, hands the kernel flavour to
# kbuild (see Kbuild) to make rump.ko and the demo modules, and runs the
# checks, the tests, the demo and the benchmarks.
#
# Flavours (all under build/, from the same sources):
#   user  hosted userspace object, for tests on hypervisor/posix
#   kern  compiled with the kernel's own code-generation flags (build/kern/kflags)
#   asan  user + AddressSanitizer          (make test-asan)
#   tsan  user + ThreadSanitizer           (make test-tsan, part of check)
#
# Main targets: all (default), user, kern, modules, test-user, test-asan,
# test-guest, check-build, check, demo, bench, tsan, clean.
# `make check` prints `N passed, M failed` as its last line of stdout (on
# failure GNU make then adds its own "make: *** [check] Error 1" on stderr).

B := build

# Source locations; overridable to test the build on placeholder trees.
RUMPSRC_DIR ?= rumpsrc
ASM_DIR ?= asm
HYP_DIR ?= hypervisor
TESTS_DIR ?= tests

UARCH := $(shell uname -m)
KARCH := x86_64
KVER ?= $(shell scripts/kver.sh 2>/dev/null)
KDIR := /lib/modules/$(KVER)/build

HOSTCC ?= gcc
LD := ld
AR := ar
NM := nm
OBJCOPY := objcopy
export NM OBJCOPY

# ---------------------------------------------------------------- sources
RUMP_C := $(sort $(shell find $(RUMPSRC_DIR) -name '*.c' 2>/dev/null))
RUMP_S_user := $(sort $(wildcard $(ASM_DIR)/$(UARCH)/*.S))
RUMP_S_kern := $(sort $(wildcard $(ASM_DIR)/$(KARCH)/*.S))
PUBLIC_H := $(wildcard $(RUMPSRC_DIR)/include/rump/*.h)
KT_C := $(sort $(wildcard $(TESTS_DIR)/kern/kt_*.c))
# Hosted test sources: a file that defines main() is a program, named after
# the file; the other files of the same set are helpers.  Helpers of
# tests/kern go into an archive (libhosttest.a), so each program pulls in
# only the helpers it references; those of tests/hyp and tests/bench are
# linked into every program of their set (tests/hyp/fakecpu.c, ...).
MAIN_RE := ^(int[[:space:]]+)?main[[:space:]]*[(]
HAS_MAIN = $(if $(1),$(shell grep -lE '$(MAIN_RE)' $(1)))
HOST_C := $(sort $(wildcard $(TESTS_DIR)/kern/host_*.c))
HOST_MAIN := $(call HAS_MAIN,$(HOST_C))
HYPT_C := $(sort $(wildcard $(TESTS_DIR)/hyp/*.c))
HYPT_MAIN := $(call HAS_MAIN,$(HYPT_C))
BENCH_C := $(sort $(wildcard $(TESTS_DIR)/bench/host_*.c))
BENCH_MAIN := $(call HAS_MAIN,$(BENCH_C))
POSIX_C := $(sort $(wildcard $(HYP_DIR)/posix/*.c))
POSIX_H := $(wildcard $(HYP_DIR)/posix/*.h)

# ---------------------------------------------------------------- flags
WARN := -Wall -Wextra -Wno-unused-parameter -Werror
KINC := -I$(RUMPSRC_DIR)/include -I$(HYP_DIR)/include
DEPFLAGS = -MMD -MP -MF $@.d

# Rump kernel sources, user flavour (and the base of asan/tsan).
RK_CFLAGS_user := -std=gnu11 -O2 -g -ffreestanding -nostdinc -fno-common \
	-fno-strict-aliasing $(WARN) -D_KERNEL -D_RUMPKERNEL -DDIAGNOSTIC $(KINC)
SAN_asan := -fsanitize=address -fno-omit-frame-pointer
SAN_tsan := -fsanitize=thread
RK_CFLAGS_asan := $(RK_CFLAGS_user) $(SAN_asan)
RK_CFLAGS_tsan := $(RK_CFLAGS_user) $(SAN_tsan)
# perf: the user flavour without DIAGNOSTIC (no assertions, no poisoning of
# freed memory): what `make bench` measures.  Tests use the others.
RK_CFLAGS_perf := $(filter-out -DDIAGNOSTIC,$(RK_CFLAGS_user))
# Kernel flavour: kbuild's flags (read at recipe time from build/kern/kflags)
# plus ours.  KERN_EXTRA lets a developer add e.g. -DDIAGNOSTIC.
KERN_EXTRA ?=
RK_CFLAGS_kern = $$$$(cat $(B)/kern/kflags) -g -std=gnu11 -ffreestanding \
	-nostdinc -fno-common -D_KERNEL -D_RUMPKERNEL $(KINC) $(WARN) $(KERN_EXTRA)
RK_CC_user := $(HOSTCC)
RK_CC_asan := $(HOSTCC)
RK_CC_tsan := $(HOSTCC)
RK_CC_perf := $(HOSTCC)
# Extra prerequisite of every kernel-flavour object: kbuild's flags.
EXTRA_DEP_kern := $(B)/kern/kflags
# After compiling each kernel-flavour object, run kbuild's objtool on it, as
# kbuild does for module objects (command saved by kflags.sh): ORC unwind
# tables, and the .return_sites/.retpoline_sites lists the module loader
# patches.  KERN_OBJTOOL=0 skips it.
KERN_OBJTOOL ?= 1
define POST_kern
	@if [ "$(KERN_OBJTOOL)" != 0 ] && [ -s $(B)/kern/objtool ]; then \
		echo "  OBJTOOL $$@"; $$$$(cat $(B)/kern/objtool) $$@; fi
endef
RK_CC_kern = $$$$(cat $(B)/kern/kcc)

# Hosted code (hypervisor/posix, host-side tests).
HOST_CFLAGS := -std=gnu11 -O2 -g -D_GNU_SOURCE -Wall -Wextra -Werror -pthread
HOST_CFLAGS_user := $(HOST_CFLAGS)
HOST_CFLAGS_asan := $(HOST_CFLAGS) $(SAN_asan)
HOST_CFLAGS_tsan := $(HOST_CFLAGS) $(SAN_tsan)
HOST_CFLAGS_perf := $(HOST_CFLAGS)
# Host tests see only the public headers: build/pubinc exposes rump/ (a link
# to rumpsrc/include/rump) and the POSIX hypervisor's headers, never
# rumpsrc/include/sys, which would shadow libc's.
HOSTTEST_INC := -I$(B)/pubinc -I$(HYP_DIR)/include
HYPTEST_INC := -I$(HYP_DIR)/include -I$(HYP_DIR)/posix -I$(TESTS_DIR)/hyp

# ---------------------------------------------------------------- per flavour
# $(1): flavour, $(2): asm sources
define FLAVOUR_RULES
RK_OBJS_$(1) := $$(patsubst $(RUMPSRC_DIR)/%.c,$(B)/$(1)/obj/rumpsrc/%.o,$(RUMP_C)) \
	$$(patsubst $(ASM_DIR)/%.S,$(B)/$(1)/obj/asm/%.o,$(2))
COMP_OBJ_$(1) := $(B)/$(1)/gen/components.o

$(B)/$(1)/obj/rumpsrc/%.o: $(RUMPSRC_DIR)/%.c $(B)/$(1)/.flags $(EXTRA_DEP_$(1))
	@mkdir -p $$(@D)
	$(RK_CC_$(1)) $(RK_CFLAGS_$(1)) $$(DEPFLAGS) -c -o $$@ $$<
$(POST_$(1))
$(B)/$(1)/obj/asm/%.o: $(ASM_DIR)/%.S $(B)/$(1)/.flags $(EXTRA_DEP_$(1))
	@mkdir -p $$(@D)
	$(RK_CC_$(1)) $(RK_CFLAGS_$(1)) $$(DEPFLAGS) -c -o $$@ $$<
$(POST_$(1))
$(B)/$(1)/gen/components.c: $(RUMP_C) scripts/gen-components.sh
	@mkdir -p $$(@D)
	scripts/gen-components.sh $$@ $(RUMP_C)

$(B)/$(1)/gen/components.o: $(B)/$(1)/gen/components.c $(B)/$(1)/.flags $(EXTRA_DEP_$(1))
	$(RK_CC_$(1)) $(RK_CFLAGS_$(1)) $$(DEPFLAGS) -c -o $$@ $$<
$(POST_$(1))
# One relocatable object: ld -r -d (no COMMON symbols), strip the compiler
# ident, rename every internal global into rumpns_.
$(B)/$(1)/rumpkernel.o: $$(RK_OBJS_$(1)) $$(COMP_OBJ_$(1)) $(PUBLIC_H) \
		scripts/namespace.sh scripts/public-api.sh scripts/link-object.sh
	scripts/link-object.sh $(1) $$@ $(RUMPSRC_DIR)/include/rump '' \
		$$(RK_OBJS_$(1)) $$(COMP_OBJ_$(1))
endef

# Userspace-only parts of a flavour: ktest object, POSIX library, tests.
# $(1): flavour
define HOSTED_RULES
KT_OBJS_$(1) := $$(patsubst $(TESTS_DIR)/kern/%.c,$(B)/$(1)/obj/ktest/%.o,$(KT_C))
KTEST_OBJ_$(1) := $(B)/$(1)/gen/ktests.o
POSIX_OBJS_$(1) := $$(patsubst $(HYP_DIR)/posix/%.c,$(B)/$(1)/obj/posix/%.o,$(POSIX_C))
LIBPOSIX_$(1) := $(B)/$(1)/librumpuser_posix.a
HOST_BINS_$(1) := $$(patsubst $(TESTS_DIR)/kern/%.c,$(B)/$(1)/tests/%,$(HOST_MAIN))
HOST_HELP_$(1) := $$(patsubst $(TESTS_DIR)/kern/%.c,$(B)/$(1)/obj/host/%.o,$(filter-out $(HOST_MAIN),$(HOST_C)))
HYPT_BINS_$(1) := $$(patsubst $(TESTS_DIR)/hyp/%.c,$(B)/$(1)/tests/%,$(HYPT_MAIN))
HYPT_HELP_$(1) := $$(patsubst $(TESTS_DIR)/hyp/%.c,$(B)/$(1)/obj/hyptest/%.o,$(filter-out $(HYPT_MAIN),$(HYPT_C)))
BENCH_BINS_$(1) := $$(patsubst $(TESTS_DIR)/bench/%.c,$(B)/$(1)/bench/%,$(BENCH_MAIN))
BENCH_HELP_$(1) := $$(patsubst $(TESTS_DIR)/bench/%.c,$(B)/$(1)/obj/bench/%.o,$(filter-out $(BENCH_MAIN),$(BENCH_C)))

$(B)/$(1)/obj/ktest/%.o: $(TESTS_DIR)/kern/%.c $(B)/$(1)/.flags
	@mkdir -p $$(@D)
	$(RK_CC_$(1)) $(RK_CFLAGS_$(1)) -I$(TESTS_DIR)/kern $$(DEPFLAGS) -c -o $$@ $$<

$(B)/$(1)/gen/ktests.c: $(KT_C) scripts/gen-ktests.sh
	@mkdir -p $$(@D)
	scripts/gen-ktests.sh $$@ $(KT_C)

$(B)/$(1)/gen/ktests.o: $(B)/$(1)/gen/ktests.c $(B)/$(1)/.flags
	$(RK_CC_$(1)) $(RK_CFLAGS_$(1)) -I$(TESTS_DIR)/kern $$(DEPFLAGS) -c -o $$@ $$<

$(B)/$(1)/ktest-kernel.o: $$(RK_OBJS_$(1)) $$(KT_OBJS_$(1)) $$(KTEST_OBJ_$(1)) \
		$$(COMP_OBJ_$(1)) $(PUBLIC_H) scripts/namespace.sh \
		scripts/public-api.sh scripts/link-object.sh
	scripts/link-object.sh $(1) $$@ $(RUMPSRC_DIR)/include/rump '^ktest_' \
		$$(RK_OBJS_$(1)) $$(KT_OBJS_$(1)) $$(KTEST_OBJ_$(1)) $$(COMP_OBJ_$(1))

$(B)/$(1)/obj/posix/%.o: $(HYP_DIR)/posix/%.c $(B)/$(1)/.flags
	@mkdir -p $$(@D)
	$(HOSTCC) $(HOST_CFLAGS_$(1)) -I$(HYP_DIR)/include $$(DEPFLAGS) -c -o $$@ $$<

$(B)/$(1)/librumpuser_posix.a: $$(POSIX_OBJS_$(1))
	@mkdir -p $$(@D)
	rm -f $$@
	$(AR) rcs $$@ $$^

$(B)/$(1)/obj/host/%.o: $(TESTS_DIR)/kern/%.c $(B)/$(1)/.flags | $(B)/pubinc/.stamp
	@mkdir -p $$(@D)
	$(HOSTCC) $(HOST_CFLAGS_$(1)) $(HOSTTEST_INC) $$(DEPFLAGS) -c -o $$@ $$<

$(B)/$(1)/libhosttest.a: $$(HOST_HELP_$(1))
	@mkdir -p $$(@D)
	rm -f $$@
	$(AR) rcs $$@ $$^

$$(HOST_BINS_$(1)): $(B)/$(1)/tests/%: $(B)/$(1)/obj/host/%.o \
		$(B)/$(1)/libhosttest.a $(B)/$(1)/ktest-kernel.o \
		$(B)/$(1)/librumpuser_posix.a
	@mkdir -p $$(@D)
	$(HOSTCC) $(HOST_CFLAGS_$(1)) -o $$@ $$^ -pthread

$(B)/$(1)/obj/hyptest/%.o: $(TESTS_DIR)/hyp/%.c $(B)/$(1)/.flags
	@mkdir -p $$(@D)
	$(HOSTCC) $(HOST_CFLAGS_$(1)) $(HYPTEST_INC) $$(DEPFLAGS) -c -o $$@ $$<

$$(HYPT_BINS_$(1)): $(B)/$(1)/tests/%: $(B)/$(1)/obj/hyptest/%.o $$(HYPT_HELP_$(1)) \
		$(B)/$(1)/librumpuser_posix.a
	@mkdir -p $$(@D)
	$(HOSTCC) $(HOST_CFLAGS_$(1)) -o $$@ $$^ -pthread

$(B)/$(1)/obj/bench/%.o: $(TESTS_DIR)/bench/%.c $(B)/$(1)/.flags | $(B)/pubinc/.stamp
	@mkdir -p $$(@D)
	$(HOSTCC) $(HOST_CFLAGS_$(1)) $(HOSTTEST_INC) $$(DEPFLAGS) -c -o $$@ $$<

$$(BENCH_BINS_$(1)): $(B)/$(1)/bench/%: $(B)/$(1)/obj/bench/%.o $$(BENCH_HELP_$(1)) \
		$(B)/$(1)/ktest-kernel.o $(B)/$(1)/librumpuser_posix.a
	@mkdir -p $$(@D)
	$(HOSTCC) $(HOST_CFLAGS_$(1)) -o $$@ $$^ -pthread

$(1)-tests: $(B)/$(1)/rumpkernel.o $$(LIBPOSIX_$(1)) $$(HOST_BINS_$(1)) $$(HYPT_BINS_$(1))
$(1)-bench: $$(BENCH_BINS_$(1))
endef

$(eval $(call FLAVOUR_RULES,user,$(RUMP_S_user)))
$(eval $(call FLAVOUR_RULES,asan,$(RUMP_S_user)))
$(eval $(call FLAVOUR_RULES,tsan,$(RUMP_S_user)))
$(eval $(call FLAVOUR_RULES,perf,$(RUMP_S_user)))
$(eval $(call FLAVOUR_RULES,kern,$(RUMP_S_kern)))
$(eval $(call HOSTED_RULES,user))
$(eval $(call HOSTED_RULES,asan))
$(eval $(call HOSTED_RULES,tsan))
$(eval $(call HOSTED_RULES,perf))

# A flavour's objects are rebuilt when its flag set changes (.flags holds it).
FLAGS_TEXT_user := $(RK_CFLAGS_user) | $(HOST_CFLAGS_user) | $(HOSTCC)
FLAGS_TEXT_asan := $(RK_CFLAGS_asan) | $(HOST_CFLAGS_asan) | $(HOSTCC)
FLAGS_TEXT_tsan := $(RK_CFLAGS_tsan) | $(HOST_CFLAGS_tsan) | $(HOSTCC)
FLAGS_TEXT_kern := $(KERN_EXTRA) | $(KVER)
$(B)/%/.flags: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(FLAGS_TEXT_$*)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# The kernel flavour also depends on kbuild's flags, regenerated when KVER
# changes (build/kern/kver holds the version they were read for).
$(B)/kern/.flags: $(B)/kern/kflags
$(B)/kern/kver: FORCE
	@test -n "$(KVER)" || { echo "no kernel headers+image found: run scripts/deps.sh" >&2; exit 1; }
	@mkdir -p $(@D)
	@printf '%s\n' '$(KVER)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(B)/kern/kflags: $(B)/kern/kver scripts/kflags.sh
	scripts/kflags.sh $(KVER) $(B)/kern > $@.tmp
	mv $@.tmp $@

# Public header view for hosted and Linux-side code (see HOSTTEST_INC).
$(B)/pubinc/.stamp: $(POSIX_H) FORCE
	@mkdir -p $(B)/pubinc
	@ln -sfn ../../$(RUMPSRC_DIR)/include/rump $(B)/pubinc/rump
	@for h in $(POSIX_H); do ln -sfn ../../$$h $(B)/pubinc/$$(basename $$h); done
	@touch $@

# ---------------------------------------------------------------- kbuild
KMOD_INPUTS := $(B)/kern/rumpkernel.o $(B)/kern/rump_core.o_shipped \
	$(B)/kern/gen/rump_exports.c $(B)/pubinc/.stamp

$(B)/kern/rump_core.o_shipped: $(B)/kern/rumpkernel.o
	cp $< $@
	printf '%s\n' 'cmd_$(CURDIR)/$(B)/kern/rump_core.o := cat $(CURDIR)/$@ > $(CURDIR)/$(B)/kern/rump_core.o' > $(B)/kern/.rump_core.o.cmd

$(B)/kern/gen/rump_exports.c: $(B)/kern/rumpkernel.o scripts/gen-exports.sh
	@mkdir -p $(@D)
	scripts/gen-exports.sh $< $@

# ---------------------------------------------------------------- targets
.PHONY: all user kern modules test-user test-asan test-guest check-build \
	check demo bench tsan test-tsan clean deps FORCE user-tests asan-tests \
	tsan-tests user-bench asan-bench tsan-bench perf-bench
.DEFAULT_GOAL := all
# Keep intermediate objects (no rebuilds on the next run); delete a target
# whose recipe failed half-way.
.SECONDARY:
.DELETE_ON_ERROR:

all: user kern modules

user: $(B)/user/rumpkernel.o $(B)/user/librumpuser_posix.a user-tests

kern: $(B)/kern/rumpkernel.o

modules: $(KMOD_INPUTS) $(B)/guest/nbench
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The Linux-side TCP benchmark peer, a static program for the guest image
# (scripts/guest-test.sh adds it as /guest/nbench).
$(B)/guest/nbench: $(TESTS_DIR)/bench/guest_nbench.c
	@mkdir -p $(@D)
	$(HOSTCC) -static -O2 -Wall -Wextra -Werror -o $@ $<

deps:
	scripts/deps.sh

test-user: user-tests
	scripts/run-tests.sh user $(B)/user/tests

test-asan: asan-tests
	@st=0; \
	scripts/check-object.sh asan $(B)/asan/rumpkernel.o $(RUMPSRC_DIR)/include/rump || st=1; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		scripts/run-tests.sh asan $(B)/asan/tests || st=1; \
	exit $$st

tsan: tsan-tests

test-tsan: tsan-tests
	TSAN_OPTIONS=halt_on_error=1 scripts/run-tests.sh tsan $(B)/tsan/tests

# The FFS demo's disks (scripts/mkffsimage.sh), made afresh for each boot
# that uses them (the demo writes to them): /dev/vda UFS1, /dev/vdb UFS2.
# UFS1 comes first: it is the disk rump_demoffs.ko uses by default in
# `make demo`, and the one Linux's ufs driver can read back (see
# tests/guest/ffs.sh for why not the UFS2 one).
FFS_DISKS := $(B)/guest/ffs-ufs1.img $(B)/guest/ffs-ufs2.img
define MAKE_FFS_DISKS
	@mkdir -p $(B)/guest
	scripts/mkffsimage.sh $(B)/guest/ffs-ufs1.img 1
	scripts/mkffsimage.sh $(B)/guest/ffs-ufs2.img 2
endef

# The damaged images of tests/guest/ffsbad.sh (scripts/mkffsbad.sh), in
# the initramfs as /guest/bad/<name>.
FFS_BAD := $(B)/guest/ffsbad
FFS_BAD_FILES = $$(for f in $(FFS_BAD)/*; do printf '%s:/guest/bad/%s ' $$f $${f\#\#*/}; done)

test-guest: modules
	$(MAKE_FFS_DISKS)
	scripts/mkffsbad.sh $(FFS_BAD)
	DISKS="$(FFS_DISKS)" GUEST_FILES="$(FFS_BAD_FILES)" scripts/guest-test.sh foundation tests/guest/foundation.sh 2 all
	scripts/guest-test.sh foundation-smp1 tests/guest/foundation.sh 1 "basic smp1"

check-build: user kern modules
	@st=0; \
	scripts/check-includes.sh $(RUMPSRC_DIR) $(ASM_DIR) $(HYP_DIR)/include || st=1; \
	scripts/check-object.sh user $(B)/user/rumpkernel.o $(RUMPSRC_DIR)/include/rump || st=1; \
	scripts/check-object.sh kern $(B)/kern/rumpkernel.o $(RUMPSRC_DIR)/include/rump || st=1; \
	scripts/check-module.sh rump.ko $(HYP_DIR)/include/rump/rumpuser.h \
		$(HYP_DIR)/include/rump/rumpvif.h || st=1; \
	exit $$st

# The whole check runs in a script that records each stage's result, so a
# failing stage still ends with the summary line (and a non-zero exit).
check:
	@MAKE="$(MAKE)" scripts/run-check.sh

demo: deps
	$(MAKE) all
	$(MAKE_FFS_DISKS)
	DISKS="$(FFS_DISKS)" scripts/guest-test.sh demo demos/demo-guest.sh 2 demo --show

bench: deps
	@MAKE="$(MAKE)" scripts/bench.sh

clean:
	rm -rf $(B)
	if [ -d $(KDIR) ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi

-include $(shell find $(B) -name '*.d' 2>/dev/null)
