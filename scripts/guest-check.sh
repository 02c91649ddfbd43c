#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# guest-check.sh NAME LOG: turn a guest's serial log into result lines.
#
# Called by scripts/guest-test.sh after each boot.  Prints:
#   - the guest script's own PASS:/FAIL: lines (carriage returns removed);
#   - `FAIL: guest.NAME.clean_log: <line>` for every distinct log line that
#     shows a kernel problem (BUG:, Oops, WARNING:, Call Trace, Kernel panic,
#     general protection, refcount_t, list_add corruption, scheduling while
#     atomic, sleeping function called from invalid context), or
#     `PASS: guest.NAME.clean_log` if there is none.  The guest's own result
#     lines are not scanned (they may quote what they looked for);
#   - `FAIL: guest.NAME.completed: ...` if the end marker @@GUEST-END@@ is
#     missing (timeout, hang, guest crash), else PASS.
# Exits non-zero if any FAIL line was printed.
set -u

NAME=${1:?usage: guest-check.sh NAME LOG}
LOG=${2:?usage: guest-check.sh NAME LOG}
st=0

if [ ! -f "$LOG" ]; then
	echo "FAIL: guest.$NAME.completed: no log $LOG"
	exit 1
fi

clean=$(tr -d '\r' < "$LOG" | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g')

printf '%s\n' "$clean" | grep -E '^(PASS|FAIL): '
printf '%s\n' "$clean" | grep -q '^FAIL: ' && st=1

bad=$(printf '%s\n' "$clean" | grep -vE '^(PASS|FAIL): ' |
	grep -E 'BUG:|Oops|WARNING:|Call Trace|Kernel panic|general protection|refcount_t|list_add corruption|scheduling while atomic|sleeping function called from invalid context' |
	sed -e 's/^\[ *[0-9.]*\] //' | awk '!seen[$0]++')
if [ -n "$bad" ]; then
	printf '%s\n' "$bad" | head -n 40 | while IFS= read -r l; do
		echo "FAIL: guest.$NAME.clean_log: $l"
	done
	st=1
else
	echo "PASS: guest.$NAME.clean_log"
fi

if printf '%s\n' "$clean" | grep -q '^@@GUEST-END@@'; then
	echo "PASS: guest.$NAME.completed"
else
	last=$(printf '%s\n' "$clean" | sed '/^[[:space:]]*$/d' | tail -n 1)
	echo "FAIL: guest.$NAME.completed: no end marker (timeout or crash); last line: $last"
	st=1
fi
exit "$st"
