/* The tracer's C extension (syscope._kernel._stops), its declarations shared by its three files:
 * _stops.c, the module, its system calls and its wait loop (wait_call) with the threads it handles;
 * _stops_line.c, a call's whole strace line made from the format the engine handed over, and the
 * primitives that write it; _stops_structs.c, what a call's pointers point to (structs, arrays,
 * addresses), each as the decoder's kind prints it.  _stops.c's opening comment is the module's
 * documentation. */
#ifndef SYSCOPE_STOPS_H
#define SYSCOPE_STOPS_H

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
    /* a value-result socklen_t's value at the entry stop (FOP_SOCKLEN: inlen_reg), read when the
     * entry is kept; has_inlen 0: not read (it faulted, or the call has none) */
    int has_inlen;
    int32_t inlen;
    pid_t proc; /* /proc's number of its process, for -y's links (arm's proc_pid; 0: not given) */
    double ts;
    struct syscall_info si;
};
#define KEPT_ENTRY 1
#define KEPT_TEXT 2

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
       FOP_CPUSET, FOP_NODEMASK, FOP_MPOL_OUT, FOP_SOCKADDR_OUT, FOP_SOCKLEN };
#define FOP_LAST FOP_SOCKLEN
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

/* a line being made: the free part of fmt_out, or of entry_text (_stops_line.c put) */
struct line { char *p, *end; };

/* Everything below is the extension's own: with -fvisibility's hidden, only PyInit__stops (Python's
 * PyMODINIT_FUNC exports it) leaves the shared object, whichever of its files defines a name. */
#pragma GCC visibility push(hidden)

/* ---- _stops_line.c: the formats handed over, the line's output and its primitives ---------- */
extern struct fmt_plan *fmt_plans[MAX_NR];
extern struct fmt_xlat fmt_xlats[FMT_XLATS];
extern int fmt_n_xlats;
extern char *fmt_errnos[FMT_ERRNOS];
extern int fmt_on, fmt_limit, fmt_align;
extern int fmt_ts_mode, fmt_ts_digits, fmt_show_time, fmt_dur_digits;
extern int fmt_pid; /* the thread's id first: 0 no, 1 "%-5d " (-o FILE), 2 "[pid %5d] " while fmt_nprocs > 1 */
extern int fmt_nprocs; /* the tasks traced (fmt_nprocs()): strace's nprocs, which "[pid N] " follows */
extern char *fmt_open_text; /* what ends the line the Python sink left open (fmt_open), or NULL */
extern size_t fmt_open_len;
extern int fmt_rel, fmt_rel_digits, fmt_last_set;
extern double fmt_last;
extern int fmt_fd;
extern char fmt_out[FMT_BUF];
extern size_t fmt_len;
extern unsigned char *fmt_scratch;
extern size_t fmt_scratch_size;
extern time_t fmt_tod_second;
extern const struct syscall_info no_exit;
extern char entry_text[FMT_BUF / 2];
extern size_t entry_text_len;

void fmt_xlat_free(struct fmt_xlat *x);
void fmt_plans_free(struct fmt_plan *p);
int put(struct line *l, const char *s, size_t n);
int put_s(struct line *l, const char *s);
int put_u(struct line *l, unsigned long long v);
int put_d(struct line *l, long long v);
int put_hex(struct line *l, unsigned long long v, const char *zero);
int put_escaped(struct line *l, const unsigned char *d, size_t n, int angles);
int put_quoted(struct line *l, const unsigned char *d, size_t n, int more);
int vm_exact(pid_t tid, uint64_t addr, void *to, size_t size);
int put_cstr(struct line *l, pid_t tid, uint64_t addr, size_t limit);
int put_xlat(struct line *l, const struct fmt_xlat *x, uint64_t v);
int put_flags(struct line *l, const struct fmt_xlat *x, uint64_t v);
int put_mode(struct line *l, const struct fmt_xlat *x, const struct fmt_xlat *f, uint32_t mode);
int put_makedev(struct line *l, uint64_t dev);
int put_value(struct line *l, const struct fmt_op *op, uint64_t v);
int put_timestamp(struct line *l, double ts);
int put_pid(struct line *l, pid_t tid);
int put_relative(struct line *l, double ts);
int put_duration(struct line *l, double d);
const struct fmt_plan *plan_of(const struct syscall_info *entry);
int put_args(struct line *l, pid_t tid, const struct fmt_plan *plan, const struct syscall_info *entry,
             const struct syscall_info *ex);
