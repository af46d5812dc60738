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
 *   before.  FMT_VERSION: the ops fmt_call takes.  See "whole lines of simple calls" below.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif

/* include/uapi/linux/ptrace.h: 88 bytes, the layout of kernel >= 5.3 (seccomp's ret_data is
 * not used by the tracer) */
struct syscall_info {
    uint8_t op;
    uint8_t pad[3];
    uint32_t arch;
    uint64_t instruction_pointer;
    uint64_t stack_pointer;
    union {
        struct {
            uint64_t nr;
            uint64_t args[6];
        } entry;
        struct {
            int64_t rval;
            uint8_t is_error;
        } exit;
        struct {
            uint64_t nr;
            uint64_t args[6];
            uint32_t ret_data;
        } seccomp;
    };
};

#define OP_ENTRY 1
#define OP_EXIT 2
#define OP_SECCOMP 3
#define SYSGOOD_STOP ((((SIGTRAP | 0x80) << 8) | 0x7f))
#define SECCOMP_STOP (((((7 << 8) | SIGTRAP) << 8) | 0x7f)) /* PTRACE_EVENT_SECCOMP */
#define EXEC_STOP (((((4 << 8) | SIGTRAP) << 8) | 0x7f)) /* PTRACE_EVENT_EXEC */
#define EXIT_STOP (((((6 << 8) | SIGTRAP) << 8) | 0x7f)) /* PTRACE_EVENT_EXIT */

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

/* wait_call's state: armed threads and their kept entry (open addressing by tid), and the marked
 * calls of the two ABIs a 64-bit tracer sees (<linux/audit.h>: AUDIT_ARCH_X86_64 and
 * AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64 and AUDIT_ARCH_ARM on arm64) by number.  A thread that is not armed, or a
 * call not marked (x32's numbers have bit 30 set: never marked), goes to Python as wait_stop's. */
#define SLOTS 4096 /* power of two; a trace with more live threads armed falls back to Python */
#define MAX_NR 1024
#define FAST_SELECTED 2 /* fast_call(..., 2): keep only the entries a command's line plan selects */
struct slot {
    pid_t tid; /* 0: free; -1: deleted */
    int kept; /* KEPT_ENTRY, KEPT_TEXT (its arguments made at the entry stop: entry_text), or 0 */
    pid_t proc; /* /proc's number of its process, for -y's links (arm's proc_pid; 0: not given) */
    double ts;
    struct syscall_info si;
};
static struct slot slots[SLOTS];
#define KEPT_ENTRY 1
#define KEPT_TEXT 2
static int n_used; /* live + deleted slots: past SLOTS/2 no new thread is armed */
static unsigned char fast_nr[2][MAX_NR];
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

static int arch_index(uint32_t arch)
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

/* ---- whole lines of simple calls (fmt_*) --------------------------------------------------
 *
 * At the exit stop of a call whose entry wait_call kept, the line strace prints for it may be
 * made here, when the engine handed over the call's format (fmt_call) and turned lines on
 * (fmt_enable): the memory the line shows is read with process_vm_readv while the thread is
 * stopped, the line goes into a buffer, the thread is resumed and the wait goes on.  Python takes
 * the buffer (fmt_text) at every return of wait_call, before it handles that report, so the lines
 * keep their order.  The format is the decoder's own: syscope.decode.cformat compiles it from the
 * signature row and what each argument kind declares (registry ``c=``), the flag and enum
 * tables' rows and the errno texts are passed in as data.  Anything this code does not print
 * exactly as the Python decoder would (an unknown flag bit or enum value, an errno without a
 * text, a read that faults or comes back short, a line that does not fit) goes back to Python
 * unformatted: it is an optimisation only, and its lines are the Python sink's plain lines
 * (sinks/strace_text.py finished_call: "name(args)", padded to the -a column, " = ", result).
 * Native calls only (fast_arch[0]): the engine turns lines off when another ABI shows up. */
#define FMT_BUF (1 << 16)
#define FMT_XLATS 256
#define FMT_ERRNOS 512
#define FMT_PATH_MAX 4096 /* include/uapi/linux/limits.h PATH_MAX: printpath prints PATH_MAX - 1 */

/* argument ops: the Python side's numbers are syscope.decode.cformat's, in this order */
enum { FOP_D32 = 1, FOP_U32, FOP_S64, FOP_U64, FOP_HEX, FOP_PTR, FOP_BUF, FOP_RBUF, FOP_XLAT, FOP_FLAGS,
       FOP_PATH, FOP_STR, FOP_DIRFD, FOP_FIELD_FLAGS, FOP_OCTAL_IF, FOP_XATTR, FOP_STAT, FOP_SPLIT_FLAGS,
       FOP_STATX, FOP_DIRENTS, FOP_SIGACTION, FOP_CWD, FOP_FAILED_PTR, FOP_FD_PATH, FOP_DIRFD_PATH, FOP_OCTAL,
       FOP_UID, FOP_PTR_AT, FOP_RLIMIT, FOP_RBUFX, FOP_ARGV, FOP_ENVP,
       FOP_TIMESPEC, FOP_SOCKADDR, FOP_SYSINFO, FOP_STATFS, FOP_FDPAIR, FOP_UTSNAME,
       FOP_GIDS, FOP_WSTATUS, FOP_RUSAGE, FOP_CLONE, FOP_CLONE_ARGS, FOP_SIGSET, FOP_REMTS, FOP_POLLFDS,
       FOP_SIGRETURN, FOP_STACK_T,
       FOP_XLAT_DFLT, FOP_NULL, FOP_UTIMES,
       FOP_CPUSET, FOP_NODEMASK, FOP_MPOL_OUT };
#define FOP_LAST FOP_MPOL_OUT
/* the result: signed, unsigned, hex, a descriptor, octal (FRET_OCTAL: fmt.octal), or named
 * (FRET_NAMED: "%#x (LABEL TEXT)", TEXT the value printed by the plan's ret_op, "0" alone for 0 when ret_zero_bare: fcntl's F_GETFL, F_GETFD) */
enum { FRET_D = 1, FRET_U, FRET_X, FRET_NAMED, FRET_FD, FRET_OCTAL, FRET_POLL };

struct fmt_op {
    uint8_t op, reg, param; /* param: a length's register (FOP_BUF) */
    int16_t t[4];           /* the tables it prints with (fmt_xlat ids; -1: none), see fmt_op_ok */
    uint64_t mask;          /* the register's bits that count (an int: the low 32) */
    /* FOP_FIELD_FLAGS, FOP_SPLIT_FLAGS: the field's bits; FOP_OCTAL_IF: the previous register's
     * bits that make the argument shown; FOP_STAT: the struct's size and the offsets of st_mode,
     * st_rdev and st_size, 16 bits each from the lowest */
    uint64_t aux;
};
struct fmt_plan {
    char name[48];
    uint8_t n_ops, ret, ret_zero_bare;
    /* no argument is printed at exit (the signature has no ">" kind: decoder.py Plan.exit is
     * empty): the arguments may be made at the entry stop (keep's now), and a line the task's
     * exit cuts is "NAME(ARGS) = ?" (strace print_event_exit; strace_text.py _unfinished_tail) */
    uint8_t entry_only;
    struct fmt_op ops[6];
    struct fmt_op ret_op; /* FRET_NAMED: how the result's value prints in its comment */
    char ret_label[16];
    /* a call printed by its command (fcntl's cmd): this plan serves the calls whose register
     * sel_reg (-1: any call) masked with sel_mask is sel_value; next: the call's other plans */
    int8_t sel_reg;
    /* apart_out >= 0 (fmt_call's select (apart_in, apart_out)): the entries the extension keeps
     * (fast_call's FAST_SELECTED) are those whose pointer apart_out is NULL or another than
     * apart_in's: nanosleep(2)'s remainder, written on interruption, may be its request, which
     * strace read at entry (glibc's sleep(3) passes one struct for both) */
    int8_t apart_in, apart_out;
    /* null_regs (fmt_call's select (bits,)): the entries kept are those whose registers of these
     * bits are all NULL: copy_file_range(2)'s and splice(2)'s loff_t pointers, which the call
     * advances, strace read at entry */
    uint8_t null_regs;
    uint64_t sel_mask, sel_value;
    struct fmt_plan *next;
};
struct fmt_xlat { /* an enum (exact values) or a flag table (rows in table order, zero's text) */
    Py_ssize_t n;
    uint64_t *vals;
    char **names;
    char *zero;
};
static struct fmt_plan *fmt_plans[MAX_NR];
static struct fmt_xlat fmt_xlats[FMT_XLATS];
static int fmt_n_xlats;

/* a table's rows and texts freed, and its slot emptied (fmt_reset, or a table refused half-read) */
static void fmt_xlat_free(struct fmt_xlat *x)
{
    for (Py_ssize_t k = 0; k < x->n; k++)
        PyMem_Free(x->names[k]);
    PyMem_Free(x->names);
    PyMem_Free(x->vals);
    PyMem_Free(x->zero);
    memset(x, 0, sizeof *x);
}
/* a call's plans freed (fmt_forget, or a plan for every call replacing them) */
static void fmt_plans_free(struct fmt_plan *p)
{
    while (p != NULL) {
        struct fmt_plan *next = p->next;
        PyMem_Free(p);
        p = next;
    }
}
static char *fmt_errnos[FMT_ERRNOS]; /* "-1 ENOENT (No such file or directory)" by errno */
static int fmt_on, fmt_limit = 32, fmt_align = 39;
/* the line's prefix and suffix (fmt_times): -t/-tt/-ttt (1, 2, 3) with ts_digits after the point,
 * -T with dur_digits (sinks/strace_text.py _prefix and _syscall) */
static int fmt_ts_mode, fmt_ts_digits, fmt_show_time, fmt_dur_digits = 6;
/* -f -o FILE: the thread's id first, "%-5d " (strace.c printleader's print_pid_pfx); stderr's
 * "[pid N] " is printed only while more tasks than one are traced, when no line is made here */
static int fmt_pid;
/* -r: the time since the last line's (strace_text.py _prefix: the sink's lines and these share
 * it through fmt_last), "%6d" seconds and rel_digits after the point, in "(+...)" after -t */
static int fmt_rel, fmt_rel_digits = 6, fmt_last_set;
static double fmt_last;
static int fmt_fd = -1; /* written to before each blocking wait (fmt_live), else taken by fmt_text */
static char fmt_out[FMT_BUF];
static size_t fmt_len;
static unsigned char *fmt_scratch; /* -s + 1 bytes, or a path's PATH_MAX */
static size_t fmt_scratch_size;
static void fmt_forget(void);

struct line { char *p, *end; };

static int put(struct line *l, const char *s, size_t n)
{
    if ((size_t)(l->end - l->p) < n)
        return -1;
    memcpy(l->p, s, n);
    l->p += n;
    return 0;
}

static int put_s(struct line *l, const char *s) { return put(l, s, strlen(s)); }

static int put_u(struct line *l, unsigned long long v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%llu", v);
    return put(l, tmp, (size_t)n);
}

static int put_d(struct line *l, long long v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", v);
    return put(l, tmp, (size_t)n);
}

/* fmt.hexnum (%#x: 0 has no prefix) and fmt.ptr (NULL) */
static int put_hex(struct line *l, unsigned long long v, const char *zero)
{
    char tmp[24];
    if (!v)
        return put_s(l, zero);
    int n = snprintf(tmp, sizeof tmp, "%#llx", v);
    return put(l, tmp, (size_t)n);
}

/* fmt.quote with no -x (strace src/util.c string_quote), without the quotes: printable ASCII as
 * is, the named escapes, other bytes in octal with as few digits as they need, three when an
 * octal digit follows (it would be read as part of the escape); with angles, "<" and ">" in
 * octal too (fmt.quote's escape b"<>": -y's paths, strace printfd) */
static int put_escaped(struct line *l, const unsigned char *d, size_t n, int angles)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = d[i];
        char e[5];
        size_t k = 0;
        switch (c) {
        case '"': e[k++] = '\\'; e[k++] = '"'; break;
        case '\\': e[k++] = '\\'; e[k++] = '\\'; break;
        case '\f': e[k++] = '\\'; e[k++] = 'f'; break;
        case '\n': e[k++] = '\\'; e[k++] = 'n'; break;
        case '\r': e[k++] = '\\'; e[k++] = 'r'; break;
        case '\t': e[k++] = '\\'; e[k++] = 't'; break;
        case '\v': e[k++] = '\\'; e[k++] = 'v'; break;
        default:
            if (c >= 0x20 && c < 0x7f && !(angles && (c == '<' || c == '>'))) {
                e[k++] = (char)c;
            } else {
                e[k++] = '\\';
                int full = i + 1 < n && d[i + 1] >= '0' && d[i + 1] <= '7';
                if (full || c >= 64)
                    e[k++] = (char)('0' + (c >> 6));
                if (full || c >= 8)
                    e[k++] = (char)('0' + ((c >> 3) & 7));
                e[k++] = (char)('0' + (c & 7));
            }
        }
        if (put(l, e, k))
            return -1;
    }
    return 0;
}

