/* The ptrace tracer's per-stop system calls as one C call each (optional CPython extension).
 *
 * syscope._kernel.stops uses this module when it is built and falls back to the same functions
 * written with os.waitpid and ctypes otherwise (stops.py holds both and says which is used).
 * Every call here but the lines of fmt_* is a thin wrapper of one or two system calls: what to
 * do with a stop stays in the Python engine.  The gain is the crossing: a ctypes call costs about
 * a microsecond (argument conversion, errno save/restore), a METH_FASTCALL function a few tens of
 * nanoseconds, and a full trace makes several per stop.
 *
 *   wait_stop(flags) -> (tid, status, info) | (0, 0, None)
 *       waitpid(-1, &status, flags) (flags: __WALL, maybe WNOHANG); when the task stopped for a
 *       syscall (SIGTRAP|0x80, PTRACE_O_TRACESYSGOOD) or a seccomp event, info is what
 *       PTRACE_GET_SYSCALL_INFO reports (see syscall_info), else None.  ECHILD raises
 *       ChildProcessError; EINTR runs the Python signal handlers and waits again (PEP 475).
 *   syscall_info(tid) -> tuple | None
 *       struct ptrace_syscall_info (include/uapi/linux/ptrace.h) as
 *       (op, arch, ip, sp, nr, a0, a1, a2, a3, a4, a5) at entry or a seccomp stop,
 *       (op, arch, ip, sp, rval, is_error) at exit, (op, arch, ip, sp) otherwise (the struct's
 *       fields in order: the ctypes version is one struct.unpack); None when the call fails
 *       (ESRCH: the task is gone, its exit status follows).
 *   resume(request, tid, sig) -> errno (0 on success)
 *       ptrace(PTRACE_SYSCALL/CONT/LISTEN, tid, 0, sig).
 *   vm_read(pid, addr, size) -> bytes | None | int
 *       process_vm_readv(2) of one range: the bytes read (short at a fault), None when nothing was
 *       readable (EFAULT, ESRCH, EIO), or the errno of any other failure (ENOSYS, EPERM: this way
 *       of reading does not work here).
 *   wait_call(flags) -> (tid, status, info, entry, ts)
 *       wait_stop, but the entry stop of a call the engine marked (fast_call) made by a thread it
 *       armed (arm) is handled here: its info is kept with the time (CLOCK_REALTIME, as
 *       time.time()), the thread is resumed with PTRACE_SYSCALL, and the wait goes on.  The next
 *       report of that thread (its exit stop, or an exit, a kill, PTRACE_EVENT_EXIT) comes back
 *       with the kept entry info and time as entry and ts (else None and 0.0).  The engine marks
 *       only calls whose entry half may be decoded at the exit stop (late_decode.py): on one CPU
 *       a stop handled in Python is a return to the interpreter and back while the tracee waits.
 *   arm(tid, on[, proc_pid]), fast_call(audit_arch, nr, on), reset(): the threads and calls wait_call
 *       handles itself; arm(tid, False) and reset() forget a kept entry (a thread gone without its
 *       report); proc_pid: /proc's number of the thread's process, where -y's lines read links.
 *       fast_call's on = 2 keeps only the entries a command's line plan selects (fmt_call's select:
 *       ioctl, whose _IOWR commands are decoded while the thread is stopped at entry).
 *   take(tid) -> (entry, ts) | None: the entry kept for a thread that has not reported since (the
 *       call it is in when the trace is interrupted), taken back.
 *   take_other(tid) -> (tid, entry, ts) | None: the entry kept for another thread than the one
 *       whose report wait_call returned, taken back.  One entry is kept at a time: a stop of
 *       another thread that would start a line while one is kept goes to Python (-f with more
 *       than one task: strace prints the kept call's entry half first, which that line cuts).
 *   fmt_open([text | None]) -> bool | None, fmt_nprocs(n): the line the Python sink left open (a
 *       call's entry half) and the text that cuts it (" <unfinished ...>\n"), which the next line
 *       made here writes first (the sink asks fmt_open() before it writes again: False, cut);
 *       the count of tasks traced, for "[pid N] " (fmt_times's pid 2: while more than one).
 *   keep(tid, entry, ts[, now]): an entry the engine handled itself kept for its line at the exit
 *       stop; with now, its arguments made at once, the thread still stopped (execve's: its image
 *       is replaced before the exit stop), kept past PTRACE_EVENT_EXEC; an entry so kept comes
 *       back to Python (wait_call, take) with that text as a twelfth item (kept_tuple).  A kept
 *       call whose arguments all print at entry is ended "= ?" at PTRACE_EVENT_EXIT (exit_group).
 *   untraced(tid, on[, audit_arch, nr]) -> bool: mark (on) or unmark the thread's next syscall
 *       stop as the exit of a call the engine does not trace (-e trace=), and say whether it was
 *       marked.  wait_call resumes a marked thread at its next syscall stop itself with
 *       PTRACE_SYSCALL, without PTRACE_GET_SYSCALL_INFO, and waits on: as strace, which reads
 *       neither the syscall info nor the registers at the exit of a filtered call (syscall.c
 *       syscall_exiting_decode returns before get_syscall_result when TCB_FILTERED is set).  The
 *       engine marks a thread only when it resumes it with PTRACE_SYSCALL from the entry (or
 *       seccomp) stop of such a call, so the next syscall stop is that call's exit (ptrace(2),
 *       "Syscall-stops"; a signal or a group-stop is reported after the exit stop, on the way
 *       back to user space).  With audit_arch and nr the call is named too: from that marked
 *       exit on, the thread's entry stops of calls so named are handled here as the engine
 *       handles them (marked, resumed with PTRACE_SYSCALL) until any report of the thread goes
 *       back to Python (its run of untraced calls ends: a traced call, a signal, an event, where
 *       the engine may resume it otherwise, e.g. with PTRACE_CONT under the prefilter).  An
 *       exit or a kill forgets the mark, and so does reset(), which forgets the named calls too;
 *       unmarking also ends the thread's run.
 *   spin(polls[, long_wait[, budget]]), handled(), waited(): after a stop wait_call handled itself (a
 *       kept entry, an untraced call's stop, a line made) it polls waitpid with WNOHANG up to polls
 *       times before it blocks again, as the engine polls before its own blocking waits
 *       (waiting.py decides how many); handled() counts those stops, for the engine's measure of
 *       a stop's cost.  With long_wait > 0 (seconds) wait_call times (CLOCK_MONOTONIC) each of
 *       its waits for a stop, polls and blocking waitpid together, and waited() is their sum less
 *       the blocking waits that lasted long_wait or more (the tracee's own time in a call): what
 *       a stop costs in waiting, which is what the ways of waiting change; the tracer's own work
 *       on a stop is left out (the same whichever way it waits, and it varies: a first call of a
 *       kind is decoded in Python).  One wait_call may handle thousands of stops, so timing it
 *       whole from Python would not do.  With budget > 0 wait_call returns (0, 0, None, None, 0.0), no
 *       report, once it has handled that many stops, so that the engine, which counts its
 *       windows in stops, gets to measure them when every stop is handled here.
 *   fmt_setup(string_limit, align, errno_texts), fmt_xlat(rows, zero), fmt_call(audit_arch, nr,
 *   name, ops, ret), fmt_times(timestamps, ts_digits, show_time, duration_digits, pid, relative,
 *   relative_digits) (-f -o's thread id, the -t/-tt/-ttt prefix from the kept entry's time, -r's
 *   from it and the last line's, fmt_last([ts]), the -T suffix from it and the exit stop's),
 *   fmt_enable(on[, fd]), fmt_text(): wait_call makes the whole strace line of
 *   a marked call given a format (syscope.decode.cformat compiles it from the decoder's
 *   signature and kinds) at its exit stop, when the kept entry is there: it reads what the line
 *   shows (process_vm_readv), appends the line to a buffer, resumes the thread and waits on;
 *   fmt_text() takes the lines made (the engine does after each wait_call, before it handles
 *   the report); with fmt_enable(True, fd) each line is written to fd at once instead (a live
 *   output: strace's stderr).  Whatever the format cannot print exactly goes to Python as
 *   before.  FMT_VERSION: the ops fmt_call takes.  See "whole lines of simple calls" in _stops.h.
 */
