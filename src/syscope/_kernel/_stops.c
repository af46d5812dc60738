/* The ptrace tracer's per-stop system calls as one C call each (optional CPython extension).
 *
 * syscope._kernel.stops uses this module when it is built and falls back to the same functions
 * written with os.waitpid and ctypes otherwise (stops.py holds both and says which is used).
 * Every call here is a thin wrapper of one or two system calls: what to do with a stop stays in
 * the Python engine.  The gain is the crossing: a ctypes call costs about a microsecond (argument
 * conversion, errno save/restore), a METH_FASTCALL function a few tens of nanoseconds, and a full
 * trace makes several per stop.
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
 *   arm(tid, on), fast_call(audit_arch, nr, on), reset(): the threads and calls wait_call handles
 *       itself; arm(tid, False) and reset() forget a kept entry (a thread gone without its report).
 *   take(tid) -> (entry, ts) | None: the entry kept for a thread that has not reported since (the
 *       call it is in when the trace is interrupted), taken back.
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
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

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
struct slot {
    pid_t tid; /* 0: free; -1: deleted */
    int kept;
    double ts;
    struct syscall_info si;
};
static struct slot slots[SLOTS];
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

static PyObject *py_wait_call(PyObject *self, PyObject *arg)
{
    int flags = (int)PyLong_AsLong(arg);
    if (flags == -1 && PyErr_Occurred())
        return NULL;
    int status = 0;
    pid_t tid;
    struct slot *slot;
    struct syscall_info si;
    for (;;) {
        if (flags & WNOHANG) {
            tid = waitpid(-1, &status, flags);
        } else {
            Py_BEGIN_ALLOW_THREADS
            tid = waitpid(-1, &status, flags);
            Py_END_ALLOW_THREADS
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
            continue;
        }
        slot = n_used ? find_slot(tid) : NULL;
        if (status != SYSGOOD_STOP && status != SECCOMP_STOP)
            break;
        if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof si, &si) <= 0) {
            si.op = 0xff; /* gone: Python finds out why */
            break;
        }
        if (si.op != OP_ENTRY || si.entry.nr >= MAX_NR)
            break;
        int a = arch_index(si.arch);
        if (a >= 0 && status == SYSGOOD_STOP && untraced_nr[a][si.entry.nr] && tid_bit(run_bits, tid, -1)) {
            /* the entry of an untraced call in the thread's run: what the engine does with it */
            untraced_mark(tid, 1);
            ptrace(PTRACE_SYSCALL, tid, NULL, NULL);
            continue;
        }
        if (slot == NULL || slot->kept || a < 0 || !fast_nr[a][si.entry.nr])
            break;
        tid_bit(run_bits, tid, 0); /* a traced call */
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        slot->ts = (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
        slot->si = si;
        slot->kept = 1;
        /* on failure (ESRCH: killed meanwhile) its exit status comes next with the kept entry */
        ptrace(PTRACE_SYSCALL, tid, NULL, NULL);
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
    if (slot != NULL && slot->kept) {
        entry = entry_tuple(&slot->si);
        if (entry == NULL) {
            Py_DECREF(info);
            return NULL;
        }
        ts = slot->ts;
        slot->kept = 0;
    } else {
        Py_INCREF(entry);
    }
    tid_bit(run_bits, tid, 0); /* a report for Python: the thread's run of untraced calls ends */
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
        untraced_mark(tid, 0); /* its id may be a new thread's next */
        if (slot != NULL)
            slot->tid = -1; /* gone: not armed any more */
    }
    PyObject *report[5] = {PyLong_FromLong(tid), PyLong_FromLong(status), info, entry, PyFloat_FromDouble(ts)};
    return tuple_of(5, report);
}

static PyObject *py_arm(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "arm(tid, on)");
        return NULL;
    }
    long tid = PyLong_AsLong(args[0]);
    int on = PyObject_IsTrue(args[1]);
    if (PyErr_Occurred() || on < 0)
        return NULL;
    if (tid <= 0)
        Py_RETURN_FALSE;
    struct slot *slot = find_slot((pid_t)tid);
    if (!on) {
        if (slot != NULL)
            slot->tid = -1;
        Py_RETURN_FALSE;
    }
    if (slot != NULL)
        Py_RETURN_TRUE;
    if (n_used >= SLOTS / 2)
        Py_RETURN_FALSE; /* full: this thread's stops all go to Python */
    unsigned h = ((unsigned)tid * 2654435761u) & (SLOTS - 1);
    while (slots[h].tid > 0)
        h = (h + 1) & (SLOTS - 1);
    if (slots[h].tid == 0)
        n_used++;
    slots[h].tid = (pid_t)tid;
    slots[h].kept = 0;
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
    int on = PyObject_IsTrue(args[2]);
    if (PyErr_Occurred() || on < 0)
        return NULL;
    int a = arch_index((uint32_t)arch);
    if (a < 0 || nr >= MAX_NR)
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
    PyObject *entry = entry_tuple(&slot->si);
    if (entry == NULL)
        return NULL;
    slot->kept = 0;
    return Py_BuildValue("(Nd)", entry, slot->ts);
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
    memset(slots, 0, sizeof slots);
    memset(fast_nr, 0, sizeof fast_nr);
    n_used = 0;
    Py_RETURN_NONE;
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

static PyMethodDef methods[] = {
    {"wait_stop", py_wait_stop, METH_O, "waitpid(-1, flags) and the syscall stop's info"},
    {"syscall_info", py_syscall_info, METH_O, "PTRACE_GET_SYSCALL_INFO as a tuple"},
    {"resume", (PyCFunction)(void (*)(void))py_resume, METH_FASTCALL, "ptrace(request, tid, 0, sig) -> errno"},
    {"vm_read", (PyCFunction)(void (*)(void))py_vm_read, METH_FASTCALL, "process_vm_readv of one range"},
    {"wait_call", py_wait_call, METH_O, "wait_stop that handles the entry stops of armed threads' marked calls"},
    {"arm", (PyCFunction)(void (*)(void))py_arm, METH_FASTCALL, "arm(tid, on): may wait_call keep its entries"},
    {"fast_call", (PyCFunction)(void (*)(void))py_fast_call, METH_FASTCALL, "fast_call(audit_arch, nr, on)"},
    {"take", py_take, METH_O, "take(tid) -> (entry, ts) | None: the entry kept for a thread that did not report"},
    {"untraced", (PyCFunction)(void (*)(void))py_untraced, METH_FASTCALL,
     "untraced(tid, on[, audit_arch, nr]) -> was: is the thread's next syscall stop the exit of a call not traced"},
    {"reset", py_reset, METH_NOARGS, "forget every armed thread, kept entry, marked call and untraced mark"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "syscope._kernel._stops", "the ptrace tracer's per-stop system calls", -1, methods,
};

PyMODINIT_FUNC PyInit__stops(void)
{
    return PyModule_Create(&module);
}