/* a string quoted as fmt.quote prints it in double quotes ("..." after: more) */
static int put_quoted(struct line *l, const unsigned char *d, size_t n, int more)
{
    if (put(l, "\"", 1) || put_escaped(l, d, n, 0))
        return -1;
    return put(l, more ? "\"..." : "\"", more ? 4 : 1);
}

/* exactly size bytes of the tracee's memory, or -1 (a fault, a short read: Python decides) */
static int vm_exact(pid_t tid, uint64_t addr, void *to, size_t size)
{
    if (size == 0)
        return 0;
    struct iovec local = {to, size};
    struct iovec remote = {(void *)(uintptr_t)addr, size};
    return process_vm_readv(tid, &local, 1, &remote, 1, 0) == (ssize_t)size ? 0 : -1;
}

/* base.py DecoderBase.buf: NULL, or the first -s bytes quoted ("..." after when longer); strace's
 * printstr_ex reads one byte past -s when there is more */
static int put_buf(struct line *l, pid_t tid, uint64_t addr, uint64_t length)
{
    if (!addr)
        return put_s(l, "NULL");
    size_t limit = (size_t)fmt_limit;
    size_t n = length <= limit ? (size_t)length : limit + 1;
    if (vm_exact(tid, addr, fmt_scratch, n))
        return -1;
    return put_quoted(l, fmt_scratch, n > limit ? limit : n, length > limit);
}

/* base.py DecoderBase.cstr(whole=True): a NUL-terminated string cut at limit ("..." after), read
 * a page at a time as strace's umovestr; a fault before the NUL goes back to Python (its
 * address, or the short-read warning, are Python's to print) */
static int put_cstr(struct line *l, pid_t tid, uint64_t addr, size_t limit)
{
    if (!addr)
        return put_s(l, "NULL");
    size_t got = 0, want_all = limit + 1;
    if (want_all > fmt_scratch_size)
        return -1;
    while (got < want_all) {
        uint64_t pos = addr + got;
        size_t want = 4096 - (size_t)(pos % 4096);
        if (want > want_all - got)
            want = want_all - got;
        if (vm_exact(tid, pos, fmt_scratch + got, want))
            return -1;
        void *nul = memchr(fmt_scratch + got, 0, want);
        if (nul != NULL)
            return put_quoted(l, fmt_scratch, (size_t)((unsigned char *)nul - fmt_scratch), 0);
        got += want;
    }
    return put_quoted(l, fmt_scratch, limit, 1); /* longer than limit */
}

/* fmt.Enum with -X abbrev: the value's name; a value without one goes back to Python */
static int put_xlat(struct line *l, const struct fmt_xlat *x, uint64_t v)
{
    for (Py_ssize_t i = 0; i < x->n; i++)
        if (x->vals[i] == v)
            return put_s(l, x->names[i]);
    return -1;
}

/* fmt.Flags with -X abbrev: the rows set in v in table order joined by "|", the table's zero
 * text for 0; bits no row names go back to Python (its "|0x.." or comment rules) */
static int put_flags(struct line *l, const struct fmt_xlat *x, uint64_t v)
{
    if (!v)
        return put_s(l, x->zero);
    uint64_t rest = v;
    int first = 1;
    char *start = l->p;
    for (Py_ssize_t i = 0; i < x->n; i++) {
        uint64_t f = x->vals[i];
        if ((rest & f) == f) {
            if ((!first && put(l, "|", 1)) || put_s(l, x->names[i]))
                return -1;
            first = 0;
            rest &= ~f;
        }
    }
    if (rest) {
        l->p = start;
        return -1;
    }
    return 0;
}

/* fmt.octal (%#03o): 0644, 022, 000 */
static int put_octal(struct line *l, unsigned long long v)
{
    char tmp[32];
    int n = v ? snprintf(tmp, sizeof tmp, "0%02llo", v) : snprintf(tmp, sizeof tmp, "000");
    return put(l, tmp, (size_t)n);
}

/* fmt.field_flags: a field under `field` named by enum x, then the other bits by flag table f
 * ("O_WRONLY|O_CREAT"); a field without a name leaves the whole word to the flags, which Python
 * prints (this code prints no unnamed bits) */
static int put_field_flags(struct line *l, const struct fmt_xlat *x, const struct fmt_xlat *f, uint64_t v,
                           uint64_t field)
{
    char *start = l->p;
    if (put_xlat(l, x, v & field))
        return -1;
    uint64_t r = v & ~field;
    if (r && (put(l, "|", 1) || put_flags(l, f, r))) {
        l->p = start;
        return -1;
    }
    return 0;
}

/* base.py DecoderBase._mode_text (strace print_symbolic_mode_t) with -X abbrev: the file type by
 * name (x), the set-id/sticky bits by flag table f (zero text ""), the permissions in octal */
static int put_mode(struct line *l, const struct fmt_xlat *x, const struct fmt_xlat *f, uint32_t mode)
{
    char *start = l->p;
    uint32_t type = mode & 0170000;
    int named = put_xlat(l, x, type) == 0;
    if (!named && type)
        return -1; /* a type without a name: the whole mode as a number, Python's to print */
    if (mode & 07000) {
        if ((named && put(l, "|", 1)) || put_flags(l, f, mode & 07000)) {
            l->p = start;
            return -1;
        }
        named = 1;
    }
    if (named && put(l, "|", 1))
        return -1;
    return put_octal(l, mode & 0777);
}

/* fmt.makedev: the kernel's new_encode_dev() split (include/linux/kdev_t.h) */
static int put_makedev(struct line *l, uint64_t dev)
{
    uint64_t major = ((dev >> 8) & 0xfff) | ((dev >> 32) & 0xfffff000u);
    uint64_t minor = (dev & 0xff) | ((dev >> 12) & 0xffffff00u);
    return put_s(l, "makedev(") || put_hex(l, major, "0") || put(l, ", ", 2) || put_hex(l, minor, "0")
           || put(l, ")", 1);
}

/* kinds/fs.py _stat, abbreviated (no -v): {st_mode=..., st_size=N, ...}, st_rdev=makedev(...)
 * for a character or block device instead of st_size; the struct's address when the call
 * failed (DecoderBase.failed_addr) */
static int put_stat(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed)
{
    size_t size = op->aux & 0xffff, at_mode = (op->aux >> 16) & 0xffff, at_rdev = (op->aux >> 32) & 0xffff,
           at_size = op->aux >> 48;
    if (failed || !addr)
        return put_hex(l, addr, "NULL");
    if (size > fmt_scratch_size || at_mode + 4 > size || at_rdev + 8 > size || at_size + 8 > size
        || vm_exact(tid, addr, fmt_scratch, size))
        return -1;
    uint32_t mode;
    uint64_t rdev;
    int64_t st_size;
    memcpy(&mode, fmt_scratch + at_mode, sizeof mode);
    memcpy(&rdev, fmt_scratch + at_rdev, sizeof rdev);
    memcpy(&st_size, fmt_scratch + at_size, sizeof st_size);
    if (put_s(l, "{st_mode=") || put_mode(l, &fmt_xlats[op->t[0]], &fmt_xlats[op->t[1]], mode))
        return -1;
    uint32_t type = mode & 0170000;
    if (type == 0020000 || type == 0060000) { /* S_IFCHR, S_IFBLK */
        if (put_s(l, ", st_rdev=") || put_makedev(l, rdev))
            return -1;
    } else if (put_s(l, ", st_size=") || put_d(l, st_size)) {
        return -1;
    }
    return put_s(l, ", ...}");
}

/* kinds/fs.py statx, abbreviated (no -v): {stx_mask=..., stx_attributes=..., stx_mode=...,
 * stx_size=N, ...} from struct statx (include/uapi/linux/stat.h: stx_mask at 0, stx_attributes
 * at 8, stx_mode at 28, stx_size at 40; the 152 bytes Python reads); tables: the mask's flags, the
 * attributes' flags, the file types, the set-id bits */
static int put_statx(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed)
{
    if (failed || !addr)
        return put_hex(l, addr, "NULL");
    if (vm_exact(tid, addr, fmt_scratch, 152))
        return -1;
    uint32_t mask;
    uint64_t attrs, size;
    uint16_t mode;
    memcpy(&mask, fmt_scratch, sizeof mask);
    memcpy(&attrs, fmt_scratch + 8, sizeof attrs);
    memcpy(&mode, fmt_scratch + 28, sizeof mode);
    memcpy(&size, fmt_scratch + 40, sizeof size);
    return put_s(l, "{stx_mask=") || put_flags(l, &fmt_xlats[op->t[0]], mask) || put_s(l, ", stx_attributes=")
                   || put_flags(l, &fmt_xlats[op->t[1]], attrs) || put_s(l, ", stx_mode=")
                   || put_mode(l, &fmt_xlats[op->t[2]], &fmt_xlats[op->t[3]], mode) || put_s(l, ", stx_size=")
                   || put_u(l, size) || put_s(l, ", ...}")
               ? -1 : 0;
}

/* fmt_scratch of at least n bytes (the GIL is held while lines are made) */
static int scratch_reserve(size_t n)
{
    if (n <= fmt_scratch_size)
        return 0;
    unsigned char *p = PyMem_Realloc(fmt_scratch, n);
    if (p == NULL)
        return -1;
    fmt_scratch = p;
    fmt_scratch_size = n;
    return 0;
}

/* kinds/fs.py dirents of getdents64(2), abbreviated (no -v): the address and the count N of
 * entries in a comment, N the records of struct linux_dirent64 (include/linux/dirent.h: a 19-byte head, d_reclen at 16) in
 * the bytes the call returned, up to a zero d_reclen; a failed call is its address.  Python
 * counts what a short read gave; here a short read is Python's. */
static int put_dirents(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex)
{
    uint64_t len = (uint64_t)ex->exit.rval;
    if (ex->exit.is_error)
        return put_hex(l, addr, "NULL");
    if (len > (1u << 20) || scratch_reserve((size_t)len) || vm_exact(tid, addr, fmt_scratch, (size_t)len))
        return -1;
    unsigned long long n = 0;
    for (uint64_t off = 0; off + 19 <= len; n++) {
        uint16_t reclen;
        memcpy(&reclen, fmt_scratch + off + 16, sizeof reclen);
        if (!reclen)
            break;
        off += reclen;
    }
    char tmp[48];
    int k = snprintf(tmp, sizeof tmp, " /* %llu entries */", n);
    return put_hex(l, addr, "NULL") || put(l, tmp, (size_t)k) ? -1 : 0;
}

/* kinds/fs.py _xattr_val of getxattr(2)'s value: as many bytes as the call returned (-s at
 * most, "..." when cut), without a trailing NUL when whole (QUOTE_OMIT_TRAILING_0); its address
 * when the call failed, or past XATTR_SIZE_MAX (include/uapi/linux/limits.h: 65536) */
static int put_xattr(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex)
{
    uint64_t size = (uint64_t)ex->exit.rval;
    if (ex->exit.is_error || size > 65536 || !addr)
        return put_hex(l, addr, "NULL");
    size_t n = size < (uint64_t)fmt_limit ? (size_t)size : (size_t)fmt_limit;
    if (vm_exact(tid, addr, fmt_scratch, n))
        return -1;
    int cut = size > n;
    if (!cut && n && fmt_scratch[n - 1] == 0)
        n--;
    return put_quoted(l, fmt_scratch, n, cut);
}

/* fmt.sigset without -X (strace signal.c sprintsigmask_n): the signals of a 64-bit mask by the
 * names of enum x ("[INT TERM]"), or "~[...]" listing the clear ones when two thirds or more are set */
static int put_sigset(struct line *l, const struct fmt_xlat *x, uint64_t mask)
{
    if (__builtin_popcountll(mask) >= 64 * 2 / 3) {
        mask = ~mask;
        if (put(l, "~", 1))
            return -1;
    }
    if (put(l, "[", 1))
        return -1;
    for (int i = 0, first = 1; mask; i++, mask >>= 1) {
        if (!(mask & 1))
            continue;
        if ((!first && put(l, " ", 1)) || put_xlat(l, x, (uint64_t)(i + 1)))
            return -1;
        first = 0;
    }
    return put(l, "]", 1);
}