#include "_stops.h"


static PyObject *info_tuple(pid_t tid)
{
    struct syscall_info si;
    long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof si, &si);
    if (n <= 0)
        Py_RETURN_NONE;
    if (si.op == OP_ENTRY || si.op == OP_SECCOMP) {
        return Py_BuildValue("(iIKKKKKKKKK)", si.op, si.arch, (unsigned long long)si.instruction_pointer,
                             (unsigned long long)si.stack_pointer, (unsigned long long)si.entry.nr, (unsigned long long)si.entry.args[0],
                             (unsigned long long)si.entry.args[1], (unsigned long long)si.entry.args[2],
                             (unsigned long long)si.entry.args[3], (unsigned long long)si.entry.args[4],
                             (unsigned long long)si.entry.args[5]);
    }
    if (si.op == OP_EXIT) {
        return Py_BuildValue("(iIKKLi)", si.op, si.arch, (unsigned long long)si.instruction_pointer,
                             (unsigned long long)si.stack_pointer, (long long)si.exit.rval, (int)si.exit.is_error);
    }
    return Py_BuildValue("(iIKK)", si.op, si.arch, (unsigned long long)si.instruction_pointer,
                         (unsigned long long)si.stack_pointer);
}

static PyObject *py_syscall_info(PyObject *self, PyObject *arg)
{
    long tid = PyLong_AsLong(arg);
    if (tid == -1 && PyErr_Occurred())
        return NULL;
    return info_tuple((pid_t)tid);
}

static PyObject *py_wait_stop(PyObject *self, PyObject *arg)
{
    int flags = (int)PyLong_AsLong(arg);
    if (flags == -1 && PyErr_Occurred())
        return NULL;
    int status = 0;
    pid_t tid;
    for (;;) {
        if (flags & WNOHANG) {
            tid = waitpid(-1, &status, flags); /* returns at once: keep the GIL */
        } else {
            /* a signal that came while this code ran (not in a blocking call) has set CPython's
             * flag only: its handler (request_stop's PTRACE_INTERRUPT, which wakes this wait)
             * runs here, or never if the tracees make no call (a -p process asleep) */
            if (PyErr_CheckSignals() < 0)
                return NULL;
            Py_BEGIN_ALLOW_THREADS
            tid = waitpid(-1, &status, flags);
            Py_END_ALLOW_THREADS
        }
        if (tid >= 0)
            break;
        if (errno != EINTR)
            return PyErr_SetFromErrno(PyExc_OSError); /* ECHILD -> ChildProcessError */
        if (PyErr_CheckSignals() < 0)
            return NULL;
    }
    if (tid == 0)
        return Py_BuildValue("(iiO)", 0, 0, Py_None);
    PyObject *info;
    if (status == SYSGOOD_STOP || status == SECCOMP_STOP) {
        info = info_tuple(tid);
        if (info == NULL)
            return NULL;
    } else {
        info = Py_NewRef(Py_None);
    }
    PyObject *out = Py_BuildValue("(iiN)", (int)tid, status, info);
    return out;
}

static struct slot slots[SLOTS];
/* The slot whose entry is kept, if any: one at most.  With more than one task traced, a stop of
 * another thread that would make or start a line is not handled here while it is (wait_call
 * returns it): strace would print the kept call's entry half first, cut "<unfinished ...>" by
 * the new line, and the engine prints it so (take_other), with the decoder's entry half. */
static struct slot *kept_slot;
static int n_used; /* live + deleted slots: past SLOTS/2 no new thread is armed */
unsigned char fast_nr[2][MAX_NR];
#ifdef __aarch64__
static const uint32_t fast_arch[2] = {0xC00000B7u, 0x40000028u};
#else
static const uint32_t fast_arch[2] = {0xC000003Eu, 0x40000003u};
#endif

static struct slot *find_slot(pid_t tid)
{
    unsigned h = ((unsigned)tid * 2654435761u) & (SLOTS - 1);
    for (int i = 0; i < SLOTS; i++, h = (h + 1) & (SLOTS - 1)) {
        if (slots[h].tid == tid)
            return &slots[h];
        if (slots[h].tid == 0)
            return NULL;
    }
    return NULL;
}

int arch_index(uint32_t arch)
{
    return arch == fast_arch[0] ? 0 : arch == fast_arch[1] ? 1 : -1;
}

/* untraced's marks: one bit per thread id, below PID_MAX_LIMIT on 64-bit (include/linux/threads.h:
 * 4M, /proc/sys/kernel/pid_max's ceiling); a thread id above it is never marked */
#define TID_LIMIT (1 << 22)
static uint64_t untraced_bits[TID_LIMIT / 64];
static uint64_t run_bits[TID_LIMIT / 64]; /* threads in a run of untraced calls handled here */
static size_t untraced_words; /* words [0, untraced_words) may hold bits: reset() clears those */
static unsigned char untraced_nr[2][MAX_NR]; /* the calls named untraced, by ABI and number */

/* set (on 1), clear (on 0) or only test (on -1) a thread's bit; whether it was set */
static int tid_bit(uint64_t *bits, pid_t tid, int on)
{
    if (tid <= 0 || tid >= TID_LIMIT)
        return 0;
    size_t w = (size_t)tid / 64;
    uint64_t bit = (uint64_t)1 << (tid % 64);
    int was = (bits[w] & bit) != 0;
    if (on == 1) {
        bits[w] |= bit;
        if (w >= untraced_words)
            untraced_words = w + 1;
    } else if (on == 0 && was) {
        bits[w] &= ~bit;
    }
    return was;
}

static int untraced_mark(pid_t tid, int on)
{
    return tid_bit(untraced_bits, tid, on);
}

/* A tuple of the n new references in items (stolen; NULL for a failed one: all are released).
 * wait_call makes three tuples a traced call (the entry, the exit, the report): made directly,
 * not by Py_BuildValue, which parses its format string each time. */
static PyObject *tuple_of(Py_ssize_t n, PyObject **items)
{
    PyObject *t = NULL;
    Py_ssize_t i;
    for (i = 0; i < n; i++)
        if (items[i] == NULL)
            goto fail;
    t = PyTuple_New(n);
    if (t == NULL)
        goto fail;
    for (i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, items[i]);
    return t;
fail:
    for (i = 0; i < n; i++)
        Py_XDECREF(items[i]);
    return NULL;
}

