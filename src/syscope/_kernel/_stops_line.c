/* A call's whole strace line, made from its format (see "whole lines of simple calls" in _stops.h),
 * and the primitives that write it. */
#include "_stops.h"

struct fmt_plan *fmt_plans[MAX_NR];
struct fmt_xlat fmt_xlats[FMT_XLATS];
int fmt_n_xlats;

/* a table's rows and texts freed, and its slot emptied (fmt_reset, or a table refused half-read) */
void fmt_xlat_free(struct fmt_xlat *x)
{
    for (Py_ssize_t k = 0; k < x->n; k++)
        PyMem_Free(x->names[k]);
    PyMem_Free(x->names);
    PyMem_Free(x->vals);
    PyMem_Free(x->zero);
    memset(x, 0, sizeof *x);
}
/* a call's plans freed (fmt_forget, or a plan for every call replacing them) */
void fmt_plans_free(struct fmt_plan *p)
{
    while (p != NULL) {
        struct fmt_plan *next = p->next;
        PyMem_Free(p);
        p = next;
    }
}
char *fmt_errnos[FMT_ERRNOS]; /* "-1 ENOENT (No such file or directory)" by errno */
int fmt_on, fmt_limit = 32, fmt_align = 39;
/* the line's prefix and suffix (fmt_times): -t/-tt/-ttt (1, 2, 3) with ts_digits after the point,
 * -T with dur_digits (sinks/strace_text.py _prefix and _syscall) */
int fmt_ts_mode, fmt_ts_digits, fmt_show_time, fmt_dur_digits = 6;
/* the thread's id first: -f -o FILE's "%-5d " (strace.c printleader's print_pid_pfx), stderr's
 * "[pid N] " while more tasks than one are traced (fmt_nprocs: the engine's count) */
int fmt_pid;
int fmt_nprocs = 1;
char *fmt_open_text;
size_t fmt_open_len;
/* -r: the time since the last line's (strace_text.py _prefix: the sink's lines and these share
 * it through fmt_last), "%6d" seconds and rel_digits after the point, in "(+...)" after -t */
int fmt_rel, fmt_rel_digits = 6, fmt_last_set;
double fmt_last;
int fmt_fd = -1; /* written to before each blocking wait (fmt_live), else taken by fmt_text */
char fmt_out[FMT_BUF];
size_t fmt_len;
unsigned char *fmt_scratch; /* -s + 1 bytes, or a path's PATH_MAX */
size_t fmt_scratch_size;


int put(struct line *l, const char *s, size_t n)
{
    if ((size_t)(l->end - l->p) < n)
        return -1;
    memcpy(l->p, s, n);
    l->p += n;
    return 0;
}

int put_s(struct line *l, const char *s) { return put(l, s, strlen(s)); }

int put_u(struct line *l, unsigned long long v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%llu", v);
    return put(l, tmp, (size_t)n);
}

int put_d(struct line *l, long long v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", v);
    return put(l, tmp, (size_t)n);
}

/* fmt.hexnum (%#x: 0 has no prefix) and fmt.ptr (NULL) */
int put_hex(struct line *l, unsigned long long v, const char *zero)
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
int put_escaped(struct line *l, const unsigned char *d, size_t n, int angles)
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
int put_quoted(struct line *l, const unsigned char *d, size_t n, int more)
{
    if (put(l, "\"", 1) || put_escaped(l, d, n, 0))
        return -1;
    return put(l, more ? "\"..." : "\"", more ? 4 : 1);
}

/* exactly size bytes of the tracee's memory, or -1 (a fault, a short read: Python decides) */
int vm_exact(pid_t tid, uint64_t addr, void *to, size_t size)
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
int put_cstr(struct line *l, pid_t tid, uint64_t addr, size_t limit)
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
int put_xlat(struct line *l, const struct fmt_xlat *x, uint64_t v)
{
    for (Py_ssize_t i = 0; i < x->n; i++)
        if (x->vals[i] == v)
            return put_s(l, x->names[i]);
    return -1;
}

/* fmt.Flags with -X abbrev: the rows set in v in table order joined by "|", the table's zero
 * text for 0; bits no row names go back to Python (its "|0x.." or comment rules) */