/* kinds/signal.py _sigaction: struct kernel_sigaction of a 64-bit ABI (handler, flags, restorer,
 * the 8-byte mask; arch/x86/include/asm/signal.h), {sa_handler=SIG_DFL|SIG_IGN|addr, sa_mask=...,
 * sa_flags=..., sa_restorer=addr with SA_RESTORER (0x04000000)}; tables: sa_flags', the signals'
 * names in a set; NULL, or the address of an output when the call failed (failed) */
static int put_sigaction(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed)
{
    if (failed || !addr)
        return put_hex(l, addr, "NULL");
    uint64_t sa[4];
    if (vm_exact(tid, addr, sa, sizeof sa))
        return -1;
    if (put_s(l, "{sa_handler=") || (sa[0] > 1 ? put_hex(l, sa[0], "0") : put_s(l, sa[0] ? "SIG_IGN" : "SIG_DFL"))
        || put_s(l, ", sa_mask=") || put_sigset(l, &fmt_xlats[op->t[1]], sa[3]) || put_s(l, ", sa_flags=")
        || put_flags(l, &fmt_xlats[op->t[0]], sa[1]))
        return -1;
    if ((sa[1] & 0x04000000) && (put_s(l, ", sa_restorer=") || put_hex(l, sa[2], "NULL")))
        return -1;
    return put(l, "}", 1);
}

/* -y (base.py DecoderBase.link with the "path" kind only): "<PATH>" of what /proc/P/NAME links
 * to (P: /proc's number of the process whose line is made, fmt_proc), "(deleted)" after it when
 * the link reads "PATH (deleted)" (proc(5): the file was unlinked) and PATH is not that very file
 * (strace pathtrace.c get_proc_pid_fd_path compares the inodes: base.py _same_file); nothing when
 * the link cannot be read.  -1: Python's (no /proc number given, a link as long as the buffer of
 * os.readlink, which Python cuts there) */
static pid_t fmt_proc;
static int put_link(struct line *l, const char *name)
{
    static const char mark[] = " (deleted)";
    const size_t mark_len = sizeof mark - 1;
    char path[64], target[FMT_PATH_MAX + 1];
    if (fmt_proc <= 0)
        return -1;
    snprintf(path, sizeof path, "/proc/%d/%s", (int)fmt_proc, name);
    ssize_t n = readlink(path, target, FMT_PATH_MAX);
    if (n < 0)
        return 0;
    if (n >= FMT_PATH_MAX)
        return -1;
    target[n] = 0;
    int deleted = 0;
    if ((size_t)n >= mark_len && memcmp(target + n - mark_len, mark, mark_len) == 0) {
        struct stat a, b;
        deleted = !(stat(path, &a) == 0 && lstat(target, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev);
        if (deleted)
            n -= (ssize_t)mark_len;
    }
    return put(l, "<", 1) || put_escaped(l, (const unsigned char *)target, (size_t)n, 1) || put(l, ">", 1)
           || (deleted && put_s(l, "(deleted)")) ? -1 : 0;
}

/* -y's descriptor (base.py DecoderBase.fd): the number, then its path; a negative one alone */
static int put_fd_path(struct line *l, long long fd)
{
    char name[32];
    if (put_d(l, fd))
        return -1;
    if (fd < 0)
        return 0;
    snprintf(name, sizeof name, "fd/%lld", fd);
    return put_link(l, name);
}

/* kinds/scalar.py uid (strace printuid): a uid_t/gid_t unsigned, (uid_t) -1 ("no change") as -1 */
static int put_uid(struct line *l, uint64_t v)
{
    return (uint32_t)v == 0xFFFFFFFFu ? put(l, "-1", 2) : put_u(l, (uint32_t)v);
}

/* base.py DecoderBase.num_written with fmt.ptr: "[PTR]", the word a call wrote (arch_prctl's
 * ARCH_GET_FS), its address when the call failed; a read that faults is Python's */
static int put_ptr_at(struct line *l, pid_t tid, uint64_t addr, int failed)
{
    uint64_t v;
    if (failed)
        return put_hex(l, addr, "NULL");
    if (vm_exact(tid, addr, &v, sizeof v))
        return -1;
    return put(l, "[", 1) || put_hex(l, v, "NULL") || put(l, "]", 1) ? -1 : 0;
}

/* kinds/process.py _rlim (strace resource.c sprint_rlim64): RLIM64_INFINITY by name, multiples
 * of 1024 above it as N*1024 */
static int put_rlim(struct line *l, uint64_t v)
{
    if (v == UINT64_MAX)
        return put_s(l, "RLIM64_INFINITY");
    if (v > 1024 && v % 1024 == 0)
        return put_u(l, v / 1024) || put_s(l, "*1024") ? -1 : 0;
    return put_u(l, v);
}

/* kinds/process.py rlimit: struct rlimit64 (include/uapi/linux/resource.h: two __u64), NULL, or
 * the address of an output when the call failed (failed); a faulting read is Python's */
static int put_rlimit(struct line *l, pid_t tid, uint64_t addr, int failed)
{
    uint64_t r[2];
    if (failed || !addr)
        return put_hex(l, addr, "NULL");
    if (vm_exact(tid, addr, r, sizeof r))
        return -1;
    return put_s(l, "{rlim_cur=") || put_rlim(l, r[0]) || put_s(l, ", rlim_max=") || put_rlim(l, r[1])
           || put(l, "}", 1) ? -1 : 0;
}

/* kinds/io.py rbufx (getrandom(2): strace prints random bytes in hex, QUOTE_FORCE_HEX): the
 * first -s of the bytes the call returned as \xNN, "..." after when it returned more; the
 * address when the call failed or the buffer is NULL; a faulting read is Python's */
static int put_rbufx(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex)
{
    if (ex->exit.is_error || !addr)
        return put_hex(l, addr, "NULL");
    uint64_t n = (uint64_t)ex->exit.rval;
    size_t want = n < (uint64_t)fmt_limit ? (size_t)n : (size_t)fmt_limit;
    if (vm_exact(tid, addr, fmt_scratch, want) || put(l, "\"", 1))
        return -1;
    for (size_t i = 0; i < want; i++) {
        char hex[5];
        snprintf(hex, sizeof hex, "\\x%02x", fmt_scratch[i]);
        if (put(l, hex, 4))
            return -1;
    }
    return put(l, "\"", 1) || (n > want && put(l, "...", 3)) ? -1 : 0;
}

/* execve(2)'s argv and envp: a NULL-terminated array of pointers (a 64-bit ABI's words) read
 * a page's worth at a time, as Python's _pointer_array (kinds/process.py) reads it word by word */
struct words {
    pid_t tid;
    uint64_t at; /* the address of the next word not taken */
    uint64_t buf[64];
    size_t n, i;
};

/* the next word of the array into *p; -1 when it cannot be read (Python's: it prints the
 * array's address, or what it read and where it stopped) */
static int next_word(struct words *w, uint64_t *p)
{
    if (w->i == w->n) {
        size_t left = (size_t)(4096 - w->at % 4096) / 8;
        size_t n = left == 0 ? 1 : left < 64 ? left : 64; /* (0: a word across two pages) */
        if (vm_exact(w->tid, w->at, w->buf, n * 8))
            return -1;
        w->n = n;
        w->i = 0;
    }
    *p = w->buf[w->i++];
    w->at += 8;
    return 0;
}

/* kinds/process.py _argv, abbreviated (strace execve.c printargv): the strings as -s cuts them,
 * "..." in place of the ones past -s's count */
static int put_argv(struct line *l, pid_t tid, uint64_t addr)
{
    if (!addr)
        return put_s(l, "NULL");
    struct words w = {.tid = tid, .at = addr};
    if (put(l, "[", 1))
        return -1;
    for (uint64_t n = 0;; n++) {
        uint64_t p;
        if (next_word(&w, &p))
            return -1;
        if (!p)
            break;
        if ((n && put(l, ", ", 2)) || (n >= (uint64_t)fmt_limit && put(l, "...", 3)))
            return -1;
        if (n >= (uint64_t)fmt_limit)
            break;
        if (put_cstr(l, tid, p, (size_t)fmt_limit))
            return -1;
    }
    return put(l, "]", 1);
}

/* kinds/process.py _envp, abbreviated (strace execve.c printargc): the address and the count */
static int put_envp(struct line *l, pid_t tid, uint64_t addr)
{
    if (!addr)
        return put_s(l, "NULL");
    struct words w = {.tid = tid, .at = addr};
    unsigned long long n = 0;
    for (uint64_t p;; n++) {
        if (next_word(&w, &p))
            return -1;
        if (!p)
            break;
    }
    char tmp[80];
    int k = snprintf(tmp, sizeof tmp, "%#llx /* %llu var%s */", (unsigned long long)addr, n, n == 1 ? "" : "s");
    return put(l, tmp, (size_t)k);
}

/* more.py futex_args timeout (strace futex.c print_timespec): a 64-bit struct timespec as
 * {tv_sec=N, tv_nsec=N}, tv_nsec zero-extended as strace prints it; NULL; a read that faults is
 * Python's (the address) */
static int put_timespec(struct line *l, pid_t tid, uint64_t addr)
{
    if (!addr)
        return put_s(l, "NULL");
    int64_t ts[2];
    if (vm_exact(tid, addr, ts, sizeof ts))
        return -1;
    return put_s(l, "{tv_sec=") || put_d(l, ts[0]) || put_s(l, ", tv_nsec=") || put_u(l, (uint64_t)ts[1])
           || put(l, "}", 1) ? -1 : 0;
}

/* kinds/time.py remts: nanosleep(2)'s remainder, written when a signal interrupted the sleep and
 * shown when the call is to be restarted (strace is_erestart: ERESTARTSYS, ERESTARTNOINTR,
 * ERESTARTNOHAND, ERESTART_RESTARTBLOCK), unless the register aux - 1 (clock_nanosleep's flags) is
 * not 0 (an absolute sleep leaves it alone, clock_nanosleep(2)); its address otherwise */
static int put_remts(struct line *l, pid_t tid, uint64_t addr, const struct fmt_op *op,
                     const struct syscall_info *entry, const struct syscall_info *ex)
{
    int64_t e = ex->exit.is_error ? -ex->exit.rval : 0;
    if ((e == 512 || e == 513 || e == 514 || e == 516) && (!op->aux || !entry->entry.args[op->aux - 1]))
        return put_timespec(l, tid, addr);
    return put_hex(l, addr, "NULL");
}

/* fmt.isotime: the local ISO date strace puts in a comment after a timestamp (sprinttime_nsec): none for a
 * zero one, a fraction past its maximum or a date localtime cannot represent; the fraction only
 * when not zero; the zone's offset (%z) */
static int put_isotime(struct line *l, int64_t sec, uint64_t nsec)
{
    if ((!sec && !nsec) || nsec >= 1000000000)
        return 0;
    time_t t = (time_t)sec;
    struct tm tm;
    char date[64], zone[16], frac[16];
    if (localtime_r(&t, &tm) == NULL || !strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm)
        || !strftime(zone, sizeof zone, "%z", &tm))
        return 0;
    if (nsec)
        snprintf(frac, sizeof frac, ".%09llu", (unsigned long long)nsec);
    else
        frac[0] = 0;
    return put_s(l, " /* ") || put_s(l, date) || put_s(l, frac) || put_s(l, zone) || put_s(l, " */") ? -1 : 0;
}

/* kinds/fs.py utimes: utimensat(2)'s struct timespec[2] of a 64-bit ABI, each time and its local
 * date, or UTIME_NOW / UTIME_OMIT alone (linux/stat.h: tv_sec is ignored then); NULL; a read that
 * faults Python's */
static int put_utimes(struct line *l, pid_t tid, uint64_t addr)
{
    if (!addr)
        return put_s(l, "NULL");
    int64_t ts[4];
    if (vm_exact(tid, addr, ts, sizeof ts) || put(l, "[", 1))
        return -1;
    for (int k = 0; k < 2; k++) {
        int64_t sec = ts[2 * k];
        uint64_t nsec = (uint64_t)ts[2 * k + 1]; /* zero-extended (structs.py timespec) */
        if (k && put(l, ", ", 2))
            return -1;
        if (nsec == (1 << 30) - 1 || nsec == (1 << 30) - 2) {
            if (put_s(l, nsec == (1 << 30) - 1 ? "UTIME_NOW" : "UTIME_OMIT"))
                return -1;
            continue;
        }
        if (put_s(l, "{tv_sec=") || put_d(l, sec) || put_s(l, ", tv_nsec=") || put_u(l, nsec) || put(l, "}", 1)
            || put_isotime(l, sec, nsec))
            return -1;
    }
    return put(l, "]", 1);
}