static PyObject *entry_tuple(const struct syscall_info *si)
{
    PyObject *items[11] = {
        PyLong_FromLong(si->op), PyLong_FromUnsignedLong(si->arch),
        PyLong_FromUnsignedLongLong(si->instruction_pointer), PyLong_FromUnsignedLongLong(si->stack_pointer),
        PyLong_FromUnsignedLongLong(si->entry.nr),
        PyLong_FromUnsignedLongLong(si->entry.args[0]), PyLong_FromUnsignedLongLong(si->entry.args[1]),
        PyLong_FromUnsignedLongLong(si->entry.args[2]), PyLong_FromUnsignedLongLong(si->entry.args[3]),
        PyLong_FromUnsignedLongLong(si->entry.args[4]), PyLong_FromUnsignedLongLong(si->entry.args[5]),
    };
    return tuple_of(11, items);
}

static PyObject *exit_tuple(const struct syscall_info *si)
{
    PyObject *items[6] = {
        PyLong_FromLong(si->op), PyLong_FromUnsignedLong(si->arch),
        PyLong_FromUnsignedLongLong(si->instruction_pointer), PyLong_FromUnsignedLongLong(si->stack_pointer),
        PyLong_FromLongLong(si->exit.rval), PyLong_FromLong(si->exit.is_error),
    };
    return tuple_of(6, items);
}

