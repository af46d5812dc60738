/* The launched command's process, made without copying the tracer's: spawn() and spawn_release().
 *
 * fork(2) of the tracer copies its page tables (a Python process of ~25 MB) and marks every page
 * copy-on-write, which both the tracer, running on, and the child, until its exec, then fault on:
 * ~1 ms of a traced run's start-up, which is most of what a short trace costs beyond strace's.
 * posix_spawn(3) avoids it with CLONE_VM|CLONE_VFORK, but a vfork parent sleeps until the child
 * execs or exits, and this child must stop before its exec for the tracer to seize it
 * (strace.c startup_child: the child kill(getpid(), SIGSTOP)s itself, the parent PTRACE_SEIZEs it
 * and sends SIGCONT).  So the child is made with CLONE_VM alone: it runs in the tracer's address
 * space, on a stack of its own, until its execve replaces it, and touches nothing of the tracer's
 * there: the path, the arguments and the environment are copied beforehand into a mapping of
 * its own (with its stack), freed once the child has exec'd or died (spawn_release), and every
 * system call it makes is a raw one, which writes no errno: it shares the tracer's thread-local
 * storage (no CLONE_SETTLS); libc's string functions, which touch neither, it may call.
 * Signals are blocked from before clone until the child has reset
 * the handlers it inherited (a handler would run the tracer's code in the shared memory), as
 * glibc's posix_spawn does.  Where no raw system call is written here the engine forks. */
#include "_stops.h"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h> /* RUNNING_ON_VALGRIND: valgrind runs no clone(2) but a thread's or a fork's */
#endif
#endif

#if defined(__x86_64__) || defined(__aarch64__)
#define HAVE_RAW_SYSCALL 1

static long raw_syscall(long n, long a, long b, long c, long d)
{
#if defined(__x86_64__)
    long ret;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return ret;
#else
    register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b, x2 __asm__("x2") = c,
                  x3 __asm__("x3") = d;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
#endif
}

#define SPAWN_STACK (64 * 1024)

/* the kernel's struct sigaction (include/uapi/asm-generic/signal.h with SA_RESTORER: x86-64's
 * and arm64's layout), its mask 64 bits wide */
struct k_sigaction {
    unsigned long handler, flags, restorer;
    uint64_t mask;
};

struct spawn_args {
    const char *path;
    char **argv, **envp;
    const char *prefix; /* "syscope: exec: " */
    size_t prefix_len;
    uint64_t mask;   /* the tracer's signal mask, the child's before its exec */
    uint64_t ignore; /* the signals ignored when syscope started: ignored again (command.py) */
};

/* The child, in the tracer's memory until its exec: only raw system calls and its own mapping. */
static int spawn_child(void *arg)
{
    const struct spawn_args *a = arg;
    struct k_sigaction now, dfl = {(unsigned long)SIG_DFL, 0, 0, 0}, ign = {(unsigned long)SIG_IGN, 0, 0, 0};
    for (int sig = 1; sig <= 64; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        if (a->ignore >> (sig - 1) & 1) {
            raw_syscall(SYS_rt_sigaction, sig, (long)&ign, 0, 8);
        } else if (sig == SIGPIPE || sig == SIGXFSZ) {
            raw_syscall(SYS_rt_sigaction, sig, (long)&dfl, 0, 8); /* CPython ignores them (subprocess's restore_signals) */
        } else if (raw_syscall(SYS_rt_sigaction, sig, 0, (long)&now, 8) == 0 && now.handler != (unsigned long)SIG_DFL
                   && now.handler != (unsigned long)SIG_IGN) {
            raw_syscall(SYS_rt_sigaction, sig, (long)&dfl, 0, 8); /* the exec would reset it: now, before it runs */
        }
    }
    raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&a->mask, 0, 8);
    raw_syscall(SYS_kill, raw_syscall(SYS_getpid, 0, 0, 0, 0), SIGSTOP, 0, 0); /* until the tracer has seized it */
    long err = -raw_syscall(SYS_execve, (long)a->path, (long)a->argv, (long)a->envp, 0);
    /* strace 6.1's child: perror_msg_and_die("exec"), "strace: exec: <strerror>", exit status 1 */
    const char *text = strerrordesc_np((int)err);
    if (text == NULL)
        text = "Unknown error";
    raw_syscall(SYS_write, 2, (long)a->prefix, (long)a->prefix_len, 0);
    raw_syscall(SYS_write, 2, (long)text, (long)strlen(text), 0);
    raw_syscall(SYS_write, 2, (long)"\n", 1, 0);
    raw_syscall(SYS_exit_group, 1, 0, 0, 0);
    return 1;
}