int put_flags(struct line *l, const struct fmt_xlat *x, uint64_t v)
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
int put_mode(struct line *l, const struct fmt_xlat *x, const struct fmt_xlat *f, uint32_t mode)
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
int put_makedev(struct line *l, uint64_t dev)
{
    uint64_t major = ((dev >> 8) & 0xfff) | ((dev >> 32) & 0xfffff000u);
    uint64_t minor = (dev & 0xff) | ((dev >> 12) & 0xffffff00u);
    return put_s(l, "makedev(") || put_hex(l, major, "0") || put(l, ", ", 2) || put_hex(l, minor, "0")
           || put(l, ")", 1);
}


/* a value the op prints from its bits alone (an argument's register, or FRET_NAMED's result):
 * 0 printed, -1 Python's to print, -2 not such an op */
int put_value(struct line *l, const struct fmt_op *op, uint64_t v)
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
    int printed = put_value(l, op, v); /* the ops that print the register's bits alone */
    if (printed != -2)
        return printed;
    switch (op->op) {
    case FOP_BUF: return put_buf(l, tid, v, entry->entry.args[op->param]);
    case FOP_RBUF: {
        /* kinds/io.py rbuf: the bytes the call wrote, as many as it returned (no more than the
         * buffer's size); its address when the call failed */
        if (ex->exit.is_error)
            return put_hex(l, v, "NULL");
        uint64_t n = (uint64_t)ex->exit.rval, size = entry->entry.args[op->reg + 1];
        return put_buf(l, tid, v, n <= size ? n : size);
    }
    case FOP_PATH: return put_cstr(l, tid, v, FMT_PATH_MAX - 1);
    case FOP_STR: return put_cstr(l, tid, v, (size_t)fmt_limit);
    case FOP_DIRFD: /* kinds/scalar.py dirfd without -y: AT_FDCWD (fcntl.h: -100) by name */
        return (int32_t)(uint32_t)v == -100 ? put_s(l, "AT_FDCWD") : put_d(l, (int32_t)(uint32_t)v);
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
    case FOP_SOCKADDR_OUT: { /* kinds/net.py sockaddr_out: what the call wrote, as long as the length
                              * it returned (argument param), cut to the caller's buffer (its value at
                              * entry, 4096 unread) and to a struct sockaddr_storage; its address when
                              * the call failed or the length cannot be read */
        int32_t got, limit = fmt_slot->has_inlen ? fmt_slot->inlen : 4096;
        if (!v)
            return put_s(l, "NULL");
        if (ex->exit.is_error || vm_exact(tid, entry->entry.args[op->param], &got, sizeof got))
            return put_hex(l, v, "NULL");
        if (got > limit)
            got = limit;
        return put_sockaddr(l, tid, &fmt_xlats[op->t[0]], v, got < 128 ? got : 128, op->aux);
    }
    case FOP_SOCKLEN: { /* kinds/net.py socklen: "[in => out]" when the call changed it, else one
                         * value (the one at entry when the call failed) */
        int32_t now;
        if (!v)
            return put_s(l, "NULL");
        if (vm_exact(tid, v, &now, sizeof now))
            return put_hex(l, v, "NULL");
        if (put(l, "[", 1))
            return -1;
        if (fmt_slot->has_inlen && fmt_slot->inlen != now && !ex->exit.is_error) {
            if (put_d(l, fmt_slot->inlen) || put_s(l, " => "))
                return -1;
        } else if (fmt_slot->has_inlen && ex->exit.is_error) {
            now = fmt_slot->inlen;
        }
        return put_d(l, now) || put(l, "]", 1) ? -1 : 0;
    }
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
time_t fmt_tod_second = -1; /* the second whose time of day fmt_tod holds (fmt_times resets) */
static char fmt_tod[16];
int put_timestamp(struct line *l, double ts)
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

/* the thread's id before a line (strace_text.py _prefix): "%-5d " into a file, "[pid %5d] " on
 * stderr while more than one task is traced (strace.c printleader's nprocs) */
int put_pid(struct line *l, pid_t tid)
{
    char tmp[32];
    if (fmt_pid == 2 && fmt_nprocs <= 1)
        return 0;
    int n = snprintf(tmp, sizeof tmp, fmt_pid == 2 ? "[pid %5d] " : "%-5d ", (int)tid);
    return put(l, tmp, (size_t)n);
}

int put_relative(struct line *l, double ts)
{
    double d = fmt_last_set ? ts - fmt_last : 0.0;
    if (d < 0)
        d = 0.0;
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%s%6lld", fmt_ts_mode ? "(+" : "", (long long)d);
    return put(l, tmp, (size_t)n) || put_fraction(l, d, fmt_rel_digits) || put_s(l, fmt_ts_mode ? ") " : " ") ? -1 : 0;
}

/* -T: " <seconds>" after the result (strace_text.py _syscall: str(int(d)) and the fraction) */
int put_duration(struct line *l, double d)
{
    return put(l, " <", 2) || put_d(l, (long long)d) || put_fraction(l, d, fmt_dur_digits) || put(l, ">", 1) ? -1 : 0;
}

/* the plan that serves an entry (a command's, fmt_call's select), or NULL: Python's */
const struct fmt_plan *plan_of(const struct syscall_info *entry)
{
    const struct fmt_plan *plan = fmt_plans[entry->entry.nr];
    while (plan != NULL && plan->sel_reg >= 0
           && (entry->entry.args[plan->sel_reg] & plan->sel_mask) != plan->sel_value)
        plan = plan->next;
    return plan;
}

/* what the ops of an entry_only plan see of a result they never read: none yet (the entry stop)
 * or none ever (the task's exit) */
const struct syscall_info no_exit;

/* a call's arguments as its plan prints them, without the parentheses: 0, or -1 (Python's) */
int put_args(struct line *l, pid_t tid, const struct fmt_plan *plan, const struct syscall_info *entry,
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
 * arguments are in before the exit stop).  One entry is kept at a time (_stops.c kept_slot),
 * so one text: the kept slot's when it is KEPT_TEXT. */
char entry_text[FMT_BUF / 2];
size_t entry_text_len;

/* The line of the call whose entry slot kept into fmt_out: 1 made, 0 not (Python makes it).  At
 * its exit stop (ex), or, ex NULL, at the task's exit (PTRACE_EVENT_EXIT) with "= ?" and no -T
 * (events.py duration is None); a KEPT_TEXT slot's arguments are entry_text.  The slot's ts is
 * the entry's time, ts_exit this stop's (-T: their difference, as events.py duration). */
int fmt_line(pid_t tid, const struct slot *slot, const struct syscall_info *ex, double ts_exit)
{
    const struct syscall_info *entry = &slot->si;
    const double ts_enter = slot->ts;
    const struct fmt_plan *plan = plan_of(entry);
    if (plan == NULL || (ex == NULL && !plan->entry_only))
        return 0; /* a command without a plan, or arguments printed at an exit that never came: Python's */
    fmt_slot = slot;
    struct line l = {fmt_out + fmt_len, fmt_out + FMT_BUF};
    /* another thread's line the Python sink left open (its entry half, fmt_open) is cut first, as
     * strace cuts it when the next line starts: part of this line, made or not with it */
    if (fmt_open_text != NULL && put(&l, fmt_open_text, fmt_open_len))
        goto no;
    char *start = l.p;
    /* the sink counts the prefix in the column it pads to (strace_text.py _syscall) */
    if ((fmt_pid && put_pid(&l, tid)) || (fmt_ts_mode && put_timestamp(&l, ts_enter))
        || (fmt_rel && put_relative(&l, ts_enter)))
        goto no;
    if (put_s(&l, plan->name) || put(&l, "(", 1))
        goto no;
    if (slot->kept == KEPT_TEXT ? put(&l, entry_text, entry_text_len)
                                : put_args(&l, tid, plan, entry, ex ? ex : &no_exit))
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
    if (fmt_open_text != NULL) { /* cut: the sink finds out (fmt_open()) before it writes again */
        PyMem_Free(fmt_open_text);
        fmt_open_text = NULL;
    }
    if (fmt_rel) { /* the line is out: the next one counts from it */
        fmt_last = ts_enter;
        fmt_last_set = 1;
    }
    return 1;
no:
    return 0;
}