/* time.time()'s clock and its float (CLOCK_REALTIME: the engine's times of the stops it handles) */
static double now_ts(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

/* Does a plan given for one command (select) serve this entry?  (fast_call's FAST_SELECTED: a
 * call whose other commands' entries must be decoded while the thread is stopped, ioctl's _IOWR) */
static int fmt_selected(const struct syscall_info *si)
{
    if (si->arch != fast_arch[0])
        return 0;
    for (const struct fmt_plan *p = fmt_plans[si->entry.nr]; p != NULL; p = p->next)
        if ((p->sel_reg >= 0 && (si->entry.args[p->sel_reg] & p->sel_mask) == p->sel_value)
            || (p->apart_out >= 0 && (!si->entry.args[p->apart_out]
                                      || si->entry.args[p->apart_out] != si->entry.args[p->apart_in])))
            return 1;
        else if (p->null_regs) {
            int all_null = 1;
            for (int r = 0; r < 6; r++)
                if ((p->null_regs >> r & 1) && si->entry.args[r])
                    all_null = 0;
            if (all_null)
                return 1;
        }
    return 0;
}

static int fmt_ready(const struct slot *slot)
{
    return fmt_on && slot != NULL && slot->kept && slot->si.arch == fast_arch[0] && slot->si.entry.nr < MAX_NR
           && fmt_plans[slot->si.entry.nr] != NULL;
}

/* the slot's call is done (its line made, or handed to Python): nothing kept */
static void slot_done(struct slot *slot)
{
    if (kept_slot == slot)
        kept_slot = NULL;
    slot->kept = 0;
}

/* entry's 11 items and item after them (stolen), entry released; NULL on failure */
static PyObject *entry_with(PyObject *entry, PyObject *item)
{
    PyObject *with = entry != NULL && item != NULL ? PyTuple_New(12) : NULL;
    if (with != NULL) {
        for (Py_ssize_t i = 0; i < 11; i++)
            PyTuple_SET_ITEM(with, i, Py_NewRef(PyTuple_GET_ITEM(entry, i)));
        PyTuple_SET_ITEM(with, 11, item);
    } else {
        Py_XDECREF(item);
    }
    Py_XDECREF(entry);
    return with;
}

/* the kept entry handed to Python, taken: wait_call's entry tuple, with a twelfth item: for an
 * entry whose arguments were made at its entry stop (KEPT_TEXT) their text (the engine prints
 * those, as the memory they were read from may be gone); for a call with a value-result length
 * read there (has_inlen) that value, for the decoder (Decoder.inlen), which would read it
 * rewritten at the exit */
static PyObject *kept_tuple(struct slot *slot)
{
    PyObject *entry = entry_tuple(&slot->si);
    if (entry != NULL && slot->kept == KEPT_TEXT)
        entry = entry_with(entry, PyUnicode_DecodeUTF8(entry_text, (Py_ssize_t)entry_text_len, "surrogateescape"));
    else if (entry != NULL && slot->kept == KEPT_ENTRY && slot->has_inlen)
        entry = entry_with(entry, PyLong_FromLong(slot->inlen));
    slot_done(slot);
    return entry;
}

/* The WNOHANG polls wait_call makes before it blocks again after a stop it handled itself (the
 * engine's measured choice, sources/ptrace/waiting.py, set with spin()), and the count of those
 * stops (handled(): the engine's windows count stops, not its reports). */
static int spin_polls;
static unsigned long long n_handled;
/* spin()'s long_wait (0: no timing) and waited()'s sum: the time wait_call spent waiting for
 * stops, from the first waitpid after a stop (or from the call) to the one that returned the next,
 * less any blocking wait of long_wait or more (the tracee's own time in a call, which no way of
 * waiting shortens).  The engine compares its ways of waiting by it: what a stop costs the
 * tracer besides its own work, which is the same whichever way it waits (waiting.py). */
static double long_wait, waited_seconds;
static long budget; /* spin()'s budget: stops one wait_call handles before it returns (0: any) */

static double monotonic(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A live output (strace's stderr: a line as soon as its call returns, before the thread runs on,
 * so that it comes before what the thread writes next to the same file): each line made goes to
 * the file descriptor at once (and what is left before the tracer sleeps in waitpid).  The
 * engine's own lines are out whole before it waits again (unbuffered stderr), so the order holds.  A failed write (EPIPE ...) stops this: the lines
 * stay for fmt_text, whose writer meets the error where Python's lines would. */
static void fmt_flush_fd(void)
{
    size_t done = 0;
    while (done < fmt_len) {
        ssize_t n = write(fmt_fd, fmt_out + done, fmt_len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fmt_fd = -1;
            memmove(fmt_out, fmt_out + done, fmt_len - done);
            fmt_len -= done;
            return;
        }
        done += (size_t)n;
    }
    fmt_len = 0;
}

/* wake(): a signal handler asked the engine to look at its flags (request_stop).  The handler
 * runs inside wait_call (PyErr_CheckSignals), which then returns (0, 0, None, None, 0.0) instead
 * of handling the next stops itself: PTRACE_INTERRUPT on a thread in a call is reported as that
 * call's syscall-exit-stop when PTRACE_SYSCALL is in effect (ptrace(2)), a stop wait_call handles
 * for an untraced call and resumes; the engine would never see the request. */
static int wake_requested;

static PyObject *py_wake(PyObject *self, PyObject *unused)
{
    wake_requested = 1;
    Py_RETURN_NONE;
}

static PyObject *py_wait_call(PyObject *self, PyObject *arg)
{
    int flags = (int)PyLong_AsLong(arg);
    if (flags == -1 && PyErr_Occurred())
        return NULL;
    int status = 0, spins = 0;
    long in_call = 0; /* stops handled here since this call began */
    double wait_t0 = 0.0; /* when this wait for a stop began (timing on: long_wait > 0) */
    pid_t tid;
    struct slot *slot;
    struct syscall_info si;
    for (;;) {
        if (wake_requested || (budget > 0 && in_call >= budget)
            || (in_call > 0 && fmt_fd < 0 && fmt_len > FMT_BUF / 2)) {
            /* back to the engine: a handler's request (wake), a window to measure, or the lines
             * made for a file to take (fmt_text) while the next ones still fit: a line that does
             * not fit is Python's to make, with the decoder it then imports */
            wake_requested = 0;
            return Py_BuildValue("(iiOOd)", 0, 0, Py_None, Py_None, 0.0);
        }
        if (long_wait > 0 && wait_t0 == 0.0)
            wait_t0 = monotonic();
        if ((flags & WNOHANG) || spins > 0) {
            tid = waitpid(-1, &status, flags | WNOHANG);
            if (tid == 0 && !(flags & WNOHANG)) {
                spins--; /* the stop that may come soon: no wake-up of a sleeping tracer */
                continue;
            }
        } else {
            if (fmt_len && fmt_fd >= 0)
                fmt_flush_fd();
            /* a signal that came during the polls above or a line's making set CPython's flag
             * only (no blocking call to interrupt): its handler runs before the tracer sleeps
             * (request_stop's PTRACE_INTERRUPT then wakes this wait), or the tracer would sleep
             * on a -p process that makes no call, deaf to ^C */
            if (PyErr_CheckSignals() < 0)
                return NULL;
            if (wake_requested)
                continue; /* the engine first */
            double t0 = long_wait > 0 ? monotonic() : 0.0;
            Py_BEGIN_ALLOW_THREADS
            tid = waitpid(-1, &status, flags);
            Py_END_ALLOW_THREADS
            if (long_wait > 0) {
                double waited = monotonic() - t0;
                if (waited >= long_wait)
                    wait_t0 += waited; /* the tracee's own time: left out */
            }
        }
        if (wait_t0 != 0.0 && tid >= 0) {
            /* a stop came (or, polling for the engine, none yet): this wait is over */
            waited_seconds += monotonic() - wait_t0;
            wait_t0 = 0.0;
        }
        if (tid < 0) {
            if (errno != EINTR)
                return PyErr_SetFromErrno(PyExc_OSError);
            if (PyErr_CheckSignals() < 0)
                return NULL;
            continue;
        }
        if (tid == 0)
            return Py_BuildValue("(iiOOd)", 0, 0, Py_None, Py_None, 0.0);
        if (status == SYSGOOD_STOP && untraced_mark(tid, 0)) {
            /* the exit stop of a call not traced: nothing to read; on failure (ESRCH: killed
             * meanwhile) its exit status comes next.  The thread's next untraced calls are
             * handled here too (until a report of it goes to Python). */
            tid_bit(run_bits, tid, 1);
            ptrace(PTRACE_SYSCALL, tid, NULL, NULL);
            n_handled++, in_call++;
            spins = spin_polls;
            continue;
        }
        slot = n_used ? find_slot(tid) : NULL;
        if (status == EXIT_STOP && fmt_ready(slot)
            && fmt_line(tid, slot, NULL, 0.0)) {
            /* the task is in do_exit (exit_group's way out, or killed): the call it was in ends
             * "= ?" (policies.py _exit_stop); the report still goes to the engine, which resumes it */
            if (fmt_fd >= 0)
                fmt_flush_fd();
            slot_done(slot);
        }
        if (status != SYSGOOD_STOP && status != SECCOMP_STOP)
            break;
        if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof si, &si) <= 0) {
            si.op = 0xff; /* gone: Python finds out why */
            break;
        }
        if (si.op == OP_EXIT && status == SYSGOOD_STOP && fmt_ready(slot)
            && fmt_line(tid, slot, &si, fmt_show_time ? now_ts() : 0.0)) {
            /* its line is made: the call is done (on failure, ESRCH, its exit status follows);
             * a live output gets it before the thread runs on, as strace writes its line */
            if (fmt_fd >= 0)
                fmt_flush_fd();
            slot_done(slot);
            ptrace(PTRACE_SYSCALL, tid, NULL, NULL);
            n_handled++, in_call++;
            spins = spin_polls;
            continue;
        }
        if (si.op != OP_ENTRY || si.entry.nr >= MAX_NR)
            break;
        int a = arch_index(si.arch);
        if (a >= 0 && status == SYSGOOD_STOP && untraced_nr[a][si.entry.nr] && tid_bit(run_bits, tid, -1)) {
            /* the entry of an untraced call in the thread's run: what the engine does with it */
            untraced_mark(tid, 1);
            ptrace(PTRACE_SYSCALL, tid, NULL, NULL);
            n_handled++, in_call++;
            spins = spin_polls;
            continue;
        }
        if (slot == NULL || slot->kept || a < 0 || !fast_nr[a][si.entry.nr]
            || (fast_nr[a][si.entry.nr] == FAST_SELECTED && !fmt_selected(&si))
            || (kept_slot != NULL && kept_slot != slot))
            break;
        tid_bit(run_bits, tid, 0); /* a traced call */
        slot->ts = now_ts();
        slot->si = si;
        slot->kept = KEPT_ENTRY;
        kept_slot = slot;
        /* a value-result length (getpeername's socklen_t *): its value now, which the call
         * rewrites and strace read at entry ("[112 => 16]") */
        slot->has_inlen = 0;
        if (a == 0 && fmt_inlen_reg[si.entry.nr] && si.entry.args[fmt_inlen_reg[si.entry.nr] - 1]
            && !vm_exact(tid, si.entry.args[fmt_inlen_reg[si.entry.nr] - 1], &slot->inlen, sizeof slot->inlen))
            slot->has_inlen = 1;
        /* on failure (ESRCH: killed meanwhile) its exit status comes next with the kept entry */
        ptrace(PTRACE_SYSCALL, tid, NULL, NULL);
        n_handled++, in_call++;
        spins = spin_polls;
    }
    PyObject *info;
    if ((status != SYSGOOD_STOP && status != SECCOMP_STOP) || si.op == 0xff) {
        info = Py_NewRef(Py_None);
    } else if (si.op == OP_ENTRY || si.op == OP_SECCOMP) {
        info = entry_tuple(&si);
    } else if (si.op == OP_EXIT) {
        info = exit_tuple(&si);
    } else {
        info = Py_BuildValue("(iIKK)", si.op, si.arch, (unsigned long long)si.instruction_pointer,
                             (unsigned long long)si.stack_pointer);
    }
    if (info == NULL)
        return NULL;
    PyObject *entry = Py_None;
    double ts = 0.0;
    /* an execve's arguments made at its entry stay for its exit stop, past its exec event */
    if (slot != NULL && slot->kept && !(slot->kept == KEPT_TEXT && status == EXEC_STOP)) {
        ts = slot->ts;
        entry = kept_tuple(slot);
        if (entry == NULL) {
            Py_DECREF(info);
            return NULL;
        }
    } else {
        Py_INCREF(entry);
    }
    tid_bit(run_bits, tid, 0); /* a report for Python: the thread's run of untraced calls ends */
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
        untraced_mark(tid, 0); /* its id may be a new thread's next */
        if (slot != NULL) {
            slot_done(slot);
            slot->tid = -1; /* gone: not armed any more */
        }
    }
    PyObject *report[5] = {PyLong_FromLong(tid), PyLong_FromLong(status), info, entry, PyFloat_FromDouble(ts)};
    return tuple_of(5, report);
}

