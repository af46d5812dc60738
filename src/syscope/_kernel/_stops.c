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
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "syscope._kernel._stops", "the ptrace tracer's per-stop system calls", -1, methods,
};

PyMODINIT_FUNC PyInit__stops(void)
{
    return PyModule_Create(&module);
}