/* the mappings of children not exec'd yet, by pid (a few: one per tracer launching) */
#define SPAWNS 64
static struct { pid_t pid; void *map; size_t size; } spawns[SPAWNS];

/* a bytes object, or the items of a list/tuple of bytes, copied into the mapping at *at */
static char *put_bytes(char **at, PyObject *b)
{
    char *out = *at;
    size_t n = (size_t)PyBytes_GET_SIZE(b);
    memcpy(out, PyBytes_AS_STRING(b), n);
    out[n] = '\0';
    *at += n + 1;
    return out;
}

static int all_bytes(PyObject *seq)
{
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++)
        if (!PyBytes_Check(PySequence_Fast_GET_ITEM(seq, i)))
            return 0;
    return 1;
}

/* spawn(path, argv, envp, prefix, ignore) -> pid | None: the command's process, stopped by its
 * own SIGSTOP before its execve (waited for), for the tracer to seize and continue; envp None:
 * the tracer's environment; None: no raw system calls here (the engine forks) */
PyObject *py_spawn(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyBytes_Check(args[0]) || !PyBytes_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "spawn(path, argv, envp, prefix, ignore)");
        return NULL;
    }
    unsigned long long ignore = PyLong_AsUnsignedLongLongMask(args[4]);
    if (PyErr_Occurred())
        return NULL;
    PyObject *argv = PySequence_Fast(args[1], "spawn: argv is a sequence of bytes");
    if (argv == NULL)
        return NULL;
    PyObject *envp = args[2] == Py_None ? NULL : PySequence_Fast(args[2], "spawn: envp is a sequence of bytes");
    if (args[2] != Py_None && envp == NULL) {
        Py_DECREF(argv);
        return NULL;
    }
    PyObject *result = NULL;
    void *map = MAP_FAILED;
    size_t size = 0;
    int slot = -1;
    for (int i = 0; i < SPAWNS && slot < 0; i++)
        if (spawns[i].pid == 0)
            slot = i;
    if (!all_bytes(argv) || (envp && !all_bytes(envp))) {
        PyErr_SetString(PyExc_TypeError, "spawn: argv and envp are sequences of bytes");
        goto out;
    }
#ifdef RUNNING_ON_VALGRIND
    if (RUNNING_ON_VALGRIND)
        slot = -1; /* (cachegrind measures the tracer: it would end the process at this clone) */