static PyObject *py_arm(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 && nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "arm(tid, on[, proc_pid])");
        return NULL;
    }
    long tid = PyLong_AsLong(args[0]);
    int on = PyObject_IsTrue(args[1]);
    long proc = nargs == 3 ? PyLong_AsLong(args[2]) : 0;
    if (PyErr_Occurred() || on < 0)
        return NULL;
    if (tid <= 0)
        Py_RETURN_FALSE;
    struct slot *slot = find_slot((pid_t)tid);
    if (!on) {
        if (slot != NULL) {
            slot_done(slot);
            slot->tid = -1;
        }
        Py_RETURN_FALSE;
    }
    if (slot != NULL) {
        slot->proc = (pid_t)proc;
        Py_RETURN_TRUE;
    }
    if (n_used >= SLOTS / 2)
        Py_RETURN_FALSE; /* full: this thread's stops all go to Python */
    unsigned h = ((unsigned)tid * 2654435761u) & (SLOTS - 1);
    while (slots[h].tid > 0)
        h = (h + 1) & (SLOTS - 1);
    if (slots[h].tid == 0)
        n_used++;
    slots[h].tid = (pid_t)tid;
    slots[h].kept = 0;
    slots[h].proc = (pid_t)proc;
    Py_RETURN_TRUE;
}

static PyObject *py_fast_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "fast_call(audit_arch, nr, on)");
        return NULL;
    }
    unsigned long arch = PyLong_AsUnsignedLongMask(args[0]);
    unsigned long long nr = PyLong_AsUnsignedLongLongMask(args[1]);
    long on = PyLong_AsLong(args[2]); /* (True is 1) */
    if (PyErr_Occurred())
        return NULL;
    int a = arch_index((uint32_t)arch);
    if (a < 0 || nr >= MAX_NR || on < 0 || on > FAST_SELECTED)
        Py_RETURN_FALSE;
    fast_nr[a][nr] = (unsigned char)on;
    Py_RETURN_TRUE;
}

static PyObject *py_take(PyObject *self, PyObject *arg)
{
    long tid = PyLong_AsLong(arg);
    if (tid == -1 && PyErr_Occurred())
        return NULL;
    struct slot *slot = tid > 0 && n_used ? find_slot((pid_t)tid) : NULL;
    if (slot == NULL || !slot->kept)
        Py_RETURN_NONE;
    double ts = slot->ts;
    PyObject *entry = kept_tuple(slot);
    return entry == NULL ? NULL : Py_BuildValue("(Nd)", entry, ts);
}

/* take_other(tid) -> (tid, entry, ts) | None: the entry kept for another thread than tid, taken
 * back (as take does) before the engine handles a report of tid: the kept call began before it,
 * and its entry half is printed first (strace's line, cut by the next one) */
static PyObject *py_take_other(PyObject *self, PyObject *arg)
{
    long tid = PyLong_AsLong(arg);
    if (tid == -1 && PyErr_Occurred())
        return NULL;
    struct slot *slot = kept_slot;
    if (slot == NULL || slot->tid == (pid_t)tid)
        Py_RETURN_NONE;
    pid_t other = slot->tid;
    double ts = slot->ts;
    PyObject *entry = kept_tuple(slot);
    return entry == NULL ? NULL : Py_BuildValue("(iNd)", (int)other, entry, ts);
}

/* keep's now: the arguments of the entry made into entry_text while the thread is stopped; 1
 * kept (KEPT_TEXT), 0 Python's (the text is another thread's, no entry_only plan, a fault ...) */
static int keep_now(struct slot *slot, long tid, const struct syscall_info *si, double ts)
{
    if (si->op != OP_ENTRY || si->arch != fast_arch[0] || si->entry.nr >= MAX_NR || !fmt_on || kept_slot != NULL)
        return 0; /* (entry_text is the kept slot's) */
    const struct fmt_plan *plan = plan_of(si);
    if (plan == NULL || !plan->entry_only)
        return 0;
    struct line l = {entry_text, entry_text + sizeof entry_text};
    slot->has_inlen = 0;
    fmt_slot = slot;
    if (put_args(&l, (pid_t)tid, plan, si, &no_exit))
        return 0;
    entry_text_len = (size_t)(l.p - entry_text);
    slot->si = *si;
    slot->ts = ts;
    slot->kept = KEPT_TEXT;
    kept_slot = slot;
    return 1;
}

/* keep(tid, entry, ts): the first entry of a call whose format the engine has just handed over
 * (fmt_call), which the engine met at an entry stop it handled itself and has already resumed:
 * kept as wait_call keeps the entries of such calls, so that the extension makes this line at the
 * exit stop too, not Python (a call's first line in Python cost ~0.3 M instructions: decoding,
 * the event, the sink).  entry: the stop's syscall info as wait_call reports it (op, arch, ip,
 * sp, nr, args...); ts: its time.  False (nothing kept) unless the thread is armed and a line
 * plan serves this entry.
 * keep(tid, entry, ts, True): the entry of a call whose arguments must be read before the thread
 * runs on (execve's: its image is gone at the exit stop), met at an entry stop the engine handles
 * and has NOT resumed yet: its arguments are made now, while the thread is stopped (an
 * entry_only plan; not a call wait_call keeps itself, fast_call), and its line at the exit stop,
 * past the exec event; the text comes back with the entry if Python must finish the line
 * (kept_tuple).  False when anything the plan prints is Python's to print (a fault...). */
static PyObject *py_keep(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 3 || nargs > 4 || !PyTuple_Check(args[1]) || PyTuple_GET_SIZE(args[1]) != 11) {
        PyErr_SetString(PyExc_TypeError, "keep(tid, entry, ts[, now]): entry as wait_call reports it");
        return NULL;
    }
    int now = nargs == 4 ? PyObject_IsTrue(args[3]) : 0;
    if (now < 0)
        return NULL;
    long tid = PyLong_AsLong(args[0]);
    double ts = PyFloat_AsDouble(args[2]);
    if (PyErr_Occurred())
        return NULL;
    struct slot *slot = tid > 0 && n_used ? find_slot((pid_t)tid) : NULL;
    if (slot == NULL || slot->kept || (kept_slot != NULL && kept_slot != slot))
        Py_RETURN_FALSE;
    struct syscall_info si;
    memset(&si, 0, sizeof si);
    PyObject *t = args[1];
    si.op = (uint8_t)PyLong_AsUnsignedLongMask(PyTuple_GET_ITEM(t, 0));
    si.arch = (uint32_t)PyLong_AsUnsignedLongMask(PyTuple_GET_ITEM(t, 1));
    si.instruction_pointer = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(t, 2));
    si.stack_pointer = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(t, 3));
    si.entry.nr = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(t, 4));
    for (int i = 0; i < 6; i++)
        si.entry.args[i] = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(t, 5 + i));
    if (PyErr_Occurred())
        return NULL;
    int a = arch_index(si.arch);
    if (now)
        return PyBool_FromLong(keep_now(slot, tid, &si, ts));
    if (si.op != OP_ENTRY || a != 0 || si.entry.nr >= MAX_NR || !fast_nr[a][si.entry.nr]
        || (fast_nr[a][si.entry.nr] == FAST_SELECTED && !fmt_selected(&si)))
        Py_RETURN_FALSE;
    slot->si = si;
    slot->ts = ts;
    slot->kept = KEPT_ENTRY;
    slot->has_inlen = 0; /* (its thread has run: a call whose entry reads one is never kept so) */
    if (!fmt_ready(slot)) {
        slot->kept = 0; /* no line plan: the exit is Python's, with the entry it decoded */
        Py_RETURN_FALSE;
    }
    kept_slot = slot;
    Py_RETURN_TRUE;
}