/* kinds/io.py pollfds (more.py poll_list at entry): poll(2)'s struct pollfd array (int fd; short
 * events, revents), count in the register op->param; strace's print_array: -s elements (one more
 * read), then "..."; a negative fd without its events (poll ignores it).  NULL; Python's: more
 * elements than RLIMIT_NOFILE allows (1 << 16), a read that faults, an unnamed events bit */
#define POLL_MAX (1u << 16)
static int put_pollfds(struct line *l, pid_t tid, uint64_t addr, const struct fmt_op *op,
                       const struct syscall_info *entry)
{
    uint64_t n = entry->entry.args[op->param] & 0xFFFFFFFFu;
    if (!addr)
        return put_s(l, "NULL");
    if (n > POLL_MAX)
        return -1;
    size_t want = n < (uint64_t)fmt_limit + 1 ? (size_t)n : (size_t)fmt_limit + 1;
    if (scratch_reserve(want * 8) || vm_exact(tid, addr, fmt_scratch, want * 8) || put(l, "[", 1))
        return -1;
    for (size_t k = 0; k < want; k++) {
        int32_t fd;
        uint16_t events;
        memcpy(&fd, fmt_scratch + k * 8, 4);
        memcpy(&events, fmt_scratch + k * 8 + 4, 2);
        if (k && put(l, ", ", 2))
            return -1;
        if (k == (size_t)fmt_limit) {
            if (put(l, "...", 3))
                return -1;
            break;
        }
        if (put_s(l, "{fd=") || put_d(l, fd)
            || (fd >= 0 && (put_s(l, ", events=") || put_flags(l, &fmt_xlats[op->t[0]], events)))
            || put(l, "}", 1))
            return -1;
    }
    return put(l, "]", 1);
}

/* kinds/io.py ret_poll: "0 (Timeout)", or the count and the elements whose revents the call set
 * (strace decode_poll_exiting: every element read, -s of them shown, then "..."); Python's: a
 * NULL or too long array (its success is another kernel's), a read that faults, an unnamed bit */
static int put_poll_ret(struct line *l, pid_t tid, const struct fmt_plan *plan, const struct syscall_info *entry,
                        int64_t rv)
{
    if (rv == 0)
        return put_s(l, "0 (Timeout)");
    const struct fmt_op *op = NULL;
    for (int i = 0; i < plan->n_ops; i++)
        if (plan->ops[i].op == FOP_POLLFDS)
            op = &plan->ops[i];
    if (op == NULL)
        return -1;
    uint64_t addr = entry->entry.args[op->reg], n = entry->entry.args[op->param] & 0xFFFFFFFFu;
    if (!addr || n > POLL_MAX || scratch_reserve(n * 8) || vm_exact(tid, addr, fmt_scratch, n * 8)
        || put_d(l, rv) || put(l, " ([", 3))
        return -1;
    long shown = 0;
    for (size_t k = 0; k < n; k++) {
        int32_t fd;
        uint16_t revents;
        memcpy(&fd, fmt_scratch + k * 8, 4);
        memcpy(&revents, fmt_scratch + k * 8 + 6, 2);
        if (!revents)
            continue;
        if (shown && put(l, ", ", 2))
            return -1;
        if (shown == fmt_limit)
            return put(l, "...])", 5);
        if (put_s(l, "{fd=") || put_d(l, fd) || put_s(l, ", revents=") || put_flags(l, &fmt_xlats[op->t[0]], revents)
            || put(l, "}", 1))
            return -1;
        shown++;
    }
    return put(l, "])", 2);
}

/* decode/sockaddr.py sockaddr with -X abbrev for the families whose layout is here (the UAPI's
 * struct sockaddr_un, sockaddr_in, sockaddr_in6; strace sockaddr.c print_sockaddr): the family
 * named by enum x, then AF_UNIX's sun_path (an abstract name after "@", every byte of the
 * length: unix(7)), AF_INET's htons(port) and inet_addr("a.b.c.d"), AF_INET6's port, flow
 * label, inet_pton(AF_INET6, ...) and scope id.  NULL; the address itself for a length below
 * 2 (decode_sockaddr reads nothing); at most a sockaddr_storage (128 bytes) read.  Python's: other
 * families, lengths below a family's struct (sa_data), a link-local IPv6 scope id (an interface
 * name), a read that faults or comes back short. */
static int put_sockaddr(struct line *l, pid_t tid, const struct fmt_xlat *x, uint64_t addr, int32_t len,
                        uint64_t netlink)
{
    unsigned char d[sizeof(struct sockaddr_storage)];
    if (!addr)
        return put_s(l, "NULL");
    if (len < 2)
        return put_hex(l, addr, "NULL");
    size_t n = (size_t)len < sizeof d ? (size_t)len : sizeof d;
    if (vm_exact(tid, addr, d, n))
        return -1;
    uint16_t fam;
    memcpy(&fam, d, sizeof fam);
    char *start = l->p;
    if (put_s(l, "{sa_family=") || put_xlat(l, x, fam))
        goto no;
    if (n == 2)
        return put(l, "}", 1);
    if (fam == AF_UNIX) {
        const size_t end = offsetof(struct sockaddr_un, sun_path) + sizeof(((struct sockaddr_un *)0)->sun_path);
        size_t at = offsetof(struct sockaddr_un, sun_path), stop = n < end ? n : end;
        int abstract = d[at] == 0;
        const unsigned char *path = d + at + abstract;
        size_t k = stop - at - (size_t)abstract;
        if (!abstract) {
            const unsigned char *nul = memchr(path, 0, k);
            if (nul != NULL)
                k = (size_t)(nul - path);
        }
        if (put_s(l, abstract ? ", sun_path=@\"" : ", sun_path=\"") || put_escaped(l, path, k, 0) || put_s(l, "\"}"))
            goto no;
        return 0;
    }
    if (fam == AF_NETLINK && netlink && n >= 12) {
        /* struct sockaddr_nl (linux/netlink.h: u16 nl_pad, u32 nl_pid, u32 nl_groups); nl_pad only
         * when set, nl_groups "%#010x" but 0 (strace PRINT_FIELD_0X); nl_pid a pid (netlink: aux,
         * no pid namespace translation asked for) */
        uint16_t pad;
        int32_t pid;
        uint32_t groups;
        char hex[16];
        memcpy(&pad, d + 2, 2);
        memcpy(&pid, d + 4, 4);
        memcpy(&groups, d + 8, 4);
        if (groups)
            snprintf(hex, sizeof hex, "%#010x", groups);
        else
            strcpy(hex, "00000000");
        if ((pad && (put_s(l, ", nl_pad=") || put_hex(l, pad, "0"))) || put_s(l, ", nl_pid=") || put_d(l, pid)
            || put_s(l, ", nl_groups=") || put_s(l, hex) || put(l, "}", 1))
            goto no;
        return 0;
    }
    char text[INET6_ADDRSTRLEN];
    if (fam == AF_INET && n >= sizeof(struct sockaddr_in)) {
        struct sockaddr_in in;
        memcpy(&in, d, sizeof in);
        if (inet_ntop(AF_INET, &in.sin_addr, text, sizeof text) == NULL || put_s(l, ", sin_port=htons(")
            || put_u(l, ntohs(in.sin_port)) || put_s(l, "), sin_addr=inet_addr(\"") || put_s(l, text)
            || put_s(l, "\")}"))
            goto no;
        return 0;
    }
    const size_t min6 = offsetof(struct sockaddr_in6, sin6_scope_id); /* strace's SIN6_MIN_LEN */
    if (fam == AF_INET6 && n >= min6) { /* (the scope id's bytes past the length are 0, as strace's) */
        struct sockaddr_in6 in6;
        memset(&in6, 0, sizeof in6);
        memcpy(&in6, d, n < sizeof in6 ? n : sizeof in6);
        const uint8_t *a = in6.sin6_addr.s6_addr;
        /* a link-local unicast or multicast address's scope id names an interface: Python's */
        int link = (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || (a[0] == 0xff && (a[1] & 0x0f) == 0x02);
        if ((n > min6 && link) || inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text) == NULL
            || put_s(l, ", sin6_port=htons(") || put_u(l, ntohs(in6.sin6_port)) || put_s(l, "), sin6_flowinfo=htonl(")
            || put_u(l, ntohl(in6.sin6_flowinfo)) || put_s(l, "), inet_pton(AF_INET6, \"") || put_s(l, text)
            || put_s(l, "\", &sin6_addr)"))
            goto no;
        if (n > min6 && (put_s(l, ", sin6_scope_id=") || put_u(l, in6.sin6_scope_id)))
            goto no;
        return put(l, "}", 1);
    }
no:
    l->p = start;
    return -1;
}

/* kinds/process.py sysinfo: struct sysinfo of a 64-bit ABI (include/uapi/linux/sysinfo.h: uptime,
 * loads[3] and six sizes as longs from 0, procs a __u16 at 80, totalhigh and freehigh at 88,
 * mem_unit a __u32 at 104; the 108 bytes Python's layout reads), all of it in strace's order; the
 * address when the call failed or it is NULL, a faulting read Python's */
static int put_sysinfo(struct line *l, pid_t tid, uint64_t addr, int failed)
{
    static const char *const sizes[] = {"totalram", "freeram", "sharedram", "bufferram", "totalswap", "freeswap"};
    unsigned char b[108];
    uint64_t w[13];
    uint16_t procs;
    uint32_t unit;
    if (failed || !addr)
        return put_hex(l, addr, "NULL");
    if (vm_exact(tid, addr, b, sizeof b))
        return -1;
    memcpy(w, b, 80);
    memcpy(&procs, b + 80, sizeof procs);
    memcpy(w + 11, b + 88, 16);
    memcpy(&unit, b + 104, sizeof unit);
    if (put_s(l, "{uptime=") || put_d(l, (int64_t)w[0]) || put_s(l, ", loads=["))
        return -1;
    for (int i = 0; i < 3; i++) { /* DecoderBase.arr (print_array): "..." past -s's count */
        if (i && put(l, ", ", 2))
            return -1;
        if (i >= fmt_limit) {
            if (put(l, "...", 3))
                return -1;
            break;
        }
        if (put_u(l, w[1 + i]))
            return -1;
    }
    if (put(l, "]", 1))
        return -1;
    for (int i = 0; i < 6; i++)
        if (put(l, ", ", 2) || put_s(l, sizes[i]) || put(l, "=", 1) || put_u(l, w[4 + i]))
            return -1;
    return put_s(l, ", procs=") || put_u(l, procs) || put_s(l, ", totalhigh=") || put_u(l, w[11])
           || put_s(l, ", freehigh=") || put_u(l, w[12]) || put_s(l, ", mem_unit=") || put_u(l, unit)
           || put(l, "}", 1) ? -1 : 0;
}

/* kinds/fs.py statfs: struct statfs of a 64-bit ABI (include/uapi/asm-generic/statfs.h: seven
 * longs from f_type, f_fsid's two ints at 56, f_namelen, f_frsize and f_flags as longs from 64;
 * the 88 bytes Python reads); tables: the filesystem magics (f_type's low 32 bits, else in hex),
 * the ST_* flags.  The address when the call failed or it is NULL, a faulting read Python's */
static int put_statfs(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed)
{
    static const char *const counts[] = {"f_bsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree"};
    int64_t w[11];
    uint32_t fsid[2];
    unsigned char b[88];
    if (failed || !addr)
        return put_hex(l, addr, "NULL");
    if (vm_exact(tid, addr, b, sizeof b))
        return -1;
    memcpy(w, b, 56);
    memcpy(fsid, b + 56, sizeof fsid);
    memcpy(w + 8, b + 64, 24);
    uint32_t type = (uint32_t)w[0];
    if (put_s(l, "{f_type="))
        return -1;
    char *at = l->p;
    if (put_xlat(l, &fmt_xlats[op->t[0]], type)) {
        l->p = at;
        if (put_hex(l, type, "0"))
            return -1;
    }
    for (int i = 0; i < 6; i++)
        if (put(l, ", ", 2) || put_s(l, counts[i]) || put(l, "=", 1) || put_d(l, w[1 + i]))
            return -1;
    return put_s(l, ", f_fsid={val=[") || put_hex(l, fsid[0], "0") || put(l, ", ", 2) || put_hex(l, fsid[1], "0")
           || put_s(l, "]}, f_namelen=") || put_d(l, w[8]) || put_s(l, ", f_frsize=") || put_d(l, w[9])
           || put_s(l, ", f_flags=") || put_flags(l, &fmt_xlats[op->t[1]], (uint64_t)w[10]) || put(l, "}", 1) ? -1 : 0;
}

/* kinds/io.py fdpair without -y: pipe(2)'s two ints written, "[3, 4]" cut at -s's count as
 * DecoderBase.arr cuts it; the address when the call failed, NULL; a faulting read Python's */