int fmt_line(pid_t tid, const struct slot *slot, const struct syscall_info *ex, double ts_exit);

/* ---- _stops_structs.c: what a call's pointers point to, as the decoder's kinds print it ----- */
/* the slot whose call's line (or arguments: keep's now) is being made: its process's /proc number
 * (-y's links), its value-result length at the entry stop (FOP_SOCKLEN, FOP_SOCKADDR_OUT) */
extern const struct slot *fmt_slot;
/* per call number: 1 + the register of a socklen_t * whose value the entry stop reads (FOP_SOCKLEN
 * in one of its plans), 0: none */
extern unsigned char fmt_inlen_reg[MAX_NR];
int scratch_reserve(size_t n);
int put_stat(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed);
int put_statx(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed);
int put_dirents(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex);
int put_xattr(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex);
int put_sigset(struct line *l, const struct fmt_xlat *x, uint64_t mask);
int put_sigaction(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed);
int put_link(struct line *l, const char *name);
int put_fd_path(struct line *l, long long fd);
int put_uid(struct line *l, uint64_t v);
int put_ptr_at(struct line *l, pid_t tid, uint64_t addr, int failed);
int put_rlimit(struct line *l, pid_t tid, uint64_t addr, int failed);
int put_rbufx(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex);
int put_argv(struct line *l, pid_t tid, uint64_t addr);
int put_envp(struct line *l, pid_t tid, uint64_t addr);
int put_timespec(struct line *l, pid_t tid, uint64_t addr);
int put_remts(struct line *l, pid_t tid, uint64_t addr, const struct fmt_op *op, const struct syscall_info *entry,
              const struct syscall_info *ex);
int put_utimes(struct line *l, pid_t tid, uint64_t addr);
int put_pollfds(struct line *l, pid_t tid, uint64_t addr, const struct fmt_op *op, const struct syscall_info *entry);
int put_poll_ret(struct line *l, pid_t tid, const struct fmt_plan *plan, const struct syscall_info *entry, int64_t rv);
int put_sockaddr(struct line *l, pid_t tid, const struct fmt_xlat *x, uint64_t addr, int32_t len, uint64_t netlink);
int put_sysinfo(struct line *l, pid_t tid, uint64_t addr, int failed);
int put_statfs(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed);
int put_fdpair(struct line *l, pid_t tid, uint64_t addr, int failed);
int put_gids(struct line *l, pid_t tid, uint64_t addr, const struct fmt_op *op, const struct syscall_info *ex);
int put_wstatus(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, const struct syscall_info *ex);
int put_rusage(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex);
int put_clone(struct line *l, pid_t tid, const struct fmt_op *op, const struct syscall_info *entry,
              const struct syscall_info *ex);
int put_clone_args(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, uint64_t size,
                   const struct syscall_info *ex);
int put_sigset_at(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, uint64_t size, int failed);
int put_cpuset(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex);
int put_nodemask(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, uint64_t maxnode,
                 const struct syscall_info *ex);
int put_mpol_out(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed);
int put_utsname(struct line *l, pid_t tid, uint64_t addr, int failed);

/* ---- _stops_plans.c: the formats handed over --------------------------------------------- */
PyObject *py_fmt_xlat(PyObject *self, PyObject *const *args, Py_ssize_t nargs);
PyObject *py_fmt_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs);
PyObject *py_fmt_load(PyObject *self, PyObject *const *args, Py_ssize_t nargs);

/* ---- _stops_spawn.c: the launched command's process ------------------------------------------ */
PyObject *py_spawn(PyObject *self, PyObject *const *args, Py_ssize_t nargs);
PyObject *py_spawn_release(PyObject *self, PyObject *arg);

/* ---- _stops.c: the module and its wait loop ------------------------------------------------- */
extern unsigned char fast_nr[2][MAX_NR]; /* fast_call's marks, by ABI (arch_index) and number */
int arch_index(uint32_t arch);
char *dup_utf8(PyObject *s);
void fmt_forget(void);

#pragma GCC visibility pop

#endif