static PyObject *py_untraced(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 && nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "untraced(tid, on[, audit_arch, nr])");
        return NULL;
    }
    long tid = PyLong_AsLong(args[0]);
    int on = PyObject_IsTrue(args[1]);
    if ((tid == -1 && PyErr_Occurred()) || on < 0)
        return NULL;
    if (nargs == 4 && on) {
        unsigned long arch = PyLong_AsUnsignedLongMask(args[2]);
        unsigned long long nr = PyLong_AsUnsignedLongLongMask(args[3]);
        if (PyErr_Occurred())
            return NULL;
        int a = arch_index((uint32_t)arch);
        if (a >= 0 && nr < MAX_NR)
            untraced_nr[a][nr] = 1;
    }
    if (tid <= 0 || tid >= TID_LIMIT)
        Py_RETURN_FALSE;
    if (!on)
        tid_bit(run_bits, (pid_t)tid, 0);
    return PyBool_FromLong(untraced_mark((pid_t)tid, on));
}

static PyObject *py_reset(PyObject *self, PyObject *unused)
{
    memset(untraced_bits, 0, untraced_words * sizeof untraced_bits[0]);
    memset(run_bits, 0, untraced_words * sizeof run_bits[0]);
    untraced_words = 0;
    memset(untraced_nr, 0, sizeof untraced_nr);
    /* a slot is written only by arm, which counts it (n_used): with none, they are all still
     * zero, and the ~400 KB are not touched (each run resets at its start: page faults and
     * ~0.5 M instructions of start-up) */
    if (n_used)
        memset(slots, 0, sizeof slots);
    memset(fast_nr, 0, sizeof fast_nr);
    n_used = 0;
    kept_slot = NULL;
    fmt_forget(); /* the lines made are not: fmt_text takes them */
    Py_RETURN_NONE;
}

void fmt_forget(void)
{
    for (int i = 0; i < MAX_NR; i++) {
        fmt_plans_free(fmt_plans[i]);
        fmt_plans[i] = NULL;
    }
    memset(fmt_inlen_reg, 0, sizeof fmt_inlen_reg);
    for (int i = 0; i < fmt_n_xlats; i++)
        fmt_xlat_free(&fmt_xlats[i]);
    fmt_n_xlats = 0;
    fmt_on = 0;
    fmt_ts_mode = fmt_ts_digits = fmt_show_time = fmt_pid = 0;
    fmt_nprocs = 1;
    if (fmt_open_text != NULL) {
        PyMem_Free(fmt_open_text);
        fmt_open_text = NULL;
    }
    fmt_dur_digits = 6;
    fmt_fd = -1;
}

char *dup_utf8(PyObject *s)
{
    Py_ssize_t n;
    const char *u = PyUnicode_AsUTF8AndSize(s, &n);
    if (u == NULL)
        return NULL;
    char *out = PyMem_Malloc((size_t)n + 1);
    if (out == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(out, u, (size_t)n + 1);
    return out;
}

/* fmt_setup(string_limit, align, errno_texts): -s, the -a column, errno_texts[e] the result text
 * of a call failed with e (None: Python prints it) */
static PyObject *py_fmt_setup(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyTuple_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "fmt_setup(string_limit, align, errno_texts)");
        return NULL;
    }
    long limit = PyLong_AsLong(args[0]), align = PyLong_AsLong(args[1]);
    if (PyErr_Occurred())
        return NULL;
    size_t need = (size_t)(limit + 1 > FMT_PATH_MAX ? limit + 1 : FMT_PATH_MAX);
    if (limit < 0 || limit > FMT_BUF / 8 || align < 0 || align > 1024)
        Py_RETURN_FALSE; /* a line could not fit the buffer: Python prints every line */
    if (fmt_scratch_size < need) {
        unsigned char *p = PyMem_Realloc(fmt_scratch, need);
        if (p == NULL)
            return PyErr_NoMemory();
        fmt_scratch = p;
        fmt_scratch_size = need;
    }
    fmt_limit = (int)limit;
    fmt_align = (int)align;
    for (Py_ssize_t e = 0; e < FMT_ERRNOS; e++) {
        PyMem_Free(fmt_errnos[e]);
        fmt_errnos[e] = NULL;
        if (e < PyTuple_GET_SIZE(args[2]) && PyUnicode_Check(PyTuple_GET_ITEM(args[2], e))) {
            fmt_errnos[e] = dup_utf8(PyTuple_GET_ITEM(args[2], e));
            if (fmt_errnos[e] == NULL)
                return NULL;
        }
    }
    Py_RETURN_TRUE;
}

/* fmt_enable(on[, fd]): make lines (of the calls given); fd: a live output written to before
 * each blocking wait (-1, or none: the lines wait for fmt_text) */
static PyObject *py_fmt_enable(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "fmt_enable(on[, fd])");
        return NULL;
    }
    int on = PyObject_IsTrue(args[0]);
    long fd = nargs > 1 ? PyLong_AsLong(args[1]) : -1;
    if (on < 0 || (fd == -1 && PyErr_Occurred()))
        return NULL;
    fmt_on = on && fmt_scratch != NULL;
    fmt_fd = fmt_on && fd >= 0 && fd <= 0x7fffffff ? (int)fd : -1;
    return PyBool_FromLong(fmt_on);
}

/* fmt_open(text): the Python sink left a line open (a call's entry half, printed at its entry) and
 * text ends it (" <unfinished ...>\n"): the next line made here writes text first, as strace
 * cuts the open line when the next one starts.  fmt_open(None): the sink closed it itself.
 * fmt_open() -> bool: is it still open (False: a line made here has cut it)? */
static PyObject *py_fmt_open(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs > 1) {
        PyErr_SetString(PyExc_TypeError, "fmt_open([text | None])");
        return NULL;
    }
    if (nargs == 0)
        return PyBool_FromLong(fmt_open_text != NULL);
    if (fmt_open_text != NULL) {
        PyMem_Free(fmt_open_text);
        fmt_open_text = NULL;
    }
    if (args[0] == Py_None)
        Py_RETURN_NONE;
    Py_ssize_t n;
    const char *text = PyUnicode_AsUTF8AndSize(args[0], &n);
    if (text == NULL)
        return NULL;
    fmt_open_text = PyMem_Malloc((size_t)n + 1);
    if (fmt_open_text == NULL)
        return PyErr_NoMemory();
    memcpy(fmt_open_text, text, (size_t)n + 1);
    fmt_open_len = (size_t)n;
    Py_RETURN_NONE;
}

/* fmt_nprocs(n): the tasks traced now (the engine's count), which "[pid N] " follows (fmt_pid 2) */
static PyObject *py_fmt_nprocs(PyObject *self, PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    fmt_nprocs = (int)n;
    Py_RETURN_NONE;
}

/* fmt_times(timestamps, ts_digits, show_time, duration_digits, pid, relative, relative_digits):
 * the lines' -t/-tt/-ttt prefix (0: none) and -T suffix, digits after the point as the sink prints
 * them (0..9), the thread's id first (fmt_pid's forms), and -r's prefix */