static int put_fdpair(struct line *l, pid_t tid, uint64_t addr, int failed)
{
    int32_t fds[2];
    if (failed || !addr)
        return put_hex(l, addr, "NULL");
    if (vm_exact(tid, addr, fds, sizeof fds) || put(l, "[", 1))
        return -1;
    for (int i = 0; i < 2; i++) {
        if (i && put(l, ", ", 2))
            return -1;
        if (i >= fmt_limit) {
            if (put(l, "...", 3))
                return -1;
            break;
        }
        if (put_d(l, fds[i]))
            return -1;
    }
    return put(l, "]", 1);
}

/* kinds/process.py gids (strace uid.c print_groups): getgroups(2)'s gid_t array, as many as the
 * call returned: its address when that is past NGROUPS_MAX (aux; a failure's -1 is), NULL, "[]",
 * the address when the array wraps, else print_array's first -s items ((gid_t) -1 as -1, as
 * printuid) and "..." after them (strace reads one item past -s first).  A read that faults or
 * comes back short is Python's (it reads item by item then). */
static int put_gids(struct line *l, pid_t tid, uint64_t addr, const struct fmt_op *op,
                    const struct syscall_info *ex)
{
    uint64_t n = (uint64_t)ex->exit.rval & 0xFFFFFFFFu;
    if (n > op->aux || !addr)
        return put_hex(l, addr, "NULL");
    if (!n)
        return put_s(l, "[]");
    if (addr + n * 4 - 1 < addr)
        return put_hex(l, addr, "NULL");
    size_t want = n < (uint64_t)fmt_limit + 1 ? (size_t)n : (size_t)fmt_limit + 1;
    if (scratch_reserve(want * 4) || vm_exact(tid, addr, fmt_scratch, want * 4) || put(l, "[", 1))
        return -1;
    for (size_t k = 0; k < want; k++) {
        uint32_t g;
        memcpy(&g, fmt_scratch + k * 4, sizeof g);
        if ((k && put(l, ", ", 2)) || (k == (size_t)fmt_limit ? put(l, "...", 3) : put_uid(l, g)))
            return -1;
    }
    return put(l, "]", 1);
}

/* kinds/process.py wstatus (fmt.wait_status, strace printstatus): wait4(2)'s status, written only
 * when a child was reaped (the result > 0; its address else), "[{WIFEXITED(s) && ...}]", the bits
 * above the low 16 as " | 0x.. << 16"; table: the signals by name (a number without one, a
 * negative status, a faulting read: Python's) */
static int put_wstatus(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr,
                       const struct syscall_info *ex)
{
    if (!addr)
        return put_s(l, "NULL");
    if (ex->exit.is_error || ex->exit.rval <= 0)
        return put_hex(l, addr, "NULL");
    int32_t st;
    if (vm_exact(tid, addr, &st, sizeof st) || st < 0)
        return -1;
    const struct fmt_xlat *sig = &fmt_xlats[op->t[0]];
    uint32_t s = (uint32_t)st & 0xFFFF;
    char tmp[64];
    int n;
    if (put(l, "[", 1))
        return -1;
    if ((s & 0x7F) == 0) {
        n = snprintf(tmp, sizeof tmp, "{WIFEXITED(s) && WEXITSTATUS(s) == %u}", (s >> 8) & 0xFF);
        if (put(l, tmp, (size_t)n))
            return -1;
    } else if ((s & 0xFF) == 0x7F) {
        if (put_s(l, "{WIFSTOPPED(s) && WSTOPSIG(s) == ") || put_xlat(l, sig, (s >> 8) & 0xFF) || put(l, "}", 1))
            return -1;
    } else if (s == 0xFFFF) {
        if (put_s(l, "{WIFCONTINUED(s)}"))
            return -1;
    } else if (put_s(l, "{WIFSIGNALED(s) && WTERMSIG(s) == ") || put_xlat(l, sig, s & 0x7F)
               || ((s & 0x80) && put_s(l, " && WCOREDUMP(s)")) || put(l, "}", 1)) {
        return -1;
    }
    if ((uint32_t)st >> 16) {
        n = snprintf(tmp, sizeof tmp, " | %#x << 16", (unsigned)((uint32_t)st >> 16));
        if (put(l, tmp, (size_t)n))
            return -1;
    }
    return put(l, "]", 1);
}

/* kinds/process.py rusage, abbreviated: struct rusage of a 64-bit ABI (linux/resource.h: two
 * timevals then 14 longs, 144 bytes), "{ru_utime={tv_sec=S, tv_usec=U}, ru_stime={...}, ...}"
 * (tv_usec unsigned); NULL, a failure's address; a result <= 0 Python's (wait4 wrote nothing then
 * and prints the address, getrusage and waitid the struct: the call's name decides there) */
static int put_rusage(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex)
{
    if (!addr)
        return put_s(l, "NULL");
    if (ex->exit.is_error)
        return put_hex(l, addr, "NULL");
    if (ex->exit.rval <= 0)
        return -1;
    int64_t r[18];
    if (vm_exact(tid, addr, r, sizeof r))
        return -1;
    char tmp[160];
    int n = snprintf(tmp, sizeof tmp, "{ru_utime={tv_sec=%lld, tv_usec=%llu}, ru_stime={tv_sec=%lld, tv_usec=%llu}, ...}",
                     (long long)r[0], (unsigned long long)r[1], (long long)r[2], (unsigned long long)r[3]);
    return put(l, tmp, (size_t)n);
}

/* the clone flag bits fmt_op.aux names for FOP_CLONE and FOP_CLONE_ARGS, one bit number a byte
 * from the lowest (kinds/process.py clone_c_aux): CLONE_PARENT_SETTID, CLONE_PIDFD,
 * CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID, CLONE_SETTLS, CLONE_INTO_CGROUP */
static uint64_t clone_bit(const struct fmt_op *op, int k) { return 1ull << ((op->aux >> (8 * k)) & 0x3F); }

/* kinds/process.py clone_plan (64-bit ABIs): "child_stack=P, flags=F|SIG" at entry, and at exit
 * parent_tid=[N] (the child's tid, or CLONE_PIDFD's descriptor; its address when the call failed),
 * tls=P, child_tidptr=P as the flags make them used; param: child_tid's register (tls' the other
 * of 3 and 4, CONFIG_CLONE_BACKWARDS); tables: the flags (zero ""), the signals by name */
static int put_clone(struct line *l, pid_t tid, const struct fmt_op *op, const struct syscall_info *entry,
                     const struct syscall_info *ex)
{
    const uint64_t *a = entry->entry.args;
    uint64_t f = a[0] & 0xFFFFFFFFu, rest = f & ~0xFFull, sig = f & 0xFF;
    if (put_s(l, "child_stack=") || put_hex(l, a[1], "NULL") || put_s(l, ", flags="))
        return -1;
    if ((rest && put_flags(l, &fmt_xlats[op->t[0]], rest)) || (sig && ((rest && put(l, "|", 1))
        || put_xlat(l, &fmt_xlats[op->t[1]], sig))) || (!f && put(l, "0", 1)))
        return -1;
    if (a[0] & (clone_bit(op, 0) | clone_bit(op, 1))) {
        if (put_s(l, ", parent_tid="))
            return -1;
        if (!a[2] || ex->exit.is_error) {
            if (put_hex(l, a[2], "NULL"))
                return -1;
        } else {
            int32_t v;
            if (vm_exact(tid, a[2], &v, sizeof v) || put(l, "[", 1) || put_d(l, v) || put(l, "]", 1))
                return -1;
        }
    }
    if ((a[0] & clone_bit(op, 4)) && (put_s(l, ", tls=") || put_hex(l, a[7 - op->param], "NULL")))
        return -1;
    if ((a[0] & (clone_bit(op, 2) | clone_bit(op, 3)))
        && (put_s(l, ", child_tidptr=") || put_hex(l, a[op->param], "NULL")))
        return -1;
    return 0;
}

/* kinds/process.py clone_args: clone3(2)'s struct clone_args (linux/sched.h: 11 u64s, 64 bytes
 * known to every kernel, 88 with cgroup), the fields the flags make used, then what the kernel
 * wrote back " => {pidfd=[N], parent_tid=[N]}"; the address when the size is below 64 or it is
 * NULL; a size past 88 (the bytes past the struct), set_tid, an unnamed flag or signal, a faulting
 * read: Python's.  param: the size's register; tables: the flags, the signals by name */
static int put_clone_args(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr,
                          uint64_t size, const struct syscall_info *ex)
{
    uint64_t a[11] = {0};
    size_t fetch = size < sizeof a ? (size_t)size : sizeof a;
    if (fetch < 64 || !addr)
        return put_hex(l, addr, "NULL");
    if (size > sizeof a || vm_exact(tid, addr, a, fetch) || a[8] || a[9])
        return -1;
    uint64_t f = a[0];
    if (put_s(l, "{flags=") || put_flags(l, &fmt_xlats[op->t[0]], f))
        return -1;
    if ((f & clone_bit(op, 1)) && (put_s(l, ", pidfd=") || put_hex(l, a[1], "NULL")))
        return -1;
    if ((f & (clone_bit(op, 2) | clone_bit(op, 3))) && (put_s(l, ", child_tid=") || put_hex(l, a[2], "NULL")))
        return -1;
    if ((f & clone_bit(op, 0)) && (put_s(l, ", parent_tid=") || put_hex(l, a[3], "NULL")))
        return -1;
    if (put_s(l, ", exit_signal=") || (a[4] >= 0x7FFFFFFF || !a[4] ? put_u(l, a[4]) : put_xlat(l, &fmt_xlats[op->t[1]], a[4]))
        || put_s(l, ", stack=") || put_hex(l, a[5], "NULL") || put_s(l, ", stack_size=") || put_hex(l, a[6], "0"))
        return -1;
    if ((f & clone_bit(op, 4)) && (put_s(l, ", tls=") || put_hex(l, a[7], "NULL")))
        return -1;
    if (fetch > 80 && (a[10] || (f & clone_bit(op, 5))) && (put_s(l, ", cgroup=") || put_u(l, a[10])))
        return -1;
    if (put(l, "}", 1))
        return -1;
    if (ex->exit.is_error || !(f & (clone_bit(op, 1) | clone_bit(op, 0))))
        return 0;
    if (put_s(l, " => {"))
        return -1;
    for (int k = 1, shown = 0; k >= 0; k--) { /* pidfd, then parent_tid */
        if (!(f & clone_bit(op, k)))
            continue;
        uint64_t at = a[k ? 1 : 3];
        int32_t v;
        if ((shown && put(l, ", ", 2)) || put_s(l, k ? "pidfd=" : "parent_tid="))
            return -1;
        shown = 1;
        if (vm_exact(tid, at, &v, sizeof v) || put(l, "[", 1) || put_d(l, v) || put(l, "]", 1))
            return -1;
    }
    return put(l, "}", 1);
}

/* kinds/signal.py sigset (_sigset): a sigset_t the size's register (param) says is the kernel's
 * 8 bytes, NULL, or its address (another size; an output of a failed call: aux); table: the
 * signals' names in a set; a faulting read Python's */
static int put_sigset_at(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, uint64_t size,
                         int failed)
{
    uint64_t mask;
    if (failed || !addr || size != 8)
        return put_hex(l, addr, "NULL");
    if (vm_exact(tid, addr, &mask, sizeof mask))
        return -1;
    return put_sigset(l, &fmt_xlats[op->t[0]], mask);
}

/* kinds/process.py cpuset (out): sched_getaffinity(2)'s mask, as many bytes as the call returned
 * (its address when it failed, returned 0 or more than 65536), "[0 1 5]"; a fault Python's */
static int put_cpuset(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex)
{
    uint64_t n = (uint64_t)ex->exit.rval;
    if (ex->exit.is_error || !n || n > 65536)
        return put_hex(l, addr, "NULL");
    if (scratch_reserve((size_t)n) || vm_exact(tid, addr, fmt_scratch, (size_t)n) || put(l, "[", 1))
        return -1;
    for (uint64_t k = 0, first = 1; k < 8 * n; k++) {
        if (!(fmt_scratch[k / 8] >> (k % 8) & 1))
            continue;
        if ((!first && put(l, " ", 1)) || put_u(l, k))
            return -1;
        first = 0;
    }
    return put(l, "]", 1);
}

/* kinds/mm.py _nodemask (strace numa.c print_nodemask) of a 64-bit ABI: maxnode - 1 bits in longs,
 * each "%#016llx" (the width counts the 0x; zero as sixteen 0s), print_array's -s cut after reading one past it; its
 * address when maxnode's longs do not add up, NULL, "[]", a wrapping array's address; param:
 * maxnode's register; aux: an output, its address when the call failed; a fault Python's */
