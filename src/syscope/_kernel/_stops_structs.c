/* What a call's pointers point to (structs, arrays, addresses), each printed as the decoder's
 * kind prints it (syscope.decode.kinds: each function names the kind it follows). */
#include "_stops.h"

/* kinds/fs.py _stat, abbreviated (no -v): {st_mode=..., st_size=N, ...}, st_rdev=makedev(...)
 * for a character or block device instead of st_size; the struct's address when the call
 * failed (DecoderBase.failed_addr) */
int put_stat(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed)
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
int put_statx(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed)
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
int scratch_reserve(size_t n)
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
int put_dirents(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex)
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
int put_xattr(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex)
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
int put_sigset(struct line *l, const struct fmt_xlat *x, uint64_t mask)
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
int put_sigaction(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed)
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
 * to (P: /proc's number of the process whose line is made, fmt_slot's proc), "(deleted)" after it when
 * the link reads "PATH (deleted)" (proc(5): the file was unlinked) and PATH is not that very file
 * (strace pathtrace.c get_proc_pid_fd_path compares the inodes: base.py _same_file); nothing when
 * the link cannot be read.  -1: Python's (no /proc number given, a link as long as the buffer of
 * os.readlink, which Python cuts there) */
const struct slot *fmt_slot;
unsigned char fmt_inlen_reg[MAX_NR];
int put_link(struct line *l, const char *name)
{
    static const char mark[] = " (deleted)";
    const size_t mark_len = sizeof mark - 1;
    char path[64], target[FMT_PATH_MAX + 1];
    if (fmt_slot->proc <= 0)
        return -1;
    snprintf(path, sizeof path, "/proc/%d/%s", (int)fmt_slot->proc, name);
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
int put_fd_path(struct line *l, long long fd)
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
int put_uid(struct line *l, uint64_t v)
{
    return (uint32_t)v == 0xFFFFFFFFu ? put(l, "-1", 2) : put_u(l, (uint32_t)v);
}

/* base.py DecoderBase.num_written with fmt.ptr: "[PTR]", the word a call wrote (arch_prctl's
 * ARCH_GET_FS), its address when the call failed; a read that faults is Python's */
int put_ptr_at(struct line *l, pid_t tid, uint64_t addr, int failed)
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
int put_rlimit(struct line *l, pid_t tid, uint64_t addr, int failed)
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
int put_rbufx(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex)
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
int put_argv(struct line *l, pid_t tid, uint64_t addr)
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
int put_envp(struct line *l, pid_t tid, uint64_t addr)
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
int put_timespec(struct line *l, pid_t tid, uint64_t addr)
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
int put_remts(struct line *l, pid_t tid, uint64_t addr, const struct fmt_op *op,
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
int put_utimes(struct line *l, pid_t tid, uint64_t addr)
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

/* strace's print_array (DecoderBase.arr) of n items of size bytes in memory here: "[", each item
 * by put_item (its bytes and the op), ", " between, "..." in place of the items past -s, "]".  -1:
 * Python's (an item put_item cannot print). */
typedef int (*put_item_fn)(struct line *l, const unsigned char *item, const struct fmt_op *op);
static int put_array(struct line *l, const unsigned char *items, size_t n, size_t size, put_item_fn put_item,
                     const struct fmt_op *op)
{
    if (put(l, "[", 1))
        return -1;
    for (size_t k = 0; k < n; k++) {
        if (k && put(l, ", ", 2))
            return -1;
        if (k == (size_t)fmt_limit)
            return put(l, "...", 3) || put(l, "]", 1) ? -1 : 0;
        if (put_item(l, items + k * size, op))
            return -1;
    }
    return put(l, "]", 1);
}

/* ... of n items at addr in the tracee: the first -s of them read at once, with one more, which
 * says whether "..." follows; a read that faults or comes back short is Python's */
static int put_items(struct line *l, pid_t tid, uint64_t addr, uint64_t n, size_t size, put_item_fn put_item,
                     const struct fmt_op *op)
{
    size_t want = n < (uint64_t)fmt_limit + 1 ? (size_t)n : (size_t)fmt_limit + 1;
    if (scratch_reserve(want * size) || vm_exact(tid, addr, fmt_scratch, want * size))
        return -1;
    return put_array(l, fmt_scratch, want, size, put_item, op);
}

/* the items put_array prints as numbers: an unsigned long, an int */
static int put_u64_item(struct line *l, const unsigned char *item, const struct fmt_op *op)
{
    (void)op;
    uint64_t v;
    memcpy(&v, item, sizeof v);
    return put_u(l, v);
}

static int put_i32_item(struct line *l, const unsigned char *item, const struct fmt_op *op)
{
    (void)op;
    int32_t v;
    memcpy(&v, item, sizeof v);
    return put_d(l, v);
}

/* a struct pollfd: its fd, and its events unless the fd is negative (poll ignores it) */
static int put_pollfd(struct line *l, const unsigned char *item, const struct fmt_op *op)
{
    int32_t fd;
    uint16_t events;
    memcpy(&fd, item, 4);
    memcpy(&events, item + 4, 2);
    return put_s(l, "{fd=") || put_d(l, fd)
           || (fd >= 0 && (put_s(l, ", events=") || put_flags(l, &fmt_xlats[op->t[0]], events)))
           || put(l, "}", 1);
}

/* kinds/io.py pollfds (more.py poll_list at entry): poll(2)'s struct pollfd array (int fd; short
 * events, revents), count in the register op->param; strace's print_array: -s elements (one more
 * read), then "..."; a negative fd without its events (poll ignores it).  NULL; Python's: more
 * elements than RLIMIT_NOFILE allows (1 << 16), a read that faults, an unnamed events bit */
#define POLL_MAX (1u << 16)
int put_pollfds(struct line *l, pid_t tid, uint64_t addr, const struct fmt_op *op,
                       const struct syscall_info *entry)
{
    uint64_t n = entry->entry.args[op->param] & 0xFFFFFFFFu;
    if (!addr)
        return put_s(l, "NULL");
    if (n > POLL_MAX)
        return -1;
    return put_items(l, tid, addr, n, 8, put_pollfd, op);
}

/* kinds/io.py ret_poll: "0 (Timeout)", or the count and the elements whose revents the call set
 * (strace decode_poll_exiting: every element read, -s of them shown, then "..."); Python's: a
 * NULL or too long array (its success is another kernel's), a read that faults, an unnamed bit */
int put_poll_ret(struct line *l, pid_t tid, const struct fmt_plan *plan, const struct syscall_info *entry,
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
int put_sockaddr(struct line *l, pid_t tid, const struct fmt_xlat *x, uint64_t addr, int32_t len,
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
int put_sysinfo(struct line *l, pid_t tid, uint64_t addr, int failed)
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
    if (put_s(l, "{uptime=") || put_d(l, (int64_t)w[0]) || put_s(l, ", loads=")
        || put_array(l, (const unsigned char *)(w + 1), 3, sizeof w[0], put_u64_item, NULL))
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
int put_statfs(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed)
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
int put_fdpair(struct line *l, pid_t tid, uint64_t addr, int failed)
{
    int32_t fds[2];
    if (failed || !addr)
        return put_hex(l, addr, "NULL");
    if (vm_exact(tid, addr, fds, sizeof fds))
        return -1;
    return put_array(l, (const unsigned char *)fds, 2, sizeof fds[0], put_i32_item, NULL);
}

/* kinds/process.py gids (strace uid.c print_groups): getgroups(2)'s gid_t array, as many as the
 * call returned: its address when that is past NGROUPS_MAX (aux; a failure's -1 is), NULL, "[]",
 * the address when the array wraps, else print_array's first -s items ((gid_t) -1 as -1, as
 * printuid) and "..." after them (strace reads one item past -s first).  A read that faults or
 * comes back short is Python's (it reads item by item then). */
static int put_gid(struct line *l, const unsigned char *item, const struct fmt_op *op)
{
    (void)op;
    uint32_t g;
    memcpy(&g, item, sizeof g);
    return put_uid(l, g);
}

int put_gids(struct line *l, pid_t tid, uint64_t addr, const struct fmt_op *op,
                    const struct syscall_info *ex)
{
    uint64_t n = (uint64_t)ex->exit.rval & 0xFFFFFFFFu;
    if (n > op->aux || !addr)
        return put_hex(l, addr, "NULL");
    if (!n)
        return put_s(l, "[]");
    if (addr + n * 4 - 1 < addr)
        return put_hex(l, addr, "NULL");
    return put_items(l, tid, addr, n, 4, put_gid, op);
}

/* kinds/process.py wstatus (fmt.wait_status, strace printstatus): wait4(2)'s status, written only
 * when a child was reaped (the result > 0; its address else), "[{WIFEXITED(s) && ...}]", the bits
 * above the low 16 as " | 0x.. << 16"; table: the signals by name (a number without one, a
 * negative status, a faulting read: Python's) */
int put_wstatus(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr,
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
int put_rusage(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex)
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
int put_clone(struct line *l, pid_t tid, const struct fmt_op *op, const struct syscall_info *entry,
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
int put_clone_args(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr,
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
int put_sigset_at(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, uint64_t size,
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
int put_cpuset(struct line *l, pid_t tid, uint64_t addr, const struct syscall_info *ex)
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

/* a node mask's long: "%#016llx", zero as sixteen 0s (the width counts the 0x) */
static int put_node_word(struct line *l, const unsigned char *item, const struct fmt_op *op)
{
    (void)op;
    uint64_t v;
    char tmp[24];
    memcpy(&v, item, sizeof v);
    int n = v ? snprintf(tmp, sizeof tmp, "%#016llx", (unsigned long long)v) : snprintf(tmp, sizeof tmp, "%016d", 0);
    return put(l, tmp, (size_t)n);
}

/* kinds/mm.py _nodemask (strace numa.c print_nodemask) of a 64-bit ABI: maxnode - 1 bits in longs,
 * each "%#016llx" (the width counts the 0x; zero as sixteen 0s), print_array's -s cut after reading one past it; its
 * address when maxnode's longs do not add up, NULL, "[]", a wrapping array's address; param:
 * maxnode's register; aux: an output, its address when the call failed; a fault Python's */
int put_nodemask(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, uint64_t maxnode,
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
    return put_items(l, tid, addr, nmemb, 8, put_node_word, op);
}

/* kinds/mm.py mpol_out: get_mempolicy(2)'s policy, the int the kernel wrote, "[MPOL_...]"; NULL or
 * a failure's address; table: the modes; an unnamed one, a fault Python's */
int put_mpol_out(struct line *l, pid_t tid, const struct fmt_op *op, uint64_t addr, int failed)
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
int put_utsname(struct line *l, pid_t tid, uint64_t addr, int failed)
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