static PyObject *py_fmt_times(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError,
                        "fmt_times(timestamps, ts_digits, show_time, duration_digits, pid, relative, relative_digits)");
        return NULL;
    }
    long mode = PyLong_AsLong(args[0]), digits = PyLong_AsLong(args[1]), dur = PyLong_AsLong(args[3]);
    long rdigits = PyLong_AsLong(args[6]);
    long pid = PyLong_AsLong(args[4]); /* 0, 1 (True: "%-5d "), 2 ("[pid %5d] " while two tasks or more) */
    int show = PyObject_IsTrue(args[2]), rel = PyObject_IsTrue(args[5]);
    if (PyErr_Occurred() || show < 0 || rel < 0)
        return NULL;
    if (mode < 0 || mode > 3 || digits < 0 || digits > 9 || dur < 0 || dur > 9 || rdigits < 0 || rdigits > 9
        || pid < 0 || pid > 2)
        Py_RETURN_FALSE; /* not a form made here: Python prints every line */
    fmt_ts_mode = (int)mode;
    fmt_ts_digits = (int)digits;
    fmt_show_time = show;
    fmt_dur_digits = (int)dur;
    fmt_pid = (int)pid;
    fmt_rel = rel;
    fmt_rel_digits = (int)rdigits;
    fmt_tod_second = -1; /* the local time zone as the process has it now (tzset) */
    Py_RETURN_TRUE;
}

/* fmt_times_text(ts_enter, ts_exit, tid) -> (prefix, suffix): what fmt_line puts before and
 * after a line of this thread with these times under the forms fmt_times set (the unit tests
 * hold it to the sink's) */
static PyObject *py_fmt_times_text(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "fmt_times_text(ts_enter, ts_exit, tid)");
        return NULL;
    }
    double t0 = PyFloat_AsDouble(args[0]), t1 = PyFloat_AsDouble(args[1]);
    long tid = PyLong_AsLong(args[2]);
    if (PyErr_Occurred())
        return NULL;
    char pre[64], suf[64];
    struct line a = {pre, pre + sizeof pre}, b = {suf, suf + sizeof suf};
    double d = t1 - t0;
    if ((fmt_pid && put_pid(&a, (pid_t)tid)) || (fmt_ts_mode && put_timestamp(&a, t0))
        || (fmt_rel && put_relative(&a, t0)) || (fmt_show_time && put_duration(&b, d))) {
        PyErr_SetString(PyExc_ValueError, "time not formatted");
        return NULL;
    }
    return Py_BuildValue("(s#s#)", pre, (Py_ssize_t)(a.p - pre), suf, (Py_ssize_t)(b.p - suf));
}

/* fmt_last([ts]) -> float | None: -r's time of the last line printed (None: none yet); with ts
 * (a float, or None to forget it) set it first: the sink's lines and the extension's share it */
static PyObject *py_fmt_last(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs > 1) {
        PyErr_SetString(PyExc_TypeError, "fmt_last([ts])");
        return NULL;
    }
    if (nargs == 1) {
        if (args[0] == Py_None) {
            fmt_last_set = 0;
        } else {
            double t = PyFloat_AsDouble(args[0]);
            if (t == -1.0 && PyErr_Occurred())
                return NULL;
            fmt_last = t;
            fmt_last_set = 1;
        }
    }
    if (!fmt_last_set)
        Py_RETURN_NONE;
    return PyFloat_FromDouble(fmt_last);
}

/* fmt_text() -> str | None: the lines made since the last call, taken */
static PyObject *py_fmt_text(PyObject *self, PyObject *unused)
{
    if (!fmt_len)
        Py_RETURN_NONE;
    /* ASCII but for the errno texts, which are the strerror text Python gave (UTF-8) */
    PyObject *text = PyUnicode_DecodeUTF8(fmt_out, (Py_ssize_t)fmt_len, "surrogateescape");
    if (text != NULL)
        fmt_len = 0;
    return text;
}

static PyObject *py_spin(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 3) {
        PyErr_SetString(PyExc_TypeError, "spin(polls[, long_wait[, budget]])");
        return NULL;
    }
    long n = PyLong_AsLong(args[0]);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    if (nargs >= 2) {
        double w = PyFloat_AsDouble(args[1]);
        if (w == -1.0 && PyErr_Occurred())
            return NULL;
        long_wait = w > 0 ? w : 0.0;
    }
    if (nargs == 3) {
        long b = PyLong_AsLong(args[2]);
        if (b == -1 && PyErr_Occurred())
            return NULL;
        budget = b > 0 ? b : 0;
    }
    spin_polls = n < 0 ? 0 : n > 100000 ? 100000 : (int)n;
    Py_RETURN_NONE;
}

static PyObject *py_waited(PyObject *self, PyObject *unused)
{
    return PyFloat_FromDouble(waited_seconds);
}

static PyObject *py_handled(PyObject *self, PyObject *unused)
{
    return PyLong_FromUnsignedLongLong(n_handled);
}

static PyObject *py_resume(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "resume(request, tid, sig)");
        return NULL;
    }
    long req = PyLong_AsLong(args[0]);
    long tid = PyLong_AsLong(args[1]);
    long sig = PyLong_AsLong(args[2]);
    if (PyErr_Occurred())
        return NULL;
    if (ptrace((enum __ptrace_request)req, (pid_t)tid, NULL, (void *)sig) == -1)
        return PyLong_FromLong(errno);
    return PyLong_FromLong(0);
}

static PyObject *py_vm_read(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "vm_read(pid, addr, size)");
        return NULL;
    }
    long pid = PyLong_AsLong(args[0]);
    unsigned long long addr = PyLong_AsUnsignedLongLongMask(args[1]);
    Py_ssize_t size = PyLong_AsSsize_t(args[2]);
    if (PyErr_Occurred())
        return NULL;
    if (size <= 0)
        return PyBytes_FromStringAndSize(NULL, 0);
    PyObject *buf = PyBytes_FromStringAndSize(NULL, size);
    if (buf == NULL)
        return NULL;
    struct iovec local = {PyBytes_AS_STRING(buf), (size_t)size};
    struct iovec remote = {(void *)(uintptr_t)addr, (size_t)size};
    ssize_t n = process_vm_readv((pid_t)pid, &local, 1, &remote, 1, 0);
    if (n <= 0) {
        int err = errno;
        Py_DECREF(buf);
        if (n == 0 || err == EFAULT || err == ESRCH || err == EIO)
            Py_RETURN_NONE;
        return PyLong_FromLong(err);
    }
    if (n < size && _PyBytes_Resize(&buf, n) < 0)
        return NULL;
    return buf;
}

/* ==== start-up requests (issue 14) ====================================================
 * The engine's ptrace requests outside the per-stop path (PTRACE_SEIZE, INTERRUPT, DETACH,
 * PTRACE_GETEVENTMSG, PTRACE_GETSIGINFO): with these here, a traced run with this extension
 * never imports ctypes (syscope/_kernel/ptrace.py falls back to its ctypes binding without them).
 * Each returns the errno of a failure rather than raising: errno becomes a domain exception in
 * ptrace.py only. */

static PyObject *py_request(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    /* request(req, tid, addr, data) -> errno (0 on success): for the requests whose success
     * returns 0 (ptrace(2): not the PEEKs, whose -1 can be a word) */
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "request(req, tid, addr, data)");
        return NULL;
    }
    long req = PyLong_AsLong(args[0]);
    long tid = PyLong_AsLong(args[1]);
    unsigned long long addr = PyLong_AsUnsignedLongLongMask(args[2]);
    unsigned long long data = PyLong_AsUnsignedLongLongMask(args[3]);
    if (PyErr_Occurred())
        return NULL;
    if (ptrace((enum __ptrace_request)req, (pid_t)tid, (void *)(uintptr_t)addr, (void *)(uintptr_t)data) == -1)
        return PyLong_FromLong(errno ? errno : EIO);
    return PyLong_FromLong(0);
}