static int put_nodemask(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, uint64_t maxnode,
                        const struct syscall_info *ex)
{
    if (op->aux && ex->exit.is_error)
        return put_hex(l, addr, "NULL");
    if (maxnode > (1ull << 32))
        return -1;
    uint64_t nmemb = (maxnode + 62) / 64;
    if (nmemb < maxnode / 64 || (maxnode && !nmemb))
        return put_hex(l, addr, "NULL");
    if (!addr)
        return put_s(l, "NULL");
    if (!nmemb)
        return put_s(l, "[]");
    if (addr + nmemb * 8 - 1 < addr)
        return put_hex(l, addr, "NULL");
    size_t want = nmemb < (uint64_t)fmt_limit + 1 ? (size_t)nmemb : (size_t)fmt_limit + 1;
    if (scratch_reserve(want * 8) || vm_exact(tid, addr, fmt_scratch, want * 8) || put(l, "[", 1))
        return -1;
    for (size_t k = 0; k < want; k++) {
        uint64_t v;
        char tmp[24];
        memcpy(&v, fmt_scratch + k * 8, sizeof v);
        if (k && put(l, ", ", 2))
            return -1;
        if (k == (size_t)fmt_limit) {
            if (put(l, "...", 3))
                return -1;
            break;
        }
        int n = v ? snprintf(tmp, sizeof tmp, "%#016llx", (unsigned long long)v) : snprintf(tmp, sizeof tmp, "%016d", 0);
        if (put(l, tmp, (size_t)n))
            return -1;
    }
    return put(l, "]", 1);
}

/* kinds/mm.py mpol_out: get_mempolicy(2)'s policy, the int the kernel wrote, "[MPOL_...]"; NULL or
 * a failure's address; table: the modes; an unnamed one, a fault Python's */
static int put_mpol_out(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed)
{
    uint32_t v;
    if (failed || !addr)
        return put_hex(l, addr, "NULL");
    if (vm_exact(tid, addr, &v, sizeof v) || put(l, "[", 1) || put_xlat(l, &fmt_xlats[op->t[0]], v))
        return -1;
    return put(l, "]", 1);
}

/* kinds/process.py utsname, abbreviated: struct new_utsname (include/uapi/linux/utsname.h: six
 * 65-byte NUL-terminated fields), sysname and nodename quoted whole, then "..."; the address
 * when the call failed or it is NULL, a faulting read Python's */
static int put_utsname(struct line *l, pid_t tid, uint64_t addr, int failed)
{
    char u[65 * 6];
    if (failed || !addr)
        return put_hex(l, addr, "NULL");
    if (vm_exact(tid, addr, u, sizeof u))
        return -1;
    size_t sys = strnlen(u, 65), node = strnlen(u + 65, 65);
    return put_s(l, "{sysname=\"") || put_escaped(l, (const unsigned char *)u, sys, 0)
           || put_s(l, "\", nodename=\"") || put_escaped(l, (const unsigned char *)u + 65, node, 0)
           || put_s(l, "\", ...}") ? -1 : 0;
}

/* a value the op prints from its bits alone (an argument's register, or FRET_NAMED's result):
 * 0 printed, -1 Python's to print, -2 not such an op */
static int put_value(struct line *l, const struct fmt_op *op, uint64_t v)
{
    switch (op->op) {
    case FOP_D32: return put_d(l, (int32_t)(uint32_t)v);
    case FOP_U32: case FOP_U64: return put_u(l, v);
    case FOP_S64: return put_d(l, (int64_t)v);
    case FOP_HEX: return put_hex(l, v, "0");
    case FOP_PTR: return put_hex(l, v, "NULL");
    case FOP_XLAT: return put_xlat(l, &fmt_xlats[op->t[0]], v);
    case FOP_FLAGS: return put_flags(l, &fmt_xlats[op->t[0]], v);
    case FOP_FIELD_FLAGS: return put_field_flags(l, &fmt_xlats[op->t[0]], &fmt_xlats[op->t[1]], v, op->aux);
    }
    return -2;
}

/* one argument: 0 printed, 1 nothing to print (FOP_OCTAL_IF), -1 Python's to print */
static int put_arg(struct line *l, pid_t tid, const struct fmt_op *op, const struct syscall_info *entry,
                   const struct syscall_info *ex)
{
    uint64_t v = entry->entry.args[op->reg] & op->mask;
    switch (op->op) {
    case FOP_D32: return put_d(l, (int32_t)(uint32_t)v);
    case FOP_U32: case FOP_U64: return put_u(l, v);
    case FOP_S64: return put_d(l, (int64_t)v);
    case FOP_HEX: return put_hex(l, v, "0");
    case FOP_PTR: return put_hex(l, v, "NULL");
    case FOP_BUF: return put_buf(l, tid, v, entry->entry.args[op->param]);
    case FOP_RBUF: {
        /* kinds/io.py rbuf: the bytes the call wrote, as many as it returned (no more than the
         * buffer's size); its address when the call failed */
        if (ex->exit.is_error)
            return put_hex(l, v, "NULL");
        uint64_t n = (uint64_t)ex->exit.rval, size = entry->entry.args[op->reg + 1];
        return put_buf(l, tid, v, n <= size ? n : size);
    }
    case FOP_XLAT: return put_xlat(l, &fmt_xlats[op->t[0]], v);
    case FOP_FLAGS: return put_flags(l, &fmt_xlats[op->t[0]], v);
    case FOP_PATH: return put_cstr(l, tid, v, FMT_PATH_MAX - 1);
    case FOP_STR: return put_cstr(l, tid, v, (size_t)fmt_limit);
    case FOP_DIRFD: /* kinds/scalar.py dirfd without -y: AT_FDCWD (fcntl.h: -100) by name */
        return (int32_t)(uint32_t)v == -100 ? put_s(l, "AT_FDCWD") : put_d(l, (int32_t)(uint32_t)v);
    case FOP_FIELD_FLAGS: return put_field_flags(l, &fmt_xlats[op->t[0]], &fmt_xlats[op->t[1]], v, op->aux);
    case FOP_SPLIT_FLAGS: { /* kinds/fs.py statx_flags: the field's flags, then "|" and the others' */
        uint64_t r = v & ~op->aux;
        return put_flags(l, &fmt_xlats[op->t[0]], v & op->aux) || (r && (put(l, "|", 1)
               || put_flags(l, &fmt_xlats[op->t[1]], r))) ? -1 : 0;
    }
    case FOP_STATX: return put_statx(l, tid, op, v, ex->exit.is_error);
    case FOP_DIRENTS: return put_dirents(l, tid, v, ex);
    case FOP_OCTAL_IF: /* kinds/fs.py open_mode: shown only with O_CREAT or O_TMPFILE (open(2)) */
        return op->reg && (entry->entry.args[op->reg - 1] & op->aux) ? put_octal(l, v) : 1;
    case FOP_XATTR: return put_xattr(l, tid, v, ex);
    case FOP_STAT: return put_stat(l, tid, op, v, ex->exit.is_error);
    case FOP_SIGACTION: return put_sigaction(l, tid, op, v, op->param && ex->exit.is_error);
    case FOP_FAILED_PTR: /* a struct the kernel writes on success only (ioctl's TCGETS): its address when
                          * the call failed (umove_or_printaddr after syserror), the struct Python's */
        return ex->exit.is_error ? put_hex(l, v, "NULL") : -1;
    case FOP_FD_PATH: return put_fd_path(l, (int32_t)(uint32_t)v);
    case FOP_TIMESPEC: return put_timespec(l, tid, v);
    case FOP_SOCKADDR: /* kinds/net.py sockaddr: the address and its length's register (an int) */
        return put_sockaddr(l, tid, &fmt_xlats[op->t[0]], v, (int32_t)(uint32_t)entry->entry.args[op->param], op->aux);
    case FOP_DIRFD_PATH: /* kinds/scalar.py dirfd with -y: AT_FDCWD and the working directory */
        if ((int32_t)(uint32_t)v != -100)
            return put_fd_path(l, (int32_t)(uint32_t)v);
        return put_s(l, "AT_FDCWD") ? -1 : put_link(l, "cwd");
    case FOP_OCTAL: return put_octal(l, v); /* kinds/scalar.py o, o16: a mode, %#03o */
    case FOP_UID: return put_uid(l, v);
    case FOP_PTR_AT: return put_ptr_at(l, tid, v, ex->exit.is_error);
    case FOP_RLIMIT: return put_rlimit(l, tid, v, op->param && ex->exit.is_error);
    case FOP_RBUFX: return put_rbufx(l, tid, v, ex);
    case FOP_SYSINFO: return put_sysinfo(l, tid, v, ex->exit.is_error);
    case FOP_STATFS: return put_statfs(l, tid, op, v, ex->exit.is_error);
    case FOP_FDPAIR: return put_fdpair(l, tid, v, ex->exit.is_error);
    case FOP_UTSNAME: return put_utsname(l, tid, v, ex->exit.is_error);
    case FOP_GIDS: return put_gids(l, tid, v, op, ex);
    case FOP_WSTATUS: return put_wstatus(l, tid, op, v, ex);
    case FOP_RUSAGE: return put_rusage(l, tid, v, ex);
    case FOP_CLONE: return put_clone(l, tid, op, entry, ex);
    case FOP_CLONE_ARGS: return put_clone_args(l, tid, op, v, entry->entry.args[op->param], ex);
    case FOP_SIGSET: return put_sigset_at(l, tid, op, v, entry->entry.args[op->param], op->aux && ex->exit.is_error);
    case FOP_REMTS: return put_remts(l, tid, v, op, entry, ex);
    case FOP_POLLFDS: return put_pollfds(l, tid, v, op, entry);
    case FOP_CPUSET: return put_cpuset(l, tid, v, ex);
    case FOP_NODEMASK: return put_nodemask(l, tid, op, v, entry->entry.args[op->param], ex);
    case FOP_MPOL_OUT: return put_mpol_out(l, tid, op, v, ex->exit.is_error);
    case FOP_XLAT_DFLT: /* fmt.Enum: the name, or the number in hex and t[1]'s one row (PREFIX???) in a comment */
        if (!put_xlat(l, &fmt_xlats[op->t[0]], v))
            return 0;
        return put_hex(l, v, "0") || put_s(l, " /* ") || put_s(l, fmt_xlats[op->t[1]].names[0]) || put_s(l, " */") ? -1 : 0;
    case FOP_STACK_T: { /* kinds/signal.py stack_t: sigaltstack(2)'s stack_t of a 64-bit ABI (void *ss_sp;
                         * int ss_flags; size_t ss_size); NULL; param 1: the old stack, its address
                         * when the call failed; table: ss_flags'; an unnamed flag, a fault Python's */
        uint64_t ss[3];
        if (!v || (op->param && ex->exit.is_error))
            return put_hex(l, v, "NULL");
        if (vm_exact(tid, v, ss, sizeof ss) || put_s(l, "{ss_sp=") || put_hex(l, ss[0], "NULL")
            || put_s(l, ", ss_flags=") || put_flags(l, &fmt_xlats[op->t[0]], ss[1] & 0xFFFFFFFFu)
            || put_s(l, ", ss_size=") || put_u(l, ss[2]))
            return -1;
        return put(l, "}", 1);
    }
    case FOP_SIGRETURN: { /* kinds/signal.py sigreturn: the blocked mask the frame at the entry's stack
                           * pointer restores (aux: its offset, sigreturn_mask_at), made at the entry
                           * stop (an entry_only plan, keep's now); a fault Python's */
        uint64_t mask;
        if (vm_exact(tid, entry->stack_pointer + op->aux, &mask, sizeof mask) || put_s(l, "{mask=")
            || put_sigset(l, &fmt_xlats[op->t[0]], mask))
            return -1;
        return put(l, "}", 1);
    }
    case FOP_UTIMES: return put_utimes(l, tid, v);
    case FOP_NULL: /* kinds/fs.py loffp of an entry kept only with it NULL (null_regs): any other Python's */
        return v ? -1 : put_s(l, "NULL");
    case FOP_CWD: /* kinds/fs.py cwd: the path the call wrote (PATH_MAX at most), its address when it failed */
        if (ex->exit.is_error)
            return put_hex(l, v, "NULL");
        return scratch_reserve(FMT_PATH_MAX + 1) ? -1 : put_cstr(l, tid, v, FMT_PATH_MAX);
    case FOP_ARGV: return put_argv(l, tid, v);
    case FOP_ENVP: return put_envp(l, tid, v);
    }
    return -1;
}

/* The whole seconds and the first digits of the fraction of a time the Python sink holds as a
 * float (time.time(), strace_text.py _with_fraction): the same double operations, so the same
 * digits (Python's float % 1 is fmod moved into [0, 1); int() truncates). */