#endif
    if (slot < 0) { /* as many children not exec'd yet: fork this one */
        result = Py_NewRef(Py_None);
        goto out;
    }
    Py_ssize_t n_argv = PySequence_Fast_GET_SIZE(argv), n_envp = 0;
    size_t strings = (size_t)PyBytes_GET_SIZE(args[0]) + (size_t)PyBytes_GET_SIZE(args[3]) + 2;
    for (Py_ssize_t i = 0; i < n_argv; i++)
        strings += (size_t)PyBytes_GET_SIZE(PySequence_Fast_GET_ITEM(argv, i)) + 1;
    if (envp != NULL) {
        n_envp = PySequence_Fast_GET_SIZE(envp);
        for (Py_ssize_t i = 0; i < n_envp; i++)
            strings += (size_t)PyBytes_GET_SIZE(PySequence_Fast_GET_ITEM(envp, i)) + 1;
    } else {
        for (char **e = environ; *e != NULL; e++, n_envp++)
            strings += strlen(*e) + 1;
    }
    size = SPAWN_STACK + sizeof(struct spawn_args) + ((size_t)n_argv + (size_t)n_envp + 2) * sizeof(char *)
           + strings + 64;
    map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (map == MAP_FAILED) {
        PyErr_SetFromErrno(PyExc_OSError);
        goto out;
    }
    /* the stack at the mapping's start (it grows down from SPAWN_STACK), the rest after it */
    struct spawn_args *a = (struct spawn_args *)((char *)map + SPAWN_STACK);
    char **vectors = (char **)(a + 1);
    a->argv = vectors;
    a->envp = vectors + n_argv + 1;
    char *at = (char *)(a->envp + n_envp + 1);
    a->path = put_bytes(&at, args[0]);
    a->prefix_len = (size_t)PyBytes_GET_SIZE(args[3]);
    a->prefix = put_bytes(&at, args[3]);
    for (Py_ssize_t i = 0; i < n_argv; i++)
        a->argv[i] = put_bytes(&at, PySequence_Fast_GET_ITEM(argv, i));
    a->argv[n_argv] = NULL;
    for (Py_ssize_t i = 0; i < n_envp; i++) {
        if (envp != NULL) {
            a->envp[i] = put_bytes(&at, PySequence_Fast_GET_ITEM(envp, i));
        } else {
            size_t n = strlen(environ[i]);
            memcpy(at, environ[i], n + 1);
            a->envp[i] = at;
            at += n + 1;
        }
    }
    a->envp[n_envp] = NULL;
    a->ignore = ignore;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    memcpy(&a->mask, &old, sizeof a->mask); /* (glibc's sigset_t starts with the kernel's 64 bits) */
    pid_t pid = clone(spawn_child, (char *)map + SPAWN_STACK - 64, CLONE_VM | SIGCHLD, a);
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) {
        errno = err;
        PyErr_SetFromErrno(PyExc_OSError);
        goto out;
    }
    spawns[slot].pid = pid;
    spawns[slot].map = map;
    spawns[slot].size = size;
    map = MAP_FAILED;
    int status, got;
    Py_BEGIN_ALLOW_THREADS
    do
        got = waitpid(pid, &status, WUNTRACED);
    while (got < 0 && errno == EINTR);
    Py_END_ALLOW_THREADS
    if (got < 0 || !WIFSTOPPED(status)) {
        /* killed before its stop (by whoever sends SIGKILL to the process group): nothing runs
         * in the mapping any more */
        if (got < 0)
            PyErr_SetFromErrno(PyExc_OSError);
        else
            PyErr_Format(PyExc_ChildProcessError, "spawn: the child ended before its exec (status %#x)", status);
        if (got < 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
        munmap(spawns[slot].map, spawns[slot].size);
        spawns[slot].pid = 0;
        goto out;
    }
    result = PyLong_FromLong(pid);
out:
    if (map != MAP_FAILED)
        munmap(map, size);
    Py_DECREF(argv);
    Py_XDECREF(envp);
    return result;
}

/* spawn_release(pid): the child has exec'd or is gone: its mapping is freed */
PyObject *py_spawn_release(PyObject *self, PyObject *arg)
{
    long pid = PyLong_AsLong(arg);
    if (pid == -1 && PyErr_Occurred())
        return NULL;
    for (int i = 0; i < SPAWNS; i++) {
        if (spawns[i].pid == pid && pid > 0) {
            munmap(spawns[i].map, spawns[i].size);
            spawns[i].pid = 0;
            Py_RETURN_TRUE;
        }
    }
    Py_RETURN_FALSE;
}

#else /* no raw system calls written for this architecture: the engine forks */

PyObject *py_spawn(PyObject *self, PyObject *const *args, Py_ssize_t nargs) { Py_RETURN_NONE; }
PyObject *py_spawn_release(PyObject *self, PyObject *arg) { Py_RETURN_FALSE; }

#endif