static PyObject *py_event_msg(PyObject *self, PyObject *arg)
{
    /* event_msg(tid) -> (msg, errno): PTRACE_GETEVENTMSG's unsigned long (a new thread's id,
     * an exit status) */
    long tid = PyLong_AsLong(arg);
    if (PyErr_Occurred())
        return NULL;
    unsigned long msg = 0;
    int err = 0;
    if (ptrace(PTRACE_GETEVENTMSG, (pid_t)tid, NULL, &msg) == -1)
        err = errno ? errno : EIO;
    return Py_BuildValue("(ki)", msg, err);
}

static PyObject *py_siginfo(PyObject *self, PyObject *arg)
{
    /* siginfo(tid) -> bytes | errno: PTRACE_GETSIGINFO's siginfo_t, 128 bytes (the kernel's
     * SI_MAX_SIZE) */
    long tid = PyLong_AsLong(arg);
    if (PyErr_Occurred())
        return NULL;
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (ptrace(PTRACE_GETSIGINFO, (pid_t)tid, NULL, &si) == -1)
        return PyLong_FromLong(errno ? errno : EIO);
    return PyBytes_FromStringAndSize((const char *)&si, sizeof si);
}

/* ==== end of start-up requests ========================================================== */

static PyMethodDef methods[] = {
    {"wait_stop", py_wait_stop, METH_O, "waitpid(-1, flags) and the syscall stop's info"},
    {"spawn", (PyCFunction)(void (*)(void))py_spawn, METH_FASTCALL,
     "spawn(path, argv, envp, prefix, ignore) -> pid | None: the command's process, stopped before its exec"},
    {"spawn_release", py_spawn_release, METH_O, "spawn_release(pid): its exec or end is seen: its mapping freed"},
    {"syscall_info", py_syscall_info, METH_O, "PTRACE_GET_SYSCALL_INFO as a tuple"},
    {"resume", (PyCFunction)(void (*)(void))py_resume, METH_FASTCALL, "ptrace(request, tid, 0, sig) -> errno"},
    {"vm_read", (PyCFunction)(void (*)(void))py_vm_read, METH_FASTCALL, "process_vm_readv of one range"},
    {"wait_call", py_wait_call, METH_O, "wait_stop that handles the entry stops of armed threads' marked calls"},
    {"arm", (PyCFunction)(void (*)(void))py_arm, METH_FASTCALL, "arm(tid, on[, proc_pid]): may wait_call keep its entries"},
    {"keep", (PyCFunction)(void (*)(void))py_keep, METH_FASTCALL,
     "keep(tid, entry, ts[, now]) -> bool: keep an entry the engine handled (now: its arguments made now), its line made at the exit"},
    {"fast_call", (PyCFunction)(void (*)(void))py_fast_call, METH_FASTCALL, "fast_call(audit_arch, nr, on)"},
    {"take", py_take, METH_O, "take(tid) -> (entry, ts) | None: the entry kept for a thread that did not report"},
    {"take_other", py_take_other, METH_O, "take_other(tid) -> (tid, entry, ts) | None: the entry kept for another thread"},
    {"fmt_open", (PyCFunction)(void (*)(void))py_fmt_open, METH_FASTCALL,
     "fmt_open([text | None]): the Python sink's open line and what cuts it; with no argument: still open?"},
    {"fmt_nprocs", py_fmt_nprocs, METH_O, "fmt_nprocs(n): the tasks traced, for \"[pid N] \""},
    {"untraced", (PyCFunction)(void (*)(void))py_untraced, METH_FASTCALL,
     "untraced(tid, on[, audit_arch, nr]) -> was: is the thread's next syscall stop the exit of a call not traced"},
    {"fmt_setup", (PyCFunction)(void (*)(void))py_fmt_setup, METH_FASTCALL,
     "fmt_setup(string_limit, align, errno_texts) -> bool: may lines be made at all"},
    {"fmt_xlat", (PyCFunction)(void (*)(void))py_fmt_xlat, METH_FASTCALL, "fmt_xlat(rows, zero) -> table id | -1"},
    {"fmt_call", (PyCFunction)(void (*)(void))py_fmt_call, METH_FASTCALL,
     "fmt_call(audit_arch, nr, name, ops, ret) -> bool: wait_call makes this call's lines"},
    {"fmt_load", (PyCFunction)(void (*)(void))py_fmt_load, METH_FASTCALL,
     "fmt_load(audit_arch, ahead, tables[, skip]) -> calls marked: the formats made ahead, given at once"},
    {"fmt_enable", (PyCFunction)(void (*)(void))py_fmt_enable, METH_FASTCALL,
     "fmt_enable(on[, fd]) -> bool: make lines of the calls given (fd: written to before each blocking wait)"},
    {"fmt_times", (PyCFunction)(void (*)(void))py_fmt_times, METH_FASTCALL,
     "fmt_times(timestamps, ts_digits, show_time, duration_digits, pid, relative, relative_digits) -> bool"},
    {"fmt_times_text", (PyCFunction)(void (*)(void))py_fmt_times_text, METH_FASTCALL,
     "fmt_times_text(ts_enter, ts_exit, tid) -> (prefix, suffix): a line's as fmt_times set them"},
    {"fmt_last", (PyCFunction)(void (*)(void))py_fmt_last, METH_FASTCALL,
     "fmt_last([ts]) -> float | None: -r's time of the last line, shared by the sink's lines and these"},
    {"fmt_text", py_fmt_text, METH_NOARGS, "fmt_text() -> str | None: the lines made, taken"},
    {"spin", (PyCFunction)(void (*)(void))py_spin, METH_FASTCALL,
     "spin(polls[, long_wait[, budget]]): WNOHANG polls before blocking again after a stop handled in wait_call"},
    {"waited", py_waited, METH_NOARGS, "waited() -> seconds wait_call spent waiting for stops, blocking waits of long_wait or more left out"},
    {"handled", py_handled, METH_NOARGS, "handled() -> the stops wait_call handled without returning, so far"},
    {"wake", py_wake, METH_NOARGS, "wait_call returns (0, 0, None, None, 0.0) before it handles another stop"},
    {"reset", py_reset, METH_NOARGS, "forget every armed thread, kept entry, marked call and untraced mark"},
    /* start-up requests (issue 14) */
    {"request", (PyCFunction)(void (*)(void))py_request, METH_FASTCALL,
     "request(req, tid, addr, data) -> errno: a ptrace request whose success returns 0"},
    {"event_msg", py_event_msg, METH_O, "event_msg(tid) -> (msg, errno): PTRACE_GETEVENTMSG"},
    {"siginfo", py_siginfo, METH_O, "siginfo(tid) -> bytes | errno: PTRACE_GETSIGINFO's siginfo_t"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "syscope._kernel._stops", "the ptrace tracer's per-stop system calls", -1, methods,
};

PyMODINIT_FUNC PyInit__stops(void)
{
    PyObject *m = PyModule_Create(&module);
    /* the ops fmt_call takes (syscope.decode.cformat.VERSION): Python makes no lines with an
     * extension built from another _stops.c than its own */
    if (m != NULL && PyModule_AddIntConstant(m, "FMT_VERSION", 25) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