static const double fmt_scale[10] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
static double floor_of(double x) /* floor() without libm: times are far inside long long */
{
    double t = (double)(long long)x;
    return t > x ? t - 1.0 : t;
}

static int put_fraction(struct line *l, double x, int digits)
{
    if (!digits)
        return 0;
    /* x - floor(x) is fmod(x, 1.0) (exact) plus 1.0 when negative, rounded once as Python does */
    double m = x - floor_of(x);
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, ".%0*lld", digits, (long long)(m * fmt_scale[digits]));
    return put(l, tmp, (size_t)n);
}

/* -t/-tt: the local time of day as Python's time.localtime (the float floored to whole seconds)
 * and strftime("%H:%M:%S"); -ttt: the Unix seconds (str(int(ts))); then the fraction */
static time_t fmt_tod_second = -1; /* the second whose time of day fmt_tod holds (fmt_times resets) */
static char fmt_tod[16];
static int put_timestamp(struct line *l, double ts)
{
    if (fmt_ts_mode < 3) {
        /* the text of the last second made, kept: localtime_r and strftime cost ~2,000
         * instructions, and a busy trace makes thousands of lines a second */
        time_t whole = (time_t)floor_of(ts);
        if (whole != fmt_tod_second) {
            struct tm tm;
            fmt_tod_second = -1;
            if (localtime_r(&whole, &tm) == NULL || strftime(fmt_tod, sizeof fmt_tod, "%H:%M:%S", &tm) == 0)
                return -1;
            fmt_tod_second = whole;
        }
        if (put_s(l, fmt_tod))
            return -1;
    } else if (put_d(l, (long long)ts)) {
        return -1;
    }
    return put_fraction(l, ts, fmt_ts_digits) || put(l, " ", 1) ? -1 : 0;
}

static int put_pid(struct line *l, pid_t tid)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%-5d ", (int)tid);
    return put(l, tmp, (size_t)n);
}

static int put_relative(struct line *l, double ts)
{
    double d = fmt_last_set ? ts - fmt_last : 0.0;
    if (d < 0)
        d = 0.0;
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%s%6lld", fmt_ts_mode ? "(+" : "", (long long)d);
    return put(l, tmp, (size_t)n) || put_fraction(l, d, fmt_rel_digits) || put_s(l, fmt_ts_mode ? ") " : " ") ? -1 : 0;
}

/* -T: " <seconds>" after the result (strace_text.py _syscall: str(int(d)) and the fraction) */
static int put_duration(struct line *l, double d)
{
    return put(l, " <", 2) || put_d(l, (long long)d) || put_fraction(l, d, fmt_dur_digits) || put(l, ">", 1) ? -1 : 0;
}

/* the plan that serves an entry (a command's, fmt_call's select), or NULL: Python's */
static const struct fmt_plan *plan_of(const struct syscall_info *entry)
{
    const struct fmt_plan *plan = fmt_plans[entry->entry.nr];
    while (plan != NULL && plan->sel_reg >= 0
           && (entry->entry.args[plan->sel_reg] & plan->sel_mask) != plan->sel_value)
        plan = plan->next;
    return plan;
}

/* what the ops of an entry_only plan see of a result they never read: none yet (the entry stop)
 * or none ever (the task's exit) */
static const struct syscall_info no_exit;

/* a call's arguments as its plan prints them, without the parentheses: 0, or -1 (Python's) */
static int put_args(struct line *l, pid_t tid, const struct fmt_plan *plan, const struct syscall_info *entry,
                    const struct syscall_info *ex)
{
    for (int i = 0, shown = 0; i < plan->n_ops; i++) {
        char *before = l->p;
        if (shown && put(l, ", ", 2))
            return -1;
        int got = put_arg(l, tid, &plan->ops[i], entry, ex);
        if (got < 0)
            return -1;
        if (got > 0)
            l->p = before; /* nothing shown: no separator either */
        else
            shown = 1;
    }
    return 0;
}

/* The arguments of the call a thread is in, made at its entry stop (keep's now): a call whose
 * entry must be read before the thread runs on, execve's (the kernel replaces the image the
 * arguments are in before the exit stop).  The tracer makes lines for one task only (lines.py),
 * so one text is kept, with the slot it belongs to. */
static char entry_text[FMT_BUF / 2];
static size_t entry_text_len;
static const struct slot *entry_text_slot;

/* The line of a call into fmt_out: 1 made, 0 not (Python makes it).  At its exit stop (ex), or,
 * ex NULL, at the task's exit (PTRACE_EVENT_EXIT) with "= ?" and no -T (events.py duration is
 * None); text: the arguments are entry_text.  proc: /proc's number of the thread's process (-y's
 * links; 0: none given); ts_enter: the kept entry's time, ts_exit: this stop's (-T: their
 * difference, as events.py duration). */
static int fmt_line(pid_t tid, pid_t proc, const struct syscall_info *entry, const struct syscall_info *ex,
                    double ts_enter, double ts_exit, int text)
{
    const struct fmt_plan *plan = plan_of(entry);
    if (plan == NULL || (ex == NULL && !plan->entry_only))
        return 0; /* a command without a plan, or arguments printed at an exit that never came: Python's */
    fmt_proc = proc;
    struct line l = {fmt_out + fmt_len, fmt_out + FMT_BUF};
    char *start = l.p;
    /* the sink counts the prefix in the column it pads to (strace_text.py _syscall) */
    if ((fmt_pid && put_pid(&l, tid)) || (fmt_ts_mode && put_timestamp(&l, ts_enter))
        || (fmt_rel && put_relative(&l, ts_enter)))
        goto no;
    if (put_s(&l, plan->name) || put(&l, "(", 1))
        goto no;
    if (text ? put(&l, entry_text, entry_text_len) : put_args(&l, tid, plan, entry, ex ? ex : &no_exit))
        goto no;
    if (put(&l, ")", 1))
        goto no;
    /* strace pads the line to the -a column before " = " (strace_text.py finished_call) */
    Py_ssize_t col = l.p - start;
    while (col < fmt_align) {
        if (put(&l, " ", 1))
            goto no;
        col++;
    }
    if (put(&l, " = ", 3))
        goto no;
    if (ex == NULL) {
        if (put(&l, "?\n", 2))
            goto no;
        fmt_len = (size_t)(l.p - fmt_out);
        goto made;
    }
    int64_t rv = ex->exit.rval;
    if (ex->exit.is_error) {
        int64_t err = -rv;
        if (err <= 0 || err >= FMT_ERRNOS || fmt_errnos[err] == NULL || put_s(&l, fmt_errnos[err]))
            goto no;
    } else if (plan->ret == FRET_D) {
        if (put_d(&l, rv))
            goto no;
    } else if (plan->ret == FRET_FD) {
        if (put_fd_path(&l, rv))
            goto no;
    } else if (plan->ret == FRET_U) {
        if (put_u(&l, (uint64_t)rv))
            goto no;
    } else if (plan->ret == FRET_POLL) {
        if (put_poll_ret(&l, tid, plan, entry, rv))
            goto no;
    } else if (plan->ret == FRET_OCTAL) { /* kinds/scalar.py ret_o: umask(2)'s old mask */
        if (put_octal(&l, (uint64_t)rv))
            goto no;
    } else if (plan->ret == FRET_NAMED) {
        if (rv == 0 && plan->ret_zero_bare) {
            if (put(&l, "0", 1))
                goto no;
        } else if (put_hex(&l, (uint64_t)rv, "0") || put(&l, " (", 2) || put_s(&l, plan->ret_label)
                   || put(&l, " ", 1) || put_value(&l, &plan->ret_op, (uint64_t)rv & plan->ret_op.mask)
                   || put(&l, ")", 1)) {
            goto no;
        }
    } else if (put_hex(&l, (uint64_t)rv, "0")) {
        goto no;
    }
    if (fmt_show_time && put_duration(&l, ts_exit - ts_enter))
        goto no;
    if (put(&l, "\n", 1))
        goto no;
    fmt_len = (size_t)(l.p - fmt_out);
made:
    if (fmt_rel) { /* the line is out: the next one counts from it */
        fmt_last = ts_enter;
        fmt_last_set = 1;
    }
    return 1;
no:
    return 0;
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
           && fmt_plans[slot->si.entry.nr] != NULL && (slot->kept != KEPT_TEXT || entry_text_slot == slot);
}

/* the slot's call is done (its line made, or handed to Python): nothing kept */
static void slot_done(struct slot *slot)
{
    if (entry_text_slot == slot)
        entry_text_slot = NULL;
    slot->kept = 0;
}

/* the kept entry handed to Python, taken: wait_call's entry tuple, and for an entry whose
 * arguments were made at its entry stop (KEPT_TEXT) their text after it, (op, arch, ip, sp,
 * nr, a0..a5, text): the engine prints those, as the memory they were read from may be gone */
static PyObject *kept_tuple(struct slot *slot)
{
    PyObject *entry = entry_tuple(&slot->si);
    if (entry != NULL && slot->kept == KEPT_TEXT && entry_text_slot == slot) {
        PyObject *with = PyTuple_New(12);
        PyObject *text = PyUnicode_DecodeUTF8(entry_text, (Py_ssize_t)entry_text_len, "surrogateescape");
        if (with != NULL && text != NULL) {
            for (Py_ssize_t i = 0; i < 11; i++)
                PyTuple_SET_ITEM(with, i, Py_NewRef(PyTuple_GET_ITEM(entry, i)));
            PyTuple_SET_ITEM(with, 11, text);
        } else {
            Py_CLEAR(with);
            Py_XDECREF(text);
        }
        Py_DECREF(entry);
        entry = with;
    }
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
        if (wake_requested || (budget > 0 && in_call >= budget)) {
            /* back to the engine: a handler's request (wake), or a window to measure */
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
            && fmt_line(tid, slot->proc, &slot->si, NULL, slot->ts, 0.0, slot->kept == KEPT_TEXT)) {
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
            && fmt_line(tid, slot->proc, &slot->si, &si, slot->ts, fmt_show_time ? now_ts() : 0.0,
                        slot->kept == KEPT_TEXT)) {
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
            || (fast_nr[a][si.entry.nr] == FAST_SELECTED && !fmt_selected(&si)))
            break;
        tid_bit(run_bits, tid, 0); /* a traced call */
        slot->ts = now_ts();
        slot->si = si;
        slot->kept = 1;
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
    PyObject *entry = kept_tuple(slot);
    if (entry == NULL)
        return NULL;
    return Py_BuildValue("(Nd)", entry, slot->ts);
}

/* keep's now: the arguments of the entry made into entry_text while the thread is stopped; 1
 * kept (KEPT_TEXT), 0 Python's (the text is another thread's, no entry_only plan, a fault ...) */
static int keep_now(struct slot *slot, long tid, const struct syscall_info *si, double ts)
{
    if (si->op != OP_ENTRY || si->arch != fast_arch[0] || si->entry.nr >= MAX_NR || entry_text_slot != NULL
        || !fmt_on)
        return 0;
    const struct fmt_plan *plan = plan_of(si);
    if (plan == NULL || !plan->entry_only)
        return 0;
    struct line l = {entry_text, entry_text + sizeof entry_text};
    fmt_proc = slot->proc;
    if (put_args(&l, (pid_t)tid, plan, si, &no_exit))
        return 0;
    entry_text_len = (size_t)(l.p - entry_text);
    entry_text_slot = slot;
    slot->si = *si;
    slot->ts = ts;
    slot->kept = KEPT_TEXT;
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
    if (slot == NULL || slot->kept)
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
    if (!fmt_ready(slot)) {
        slot->kept = 0; /* no line plan: the exit is Python's, with the entry it decoded */
        Py_RETURN_FALSE;
    }
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
    entry_text_slot = NULL;
    fmt_forget(); /* the lines made are not: fmt_text takes them */
    Py_RETURN_NONE;
}

static void fmt_forget(void)
{
    for (int i = 0; i < MAX_NR; i++) {
        fmt_plans_free(fmt_plans[i]);
        fmt_plans[i] = NULL;
    }
    for (int i = 0; i < fmt_n_xlats; i++)
        fmt_xlat_free(&fmt_xlats[i]);
    fmt_n_xlats = 0;
    fmt_on = 0;
    fmt_ts_mode = fmt_ts_digits = fmt_show_time = fmt_pid = 0;
    fmt_dur_digits = 6;
    fmt_fd = -1;
}

static char *dup_utf8(PyObject *s)
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

/* fmt_xlat(rows, zero) -> id | -1: a table of ((value, name), ...) rows, zero the text of a flag
 * word 0 (None for an enum) */
static PyObject *py_fmt_xlat(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyTuple_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "fmt_xlat(rows, zero)");
        return NULL;
    }
    if (fmt_n_xlats >= FMT_XLATS)
        return PyLong_FromLong(-1);
    struct fmt_xlat *x = &fmt_xlats[fmt_n_xlats];
    Py_ssize_t n = PyTuple_GET_SIZE(args[0]);
    x->vals = PyMem_Calloc((size_t)n + 1, sizeof *x->vals);
    x->names = PyMem_Calloc((size_t)n + 1, sizeof *x->names);
    if (x->vals == NULL || x->names == NULL)
        goto nomem;
    if (args[1] != Py_None && (x->zero = dup_utf8(args[1])) == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = PyTuple_GET_ITEM(args[0], i);
        if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) != 2) {
            PyErr_SetString(PyExc_TypeError, "fmt_xlat: rows of (value, name)");
            goto fail;
        }
        x->vals[i] = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(row, 0));
        x->n = i + 1; /* freed by fmt_forget from here on */
        if (PyErr_Occurred() || (x->names[i] = dup_utf8(PyTuple_GET_ITEM(row, 1))) == NULL)
            goto fail;
    }
    x->n = n;
    return PyLong_FromLong(fmt_n_xlats++);
nomem:
    PyErr_NoMemory();
fail:
    fmt_xlat_free(x);
    return NULL;
}

static int is_flags(long t) { return t >= 0 && t < fmt_n_xlats && fmt_xlats[t].zero != NULL; }
static int is_enum(long t) { return t >= 0 && t < fmt_n_xlats; }

/* an op whose registers and tables are there: the tables each op prints with, in order */
static int fmt_op_ok(long op, long reg, long param, const long *t)
{
    if (reg < 0 || reg > 5 || param < 0 || param > 5)
        return 0;
    switch (op) {
    case FOP_RBUF: return reg <= 4; /* the buffer's size is the next register */
    case FOP_XLAT: return is_enum(t[0]);
    case FOP_FLAGS: return is_flags(t[0]);
    case FOP_FIELD_FLAGS: case FOP_STAT: return is_enum(t[0]) && is_flags(t[1]);
    case FOP_SPLIT_FLAGS: return is_flags(t[0]) && is_flags(t[1]);
    case FOP_STATX: return is_flags(t[0]) && is_flags(t[1]) && is_enum(t[2]) && is_flags(t[3]);
    case FOP_SIGACTION: return is_flags(t[0]) && is_enum(t[1]);
    case FOP_SOCKADDR: return is_enum(t[0]);
    case FOP_STATFS: return is_enum(t[0]) && is_flags(t[1]);
    case FOP_WSTATUS: case FOP_SIGSET: case FOP_SIGRETURN: return is_enum(t[0]);
    case FOP_STACK_T: return is_flags(t[0]);
    case FOP_XLAT_DFLT: return is_enum(t[0]) && is_enum(t[1]) && fmt_xlats[t[1]].n == 1;
    case FOP_MPOL_OUT: return is_enum(t[0]);
    case FOP_CLONE: return reg == 0 && (param == 3 || param == 4) && is_flags(t[0]) && is_enum(t[1]);
    case FOP_CLONE_ARGS: return is_flags(t[0]) && is_enum(t[1]);
    case FOP_POLLFDS: return is_flags(t[0]);
    default: return op >= FOP_D32 && op <= FOP_LAST;
    }
}

/* one op of fmt_call's tuple (op, register, param, mask, aux, (table, table, table, table)) */
static int fmt_op_parse(PyObject *t, struct fmt_op *out)
{
    long op, reg, param, tab[4];
    unsigned long long mask, aux;
    if (!PyArg_ParseTuple(t, "lllKK(llll)", &op, &reg, &param, &mask, &aux, &tab[0], &tab[1], &tab[2], &tab[3]))
        return -1;
    if (!fmt_op_ok(op, reg, param, tab))
        return 0;
    *out = (struct fmt_op){(uint8_t)op, (uint8_t)reg, (uint8_t)param,
                           {(int16_t)tab[0], (int16_t)tab[1], (int16_t)tab[2], (int16_t)tab[3]}, mask, aux};
    return 1;
}

/* fmt_call(audit_arch, nr, name, ops, ret[, select[, entry_only]]) -> bool: the format of a
 * call (native ABI only; entry_only: struct fmt_plan's), ops ((op, register, param, mask, aux, (table, table, table, table)), ...) as
 * syscope.decode.cformat compiles them, the tables fmt_xlat ids (-1: none); ret FRET_D/U/X, or
 * (FRET_NAMED, label, zero_bare, op); select (register, mask, value): the plan of the calls whose
 * register masked is value, kept with the call's other commands' plans (None: the only plan) */
static PyObject *py_fmt_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 5 || nargs > 7 || !PyUnicode_Check(args[2]) || !PyTuple_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "fmt_call(audit_arch, nr, name, ops, ret[, select[, entry_only]])");
        return NULL;
    }
    unsigned long arch = PyLong_AsUnsignedLongMask(args[0]);
    unsigned long long nr = PyLong_AsUnsignedLongLongMask(args[1]);
    if (PyErr_Occurred())
        return NULL;
    struct fmt_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.sel_reg = plan.apart_in = plan.apart_out = -1;
    int entry_only = nargs == 7 ? PyObject_IsTrue(args[6]) : 0;
    if (entry_only < 0)
        return NULL;
    plan.entry_only = (uint8_t)entry_only;
    long ret;
    if (PyTuple_Check(args[4])) {
        const char *label;
        Py_ssize_t label_len;
        int zero_bare;
        PyObject *op;
        if (!PyArg_ParseTuple(args[4], "ls#pO", &ret, &label, &label_len, &zero_bare, &op))
            return NULL;
        int ok = fmt_op_parse(op, &plan.ret_op);
        if (ok < 0)
            return NULL;
        if (!ok || ret != FRET_NAMED || label_len >= (Py_ssize_t)sizeof plan.ret_label
            || plan.ret_op.op > FOP_FIELD_FLAGS || plan.ret_op.op == FOP_BUF || plan.ret_op.op == FOP_RBUF)
            Py_RETURN_FALSE; /* (put_value's ops only) */
        memcpy(plan.ret_label, label, (size_t)label_len);
        plan.ret_zero_bare = (uint8_t)zero_bare;
    } else {
        ret = PyLong_AsLong(args[4]);
        if (ret == -1 && PyErr_Occurred())
            return NULL;
        if (ret < FRET_D || ret > FRET_POLL || ret == FRET_NAMED)
            Py_RETURN_FALSE;
    }
    if (nargs >= 6 && PyTuple_Check(args[5]) && PyTuple_GET_SIZE(args[5]) == 1) {
        long bits;
        if (!PyArg_ParseTuple(args[5], "l", &bits))
            return NULL;
        if (bits <= 0 || bits > 0x3F)
            Py_RETURN_FALSE;
        plan.null_regs = (uint8_t)bits;
    } else if (nargs >= 6 && PyTuple_Check(args[5]) && PyTuple_GET_SIZE(args[5]) == 2) {
        long in, out;
        if (!PyArg_ParseTuple(args[5], "ll", &in, &out))
            return NULL;
        if (in < 0 || in > 5 || out < 0 || out > 5)
            Py_RETURN_FALSE;
        plan.apart_in = (int8_t)in;
        plan.apart_out = (int8_t)out;
    } else if (nargs >= 6 && args[5] != Py_None) {
        long reg;
        unsigned long long mask, value;
        if (!PyArg_ParseTuple(args[5], "lKK", &reg, &mask, &value))
            return NULL;
        if (reg < 0 || reg > 5)
            Py_RETURN_FALSE;
        plan.sel_reg = (int8_t)reg;
        plan.sel_mask = mask;
        plan.sel_value = value & mask;
    }
    Py_ssize_t n_ops = PyTuple_GET_SIZE(args[3]), name_len;
    const char *name = PyUnicode_AsUTF8AndSize(args[2], &name_len);
    if (name == NULL)
        return NULL;
    if (arch_index((uint32_t)arch) != 0 || nr >= MAX_NR || n_ops > 6 || name_len >= 48)
        Py_RETURN_FALSE;
    memcpy(plan.name, name, (size_t)name_len);
    plan.n_ops = (uint8_t)n_ops;
    plan.ret = (uint8_t)ret;
    for (Py_ssize_t i = 0; i < n_ops; i++) {
        int ok = fmt_op_parse(PyTuple_GET_ITEM(args[3], i), &plan.ops[i]);
        if (ok <= 0) {
            if (ok < 0)
                return NULL;
            Py_RETURN_FALSE;
        }
    }
    /* a plan for every call replaces the call's plans; a command's, its own (or joins them) */
    struct fmt_plan **at = &fmt_plans[nr];
    if (plan.sel_reg < 0) {
        fmt_plans_free(fmt_plans[nr]);
        fmt_plans[nr] = NULL;
    } else {
        while (*at != NULL && !((*at)->sel_reg == plan.sel_reg && (*at)->sel_mask == plan.sel_mask
                                && (*at)->sel_value == plan.sel_value))
            at = &(*at)->next;
    }
    struct fmt_plan *p = *at;
    if (p == NULL && (p = PyMem_Malloc(sizeof *p)) == NULL)
        return PyErr_NoMemory();
    plan.next = p == *at ? p->next : NULL;
    *p = plan;
    *at = p;
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

/* fmt_times(timestamps, ts_digits, show_time, duration_digits, pid, relative, relative_digits):
 * the lines' -t/-tt/-ttt prefix (0: none) and -T suffix, digits after the point as the sink prints
 * them (0..9), whether the thread's id comes first (-f -o FILE), and -r's prefix */
static PyObject *py_fmt_times(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError,
                        "fmt_times(timestamps, ts_digits, show_time, duration_digits, pid, relative, relative_digits)");
        return NULL;
    }
    long mode = PyLong_AsLong(args[0]), digits = PyLong_AsLong(args[1]), dur = PyLong_AsLong(args[3]);
    long rdigits = PyLong_AsLong(args[6]);
    int show = PyObject_IsTrue(args[2]), pid = PyObject_IsTrue(args[4]), rel = PyObject_IsTrue(args[5]);
    if (PyErr_Occurred() || show < 0 || pid < 0 || rel < 0)
        return NULL;
    if (mode < 0 || mode > 3 || digits < 0 || digits > 9 || dur < 0 || dur > 9 || rdigits < 0 || rdigits > 9)
        Py_RETURN_FALSE; /* not a form made here: Python prints every line */
    fmt_ts_mode = (int)mode;
    fmt_ts_digits = (int)digits;
    fmt_show_time = show;
    fmt_dur_digits = (int)dur;
    fmt_pid = pid;
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
    {"syscall_info", py_syscall_info, METH_O, "PTRACE_GET_SYSCALL_INFO as a tuple"},
    {"resume", (PyCFunction)(void (*)(void))py_resume, METH_FASTCALL, "ptrace(request, tid, 0, sig) -> errno"},
    {"vm_read", (PyCFunction)(void (*)(void))py_vm_read, METH_FASTCALL, "process_vm_readv of one range"},
    {"wait_call", py_wait_call, METH_O, "wait_stop that handles the entry stops of armed threads' marked calls"},
    {"arm", (PyCFunction)(void (*)(void))py_arm, METH_FASTCALL, "arm(tid, on[, proc_pid]): may wait_call keep its entries"},
    {"keep", (PyCFunction)(void (*)(void))py_keep, METH_FASTCALL,
     "keep(tid, entry, ts[, now]) -> bool: keep an entry the engine handled (now: its arguments made now), its line made at the exit"},
    {"fast_call", (PyCFunction)(void (*)(void))py_fast_call, METH_FASTCALL, "fast_call(audit_arch, nr, on)"},
    {"take", py_take, METH_O, "take(tid) -> (entry, ts) | None: the entry kept for a thread that did not report"},
    {"untraced", (PyCFunction)(void (*)(void))py_untraced, METH_FASTCALL,
     "untraced(tid, on[, audit_arch, nr]) -> was: is the thread's next syscall stop the exit of a call not traced"},
    {"fmt_setup", (PyCFunction)(void (*)(void))py_fmt_setup, METH_FASTCALL,
     "fmt_setup(string_limit, align, errno_texts) -> bool: may lines be made at all"},
    {"fmt_xlat", (PyCFunction)(void (*)(void))py_fmt_xlat, METH_FASTCALL, "fmt_xlat(rows, zero) -> table id | -1"},
    {"fmt_call", (PyCFunction)(void (*)(void))py_fmt_call, METH_FASTCALL,
     "fmt_call(audit_arch, nr, name, ops, ret) -> bool: wait_call makes this call's lines"},
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
    if (m != NULL && PyModule_AddIntConstant(m, "FMT_VERSION", 23) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
