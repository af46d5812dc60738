// SPDX-License-Identifier: GPL-2.0
/* syscope's eBPF event source.
 *
 * Hooks: tp_btf/sys_enter + tp_btf/sys_exit (every syscall), tp_btf/sched_process_{fork,exec,exit}.
 * Two modes, chosen by the loader through the `config` map:
 *   COUNT  - per-CPU counters per syscall number (calls, errors, nanoseconds); nothing crosses the
 *            ring buffer, so the cost is two hooks + one task-storage lookup per call.
 *   STREAM - additionally one fixed-size record per completed syscall (emitted at exit with the
 *            entry arguments stashed per task) plus fork/exec/exit records.
 * Scoping to one process tree is done here, not in Python: the loader marks the root task in task
 * storage (user space keys task storage by pidfd, see kernel/bpf/bpf_task_storage.c), and
 * sched_process_fork copies the mark to every child thread and process.
 *
 * Only a handful of kernel types are needed, so they are declared here with
 * preserve_access_index (CO-RE relocates the field offsets against /sys/kernel/btf/vmlinux at load
 * time) instead of shipping a generated vmlinux.h: syscope_kernel.bpf.h, shared with trace.bpf.c.
 */

#include "syscope_kernel.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define COMPAT_BASE MAX_NR  /* i386 calls (TS_COMPAT) are counted at COMPAT_BASE + nr */
#define BUF_SIZE 256
#define SOCKETCALL_NR_32 102
#define SOCKETCALL_MAX 20  /* SYS_SENDMMSG, include/uapi/linux/net.h */

#define MODE_STREAM 1

#define KIND_SYSCALL 0
#define KIND_FORK 1
#define KIND_EXEC 2
#define KIND_EXIT 3
/* a piece of an exec'd program's argv, sent just before its KIND_EXEC record: args[0] = the
 * piece's index, buf = BUF_SIZE bytes of the NUL-separated strings from mm->arg_start */
#define KIND_ARGV 4
#define ARGV_PIECES 8   /* argv bound: 8 x 256 bytes; the exec record says how long it really was */

/* config.select: which kernel-side selections the hooks apply before anything is copied (the
 * user-space filter still runs on what arrives; these only make the stream smaller) */
#define SEL_NR 1     /* only calls whose sel_nr entry is set */
#define SEL_TGID 2   /* only processes in sel_tgid */
#define SEL_COMM 4   /* only threads whose comm is in sel_comm */
#define SEL_UID 8    /* only callers whose uid is in sel_uid */
#define SELNR_YES 1     /* sel_nr: the call is wanted, subject to the tgid/comm/uid sets */
#define SELNR_ALWAYS 2  /* sel_nr: sent from every process (the calls that keep the fd table) */

#define EV_COMPAT 1
/* an i386 socketcall(2): args[] are the unpacked arguments of the call in flags bits 24..31 */
#define EV_SOCKETCALL 2
#define EV_CALL_SHIFT 24
/* flags bits 8..15: SPEC_MSG records hold the message's address in buf[0..ADDR_SLOT) (0: none),
 * its data after it */
#define EV_ADDR_SHIFT 8

/* argspec[nr]: low 4 bits = 1 + index of the argument to read, high bits = how to read it */
#define SPEC_STR 0x10   /* NUL-terminated user string (a path) */
#define SPEC_SOCK 0x20  /* struct sockaddr (connect, bind, accept's peer, sendto) */
#define SPEC_DATA 0x40  /* the data moved by read/write-like calls: args[1], ret bytes; with
                         * SPEC_SOCK (sendto/recvfrom) the address too when the call names one */
#define SPEC_IOV 0x80   /* readv/writev: the data of the first struct iovec at args[1] */
#define SPEC_MSG (SPEC_SOCK | SPEC_IOV)  /* sendmsg/recvmsg: the struct msghdr at args[1]: its
                                          * msg_name and its first iovec's data */
#define SPEC_MMSG (SPEC_MSG | SPEC_DATA) /* sendmmsg/recvmmsg: the first struct mmsghdr's */
#define SPEC_LENPTR 0x08 /* with SPEC_SOCK|SPEC_DATA: the address length is a socklen_t * (recvfrom) */
#define DATA_MAX 255    /* bytes of data kept (sysdig's default snaplen is 80) */

struct iovec {
	void *iov_base;
	__u64 iov_len;
};

/* include/linux/socket.h struct user_msghdr up to msg_iovlen, and struct mmsghdr's msg_len */
struct msghdr64 {
	__u64 msg_name;
	__u32 msg_namelen;
	__u32 pad;
	__u64 msg_iov;
	__u64 msg_iovlen;
};
#define MMSG_LEN_OFF 56

/* The i386 layouts a TS_COMPAT call passes (include/net/compat.h struct compat_msghdr,
 * include/linux/compat.h struct compat_iovec): 32-bit pointers and lengths. */
struct iovec32 {
	__u32 iov_base;
	__u32 iov_len;
};

struct msghdr32 {
	__u32 msg_name;
	__u32 msg_namelen;
	__u32 msg_iov;
	__u32 msg_iovlen;
};
#define MMSG_LEN_OFF_32 28

#define SAMPLE_EVERY 16

#define TS_TRACKED 1
#define TS_PENDING 2   /* marked root that has not reached execve yet */
#define TS_INCALL 4
#define TS_FORKED 8    /* a new task: its first sys_exit is the return from fork, not a call */
#define TS_CALL32 16   /* the call in progress entered through the i386 entry (TS_COMPAT at entry) */

struct config {
	__u32 self_tgid;  /* the consumer: never traced */
	__u32 mode;
	__u32 scoped;     /* 1: only tasks marked in task storage */
	__u32 select;     /* SEL_* bits */
};

struct counter {
	__u64 calls;
	__u64 errors;
	__u64 ns;
};

struct task_state {
	__u64 ts;
	__u64 args[6];
	__u32 nr;
	__u32 flags;
	__u32 buf_len;
	__u32 pad;
	char buf[BUF_SIZE]; /* execve's filename, read at entry: the old mm is gone at exit */
};

struct event {
	__u64 ts_enter;
	__u64 ts_exit;
	__u64 args[6];
	__s64 ret;
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 nr;
	__u16 cpu;
	__u8 kind;
	__u8 buf_kind;
	__u32 buf_len;
	__u32 flags;     /* EV_COMPAT: an i386 call (nr is in the i386 table) */
	char comm[16];
	char buf[BUF_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	/* i386 calls at COMPAT_BASE + nr, as the counters; i386 socketcall(2)'s calls at
	 * 2 * MAX_NR + call (SYS_SOCKET 1 .. SYS_SENDMMSG 20) */
	__uint(max_entries, 2 * MAX_NR + 32);
	__type(key, __u32);
	__type(value, __u8);
} argspec SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2 * MAX_NR);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");

/* kernel-side selection (config.select): indexed as the counters (i386 at COMPAT_BASE + nr) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * MAX_NR);
	__type(key, __u32);
	__type(value, __u8);
} sel_nr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} sel_tgid SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, char[16]);
	__type(value, __u8);
} sel_comm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u8);
} sel_uid SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* Count mode's scope: one byte per pid (sized to pid_max by the loader, 4 MiB at most).  An inlined
 * array lookup is much cheaper than bpf_task_storage_get() (which takes a per-CPU busy counter and
 * walks the task's storage list), and count mode's hooks run twice per syscall. */
#define SC_TRACKED 1
#define SC_PENDING 2
#define SC_FORKED 4
/* an rt_sigreturn(2)/sigreturn(2) is in progress: it restores orig_ax from the signal frame
 * (-1, so the call is not restarted: arch/x86/kernel/signal.c restore_sigcontext()), so its
 * exit cannot be told from orig_ax; the entry hook, which still sees the number, marks it */
#define SC_SIGRETURN 8
#define SC_SIGRETURN_RT 16  /* ... the rt_ variant (the only one on x86_64) */
#define NR_RT_SIGRETURN 15      /* arch/x86/entry/syscalls/syscall_64.tbl */
#define NR32_SIGRETURN 119      /* arch/x86/entry/syscalls/syscall_32.tbl */
#define NR32_RT_SIGRETURN 173

/* Count mode's options, set by the loader before the command runs */
struct count_opts {
	__u32 no_follow;    /* 1: only the marked task, not its children nor threads (strace without -f) */
	__u32 exact;        /* 1: time every call through task storage (min/max columns, -O) */
	__u64 overhead_ns;  /* strace -O: taken off each timed call, never below zero */
	__u32 seen_exits;   /* 1: not the calls whose exit ptrace never stops at (strace -c; a
			     * profile recorder wants them all: they were made) */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct count_opts);
} count_opts SEC(".maps");

/* exact mode's shortest and longest call, indexed as the counters */
struct extreme {
	__u64 timed;
	__u64 min_ns;
	__u64 max_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2 * MAX_NR);
	__type(key, __u32);
	__type(value, struct extreme);
} extremes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4194304);
	__type(key, __u32);
	__type(value, __u8);
} scope SEC(".maps");

/* Count mode's clock stash, one per CPU: the exit of a counted call arms it for the same thread's
 * next call on this CPU; that call's entry stores the time.  A thread that migrates or is
 * preempted in between just loses that sample. */
struct arm {
	__u64 ts;
	__u64 seen;    /* counted calls on this CPU */
	__u64 rng;     /* LCG state: cheaper than a bpf_get_prandom_u32() call on every exit */
	__u32 tid;
	__u32 weight;  /* calls the armed call's time stands for; 0: not armed */
	__u32 nr;
	__u32 timed;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct arm);
} arms SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_state);
} tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024);
} events SEC(".maps");

static __always_inline struct config *get_config(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&config, &zero);
}

static __always_inline void count_drop(void)
{
	__u32 zero = 0;
	__u64 *d = bpf_map_lookup_elem(&drops, &zero);
	if (d)
		*d += 1;
}

/* Whether the kernel-side selection lets call nr of the current task through (config.select).
 * Cheapest test first: an array lookup by number, then the hash sets. */
static __always_inline int selected(struct config *cfg, struct task_struct *task, __u32 nr)
{
	__u32 sel = cfg->select, key;
	__u8 *s;

	if (sel & SEL_NR) {
		key = task->thread_info.status & TS_COMPAT ? nr + COMPAT_BASE : nr;
		s = bpf_map_lookup_elem(&sel_nr, &key);
		if (!s || !*s)
			return 0;
		if (*s & SELNR_ALWAYS)
			return 1;
	}
	if (sel & SEL_TGID) {
		key = task->tgid;
		if (!bpf_map_lookup_elem(&sel_tgid, &key))
			return 0;
	}
	if (sel & SEL_UID) {
		key = (__u32)bpf_get_current_uid_gid();
		if (!bpf_map_lookup_elem(&sel_uid, &key))
			return 0;
	}
	if (sel & SEL_COMM) {
		/* bpf_get_current_comm pads with NULs (strscpy_pad): the key is the whole 16 bytes */
		char comm[16];
		bpf_get_current_comm(comm, sizeof(comm));
		if (!bpf_map_lookup_elem(&sel_comm, comm))
			return 0;
	}
	return 1;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_enter, struct pt_regs *regs, long id)
{
	struct config *cfg = get_config();
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_state *st;
	__u32 nr = id;

	if (!cfg || nr >= MAX_NR)
		return 0;
	if (cfg->scoped) {
		st = bpf_task_storage_get(&tasks, task, 0, 0);
		if (!st)
			return 0;
		if (st->flags & TS_PENDING) {
			/* the root was marked while parked before execve: start at its execve, as
			 * strace does for a command it starts */
			if (nr != EXECVE_NR && nr != EXECVEAT_NR)
				return 0;
			st->flags = TS_TRACKED;
		}
		/* after the pending root's switch above: its execve must start the tracking even
		 * when the call itself is not selected */
		if (cfg->select && !selected(cfg, task, nr))
			return 0;
	} else {
		if (task->tgid == cfg->self_tgid)
			return 0;
		/* before the task-storage lookup: an unselected call costs only this */
		if (cfg->select && !selected(cfg, task, nr))
			return 0;
		st = bpf_task_storage_get(&tasks, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!st)
			return 0;
	}
	st->nr = nr;
	st->flags = (st->flags & ~TS_CALL32) | TS_INCALL;
	if (cfg->mode == MODE_STREAM) {
		st->buf_len = 0;
		if (task->thread_info.status & TS_COMPAT) {
			/* kept from the entry: an execve of a 32-bit program from a 64-bit one returns
			 * with TS_COMPAT already set by the new personality
			 * (arch/x86/kernel/process_64.c __set_personality_ia32) */
			st->flags |= TS_CALL32;
			/* i386 calls take their arguments in ebx, ecx, edx, esi, edi, ebp
			 * (arch/x86/include/asm/syscall.h syscall_get_arguments, ia32 case) */
			st->args[0] = (__u32)regs->bx;
			st->args[1] = (__u32)regs->cx;
			st->args[2] = (__u32)regs->dx;
			st->args[3] = (__u32)regs->si;
			st->args[4] = (__u32)regs->di;
			st->args[5] = (__u32)regs->bp;
			if (nr != EXECVE_NR_32 && nr != EXECVEAT_NR_32)
				goto stamp;
		} else {
			st->args[0] = regs->di;
			st->args[1] = regs->si;
			st->args[2] = regs->dx;
			st->args[3] = regs->r10;
			st->args[4] = regs->r8;
			st->args[5] = regs->r9;
			if (nr != EXECVE_NR && nr != EXECVEAT_NR)
				goto stamp;
		}
		/* execve's filename, read now: the old mm is gone at exit.  execveat names it in
		 * args[1], execve in args[0], on both tables. */
		{
			const char *p = (const char *)st->args[nr == EXECVE_NR || nr == EXECVE_NR_32 ? 0 : 1];
			long n = bpf_probe_read_user_str(st->buf, sizeof(st->buf), p);
			st->buf_len = n > 0 ? n : 0;
		}
	}
stamp:
	st->ts = bpf_ktime_get_ns();
	return 0;
}

/* Copy the first bytes of what a call moved: len bytes at user address p, at most max (a
 * constant, so the verifier can bound dst + len inside ev->buf).  Returns the bytes copied. */
static __always_inline __u32 copy_data(char *dst, __u32 max, const void *p, __u64 len)
{
	if (len > max)
		len = max;
	len &= DATA_MAX;
	if (len && bpf_probe_read_user(dst, len, p) == 0)
		return len;
	return 0;
}

static __always_inline void put_addr_data(struct event *ev, __u64 name, __u32 namelen, __u64 base,
					  __u64 len, __u8 kind);

/* The body of read_msg for one layout (native or compat msghdr/iovec, where an mmsghdr keeps
 * msg_len): a macro rather than a helper so both expand to the code each layout had written out,
 * with no pointer out-parameters for the verifier to follow.  Returns from read_msg on a fault. */
#define READ_MSGHDR(msghdr_t, iovec_t, mmsg_len_off)						\
	do {											\
		msghdr_t m;									\
		if (bpf_probe_read_user(&m, sizeof(m), (const void *)mp) != 0)			\
			return;									\
		name = m.msg_name;								\
		namelen = m.msg_namelen;							\
		iovp = m.msg_iov;								\
		iovlen = m.msg_iovlen;								\
		if (kind == SPEC_MMSG) {							\
			__u32 ml = 0;								\
			bpf_probe_read_user(&ml, sizeof(ml), (const void *)(mp + (mmsg_len_off)));	\
			len = ml;								\
		}										\
		if (iovlen) {									\
			iovec_t v;								\
			if (bpf_probe_read_user(&v, sizeof(v), (const void *)iovp) == 0) {	\
				base = (__u64)v.iov_base;					\
				blen = v.iov_len;						\
			}									\
		}										\
	} while (0)

/* sendmsg/recvmsg (sendmmsg/recvmmsg: their first message): the struct msghdr at mp, read at exit.
 * recvmsg has by then filled msg_name and set msg_namelen to the sender's address length (0 for
 * an unbound unix peer: net/socket.c ____sys_recvmsg, move_addr_to_user); sendmsg's are as given.
 * The address goes to buf[0..slot) (slot 32 holds any sockaddr_in/in6, 112 a sockaddr_un), the
 * first iovec's data after it, bounded by what moved: ret bytes, or the first mmsghdr's msg_len
 * (sendmmsg(2), recvmmsg(2): ret is a message count).  flags carries slot and msg_namelen. */
static __always_inline void read_msg(struct event *ev, __u64 mp, long ret, __u8 kind, __u32 compat)
{
	__u64 name, iovp, iovlen, base = 0, blen = 0, len = ret;
	__u32 namelen;

	if (ret <= 0)
		return;
	if (compat)
		READ_MSGHDR(struct msghdr32, struct iovec32, MMSG_LEN_OFF_32);
	else
		READ_MSGHDR(struct msghdr64, struct iovec, MMSG_LEN_OFF);
	if (len > blen)
		len = blen;
	put_addr_data(ev, name, namelen, base, len, kind);
}

/* The layout of a record with both an address and data (see read_msg): the sockaddr of namelen
 * bytes at name in buf[0..slot), then the first len bytes at base.  kind becomes buf_kind. */
static __always_inline void put_addr_data(struct event *ev, __u64 name, __u32 namelen, __u64 base,
					  __u64 len, __u8 kind)
{
	__u32 slot, got;

	/* clang folds the range tests below into one unsigned compare the verifier cannot tie back
	 * to namelen, and then drops the masks as redundant: keep them (bpf_helpers.h barrier_var) */
	barrier_var(namelen);
	if (!name || !namelen || namelen > 112) {
		slot = 0;
		namelen = 0;
		got = copy_data(ev->buf, DATA_MAX, (const void *)base, len);
	} else if (namelen <= 32) {
		slot = 32;
		barrier_var(namelen);
		if (bpf_probe_read_user(ev->buf, namelen & 63, (const void *)name) != 0)
			namelen = 0;
		got = copy_data(ev->buf + 32, BUF_SIZE - 32, (const void *)base, len);
	} else {
		slot = 112;
		barrier_var(namelen);
		if (bpf_probe_read_user(ev->buf, namelen & 127, (const void *)name) != 0)
			namelen = 0;
		got = copy_data(ev->buf + 112, BUF_SIZE - 112, (const void *)base, len);
	}
	if (namelen || got) {
		ev->buf_len = slot + got;
		ev->buf_kind = kind;
		ev->flags |= slot << EV_ADDR_SHIFT | namelen << (EV_ADDR_SHIFT + 8);
	}
}

/* The path, address or data argspec says this call names (read at exit: the kernel has copied
 * paths in by then, and a read's buffer holds what was read). */
static __always_inline void read_arg(struct event *ev, struct task_state *st, __u8 spec, long ret,
				     __u32 compat)
{
	__u32 i = (spec & 0x7) - 1;
	__u64 addr = i < 6 ? st->args[i & 7] : 0;
	long n = -1;
	__u8 kind = spec & 0xf0;

	if ((kind & SPEC_MSG) == SPEC_MSG) {
		read_msg(ev, st->args[1], ret, kind, compat);
		return;
	}
	if (kind & SPEC_SOCK && kind & SPEC_DATA) {
		/* sendto/recvfrom: the address they name and the data (as sendmsg's); the address
		 * length is sendto's args[5], and what recvfrom's args[5] points to once the kernel
		 * has written the sender's length there (net/socket.c __sys_recvfrom,
		 * move_addr_to_user).  A failed call: the address alone (recvfrom's is not filled in,
		 * but was read so before). */
		if (addr && ret > 0) {
			__u32 alen = st->args[5];
			if (spec & SPEC_LENPTR &&
			    bpf_probe_read_user(&alen, sizeof(alen), (const void *)st->args[5]) != 0)
				alen = 0;
			put_addr_data(ev, addr, alen, st->args[1], ret, SPEC_SOCK | SPEC_DATA);
			return;
		}
		kind = addr ? SPEC_SOCK : SPEC_DATA;
	}
	if (kind & SPEC_STR) {
		n = bpf_probe_read_user_str(ev->buf, sizeof(ev->buf), (const void *)addr);
	} else if (kind & SPEC_SOCK) {
		/* sockaddr_in6 is 28 bytes; a unix path needs up to 110 */
		n = bpf_probe_read_user(ev->buf, 112, (const void *)addr) == 0 ? 112 : -1;
		if (n < 0)
			n = bpf_probe_read_user(ev->buf, 16, (const void *)addr) == 0 ? 16 : -1;
	} else if (kind & (SPEC_DATA | SPEC_IOV) && ret > 0) {
		/* at exit the buffer holds what was read, and still what was written: ret bytes
		 * moved (read(2), write(2)); keep the first DATA_MAX of them */
		__u64 p = st->args[1], len = ret;
		if (kind & SPEC_IOV) {
			/* the first iovec; an i386 caller's is struct compat_iovec */
			if (compat) {
				struct iovec32 v;
				if (bpf_probe_read_user(&v, sizeof(v), (const void *)p) != 0)
					return;
				p = v.iov_base;
				if (v.iov_len < len)
					len = v.iov_len;
			} else {
				struct iovec v;
				if (bpf_probe_read_user(&v, sizeof(v), (const void *)p) != 0)
					return;
				p = (__u64)v.iov_base;
				if (v.iov_len < len)
					len = v.iov_len;
			}
		}
		n = copy_data(ev->buf, DATA_MAX, (const void *)p, len);
		kind = SPEC_DATA;
	}
	if (n > 0) {
		ev->buf_len = n;
		ev->buf_kind = kind;
	}
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_exit, struct pt_regs *regs, long ret)
{
	__u64 now = 0;
	struct config *cfg = get_config();
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_state *st;
	struct counter *c;
	struct event *ev;
	__u32 nr, idx, compat;
	__u8 *spec;

	/* no self_tgid test: on_enter never marks the consumer's calls TS_INCALL */
	if (!cfg)
		return 0;
	if (cfg->select & SEL_NR) {
		/* An unselected call was not marked at entry: tell it from orig_ax, which survives the
		 * call (arch/x86/entry), with an array lookup instead of the task-storage one.  Not
		 * for the execs, whose TS_COMPAT can change across the call, nor for rt_sigreturn
		 * (orig_ax -1 at exit): those go the task-storage way. */
		__u32 onr = regs->orig_ax, key;
		__u8 *s;

		if (onr < MAX_NR && onr != EXECVE_NR && onr != EXECVEAT_NR &&
		    onr != EXECVE_NR_32 && onr != EXECVEAT_NR_32) {
			key = task->thread_info.status & TS_COMPAT ? onr + COMPAT_BASE : onr;
			s = bpf_map_lookup_elem(&sel_nr, &key);
			if (!s || !*s)
				return 0;
		}
	}
	st = bpf_task_storage_get(&tasks, task, 0, 0);
	if (!st || !(st->flags & TS_INCALL))
		return 0;
	st->flags &= ~TS_INCALL;
	nr = st->nr;
	if (nr >= MAX_NR)
		return 0;
	/* where the call entered, not TS_COMPAT now: see TS_CALL32 */
	compat = st->flags & TS_CALL32;
	idx = compat ? nr + COMPAT_BASE : nr;
	now = bpf_ktime_get_ns();
	c = bpf_map_lookup_elem(&counters, &idx);
	if (c) {
		/* counted at exit, as strace -c does: exit_group and a killed task's last call, which
		 * never return, are not in strace's table either */
		c->calls += 1;
		c->ns += now - st->ts;
		/* -4095..-1 is an error return (include/linux/err.h MAX_ERRNO) */
		if (ret < 0 && ret >= -4095)
			c->errors += 1;
	}
	if (cfg->mode != MODE_STREAM)
		return 0;

	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		count_drop();
		return 0;
	}
	ev->ts_enter = st->ts;
	ev->ts_exit = now;
	ev->args[0] = st->args[0];
	ev->args[1] = st->args[1];
	ev->args[2] = st->args[2];
	ev->args[3] = st->args[3];
	ev->args[4] = st->args[4];
	ev->args[5] = st->args[5];
	ev->ret = ret;
	ev->pid = task->tgid;
	ev->tid = task->pid;
	ev->ppid = BPF_CORE_READ(task, real_parent, tgid);
	ev->uid = (__u32)bpf_get_current_uid_gid();
	ev->nr = nr;
	ev->cpu = bpf_get_smp_processor_id();
	ev->kind = KIND_SYSCALL;
	ev->buf_kind = 0;
	ev->buf_len = 0;
	ev->flags = compat ? EV_COMPAT : 0;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	if (compat ? nr == EXECVE_NR_32 || nr == EXECVEAT_NR_32 : nr == EXECVE_NR || nr == EXECVEAT_NR) {
		__u32 n;

		if (!st->buf_len && ret < 0) {
			/* unread at entry (on_exec says why): a failed exec still has its old mm, and
			 * the kernel's own read of the path (getname) has mapped its page */
			long got = bpf_probe_read_user_str(st->buf, sizeof(st->buf),
							   (const char *)st->args[nr == EXECVE_NR || nr == EXECVE_NR_32 ? 0 : 1]);
			st->buf_len = got > 0 ? got : 0;
		}
		n = st->buf_len;
		if (n > BUF_SIZE)
			n = BUF_SIZE;
		bpf_probe_read_kernel(ev->buf, sizeof(ev->buf), st->buf);
		ev->buf_len = n;
		ev->buf_kind = SPEC_STR;
	} else {
		if (compat && nr == SOCKETCALL_NR_32) {
			/* glibc's i386 socket functions multiplex through socketcall(call, args): the
			 * real arguments are an array of 32-bit longs at args (net/socket.c
			 * __sys_socketcall copies nargs[call] of them).  Unpacked into the record and
			 * the task's stash, they are read as the direct call's. */
			__u32 call = st->args[0], a[6] = {};
			if (call < 1 || call > SOCKETCALL_MAX ||
			    (bpf_probe_read_user(a, sizeof(a), (const void *)st->args[1]) != 0 &&
			     bpf_probe_read_user(a, 8, (const void *)st->args[1]) != 0))
				goto submit;
			ev->args[0] = st->args[0] = a[0];
			ev->args[1] = st->args[1] = a[1];
			ev->args[2] = st->args[2] = a[2];
			ev->args[3] = st->args[3] = a[3];
			ev->args[4] = st->args[4] = a[4];
			ev->args[5] = st->args[5] = a[5];
			ev->flags |= EV_SOCKETCALL | call << EV_CALL_SHIFT;
			idx = 2 * MAX_NR + call;
		}
		spec = bpf_map_lookup_elem(&argspec, &idx);
		if (spec && *spec)
			read_arg(ev, st, *spec, ret, compat);
	}
submit:
	bpf_ringbuf_submit(ev, BPF_RB_NO_WAKEUP);
	return 0;
}

/* ---- count mode: cheaper hooks (the loader attaches these instead of on_enter/on_exit) ----
 * The entry hook avoids the task-storage lookup: it only checks the per-CPU arm.  The exit hook
 * takes the syscall number from orig_ax (arch/x86/entry: it survives the call), so no entry
 * stash is needed to count.  The clock is read for every call until EXACT_SEEN calls have been
 * counted on a CPU, then for a random 1 in SAMPLE_EVERY calls weighted by SAMPLE_EVERY:
 * bpf_ktime_get_ns() costs about as much as both hooks together here, and a pseudo-random pick cannot
 * alias with a program that alternates calls (dd's read/write). */
#define EXACT_SEEN 4096

static __always_inline void mark_sigreturn(long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tid = task->pid;
	int compat = task->thread_info.status & TS_COMPAT;
	__u8 *sc = bpf_map_lookup_elem(&scope, &tid);

	if (!sc || !(*sc & SC_TRACKED))
		return;
	if (!compat && id == NR_RT_SIGRETURN)
		*sc |= SC_SIGRETURN | SC_SIGRETURN_RT;
	else if (compat && id == NR32_RT_SIGRETURN)
		*sc |= SC_SIGRETURN | SC_SIGRETURN_RT;
	else if (compat && id == NR32_SIGRETURN)
		*sc |= SC_SIGRETURN;
}

/* exact mode's entry: every tracked call's start in its task's storage */
static __always_inline void stamp_entry(long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tid = task->pid;
	__u8 *sc = bpf_map_lookup_elem(&scope, &tid);
	struct task_state *st;

	if (!sc || !(*sc & SC_TRACKED))
		return;
	st = bpf_task_storage_get(&tasks, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (st) {
		st->nr = id;
		st->ts = bpf_ktime_get_ns();
	}
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_enter_count, struct pt_regs *regs, long id)
{
	__u32 zero = 0;
	struct count_opts *o;
	struct arm *a;

	if (id == NR_RT_SIGRETURN || id == NR32_SIGRETURN || id == NR32_RT_SIGRETURN)
		mark_sigreturn(id);
	o = bpf_map_lookup_elem(&count_opts, &zero);
	if (o && o->exact) {
		stamp_entry(id);
		return 0;
	}
	a = bpf_map_lookup_elem(&arms, &zero);
	if (!a || !a->weight || a->tid != (__u32)bpf_get_current_pid_tgid())
		return 0;
	a->nr = id;
	a->timed = 1;
	a->ts = bpf_ktime_get_ns();
	return 0;
}

/* What a dying task's exit reads (CO-RE flavors, matched by the name before "___"):
 * task->pending.signal (sigset_t), task->signal->flags and ->group_exit_code */
struct sigpending___count {
	struct {
		unsigned long sig[1];
	} signal;
} __attribute__((preserve_access_index));

struct signal_struct___count {
	unsigned int flags;
	int group_exit_code;
} __attribute__((preserve_access_index));

struct task_struct___count {
	struct sigpending___count pending;
	struct signal_struct___count *signal;
} __attribute__((preserve_access_index));

#define COUNT_SIGKILL 9
#define COUNT_SIGNAL_GROUP_EXIT 0x4   /* signal_struct.flags (include/linux/sched/signal.h) */

/* Is this the exit of a call strace never sees end?  ptrace_stop() does not stop a task with a
 * SIGKILL pending (kernel/signal.c: __fatal_signal_pending), so a call its task dies in -- the
 * kill(2) that killed it, a thread's call when another one's exit_group() or execve() zapped it
 * (zap_other_threads, de_thread) -- has no exit stop and is not in strace -c's table.  A fatal
 * signal other than SIGKILL is turned into one for the whole group only when no tracer is
 * attached (complete_signal: "!p->ptrace"): under strace the call ends with its exit stop first
 * and is counted, so such a group exit, whose group_exit_code is that signal, is counted here. */
static __always_inline int dies_before_exit_stop(struct task_struct *task)
{
	struct task_struct___count *t = (struct task_struct___count *)task;
	int code;

	if (!(t->pending.signal.sig[0] & (1UL << (COUNT_SIGKILL - 1))))
		return 0;
	if (!(t->signal->flags & COUNT_SIGNAL_GROUP_EXIT))
		return 1;
	code = t->signal->group_exit_code & 0x7f;
	return code == 0 || code == COUNT_SIGKILL;
}

/* exact mode's exit: the call's time from its entry stamp, less the overhead, into the total
 * and the shortest/longest */
static __always_inline void count_exact(struct task_struct *task, __u32 nr, __u32 idx, __u64 overhead,
					struct counter *c)
{
	struct task_state *st = bpf_task_storage_get(&tasks, task, 0, 0);
	struct extreme *x = bpf_map_lookup_elem(&extremes, &idx);
	__u64 d;

	if (!st || !x || !st->ts || st->nr != nr)
		return;
	d = bpf_ktime_get_ns() - st->ts;
	st->ts = 0;
	d = d > overhead ? d - overhead : 0;
	c->ns += d;
	if (!x->timed || d < x->min_ns)
		x->min_ns = d;
	if (d > x->max_ns)
		x->max_ns = d;
	x->timed += 1;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_exit_count, struct pt_regs *regs, long ret)
{
	/* one helper call for both the tid and the TS_COMPAT test */
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tid = task->pid;
	__u32 zero = 0, nr, idx;
	struct count_opts *o;
	struct counter *c;
	struct arm *a;
	__u64 d;
	int compat;
	__u8 *sc = bpf_map_lookup_elem(&scope, &tid);

	if (!sc || !(*sc & SC_TRACKED))
		return 0;
	if (*sc & SC_FORKED) {
		/* the child's return to user space from clone/fork (ret_from_fork) also passes the
		 * sys_exit tracepoint; strace does not count it, nor do we */
		*sc = SC_TRACKED;
		return 0;
	}
	nr = regs->orig_ax;
	compat = task->thread_info.status & TS_COMPAT;
	if (*sc & SC_SIGRETURN) {
		/* strace counts rt_sigreturn at its exit stop; its return value is the restored ax */
		nr = compat ? ((*sc & SC_SIGRETURN_RT) ? NR32_RT_SIGRETURN : NR32_SIGRETURN) : NR_RT_SIGRETURN;
		*sc &= ~(SC_SIGRETURN | SC_SIGRETURN_RT);
	}
	if (nr >= MAX_NR)
		return 0;
	idx = nr;
	if (compat)
		idx += COMPAT_BASE;
	c = bpf_map_lookup_elem(&counters, &idx);
	a = bpf_map_lookup_elem(&arms, &zero);
	o = bpf_map_lookup_elem(&count_opts, &zero);
	if (!c || !a || !o)
		return 0;
	/* counted at exit, as strace -c does: exit_group and a killed task's last call, which
	 * never return, are not in strace's table either */
	if (o->seen_exits && dies_before_exit_stop(task))
		return 0;
	c->calls += 1;
	if (ret < 0 && ret >= -4095)
		c->errors += 1;
	if (o->exact) {
		count_exact(task, nr, idx, o->overhead_ns, c);
		return 0;
	}
	if (a->timed && a->tid == tid && a->nr == nr) {
		d = bpf_ktime_get_ns() - a->ts;
		d = d > o->overhead_ns ? d - o->overhead_ns : 0;
		c->ns += d * a->weight;
	}
	a->seen += 1;
	a->tid = tid;
	a->timed = 0;
	if (a->seen < EXACT_SEEN) {
		a->weight = 1;
	} else {
		/* Knuth's MMIX LCG; the high bits are the well-mixed ones */
		a->rng = a->rng * 6364136223846793005ULL + 1442695040888963407ULL;
		a->weight = ((a->rng >> 59) & (SAMPLE_EVERY - 1)) == 0 ? SAMPLE_EVERY : 0;
	}
	return 0;
}

static __always_inline struct event *proc_event(struct task_struct *task, __u8 kind)
{
	struct event *ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		count_drop();
		return 0;
	}
	__builtin_memset(ev, 0, sizeof(*ev) - BUF_SIZE);
	ev->ts_enter = bpf_ktime_get_ns();
	ev->ts_exit = ev->ts_enter;
	ev->pid = task->tgid;
	ev->tid = task->pid;
	ev->ppid = BPF_CORE_READ(task, real_parent, tgid);
	ev->uid = (__u32)bpf_get_current_uid_gid();
	ev->cpu = bpf_get_smp_processor_id();
	ev->kind = kind;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	return ev;
}

static __always_inline int wanted(struct config *cfg, struct task_struct *task)
{
	struct task_state *st;

	if (!cfg || task->tgid == cfg->self_tgid)
		return 0;
	if (!cfg->scoped)
		return 1;
	st = bpf_task_storage_get(&tasks, task, 0, 0);
	return st && (st->flags & TS_TRACKED);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	struct config *cfg = get_config();
	struct task_state *pst, *cst;
	struct event *ev;

	if (!cfg)
		return 0;
	if (cfg->mode != MODE_STREAM) {
		__u32 ppid = parent->pid, cpid = child->pid, zero = 0;
		__u8 *psc = bpf_map_lookup_elem(&scope, &ppid);
		__u8 *csc = bpf_map_lookup_elem(&scope, &cpid);
		struct count_opts *o = bpf_map_lookup_elem(&count_opts, &zero);

		/* without -f strace traces only the task it started, not its children nor threads */
		if (psc && csc)
			*csc = (*psc & SC_TRACKED) && !(o && o->no_follow) ? SC_TRACKED | SC_FORKED : 0;
		return 0;
	}
	if (cfg->scoped) {
		pst = bpf_task_storage_get(&tasks, parent, 0, 0);
		if (!pst || !(pst->flags & TS_TRACKED))
			return 0;
		cst = bpf_task_storage_get(&tasks, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (cst)
			cst->flags = TS_TRACKED | TS_FORKED;
	} else if (parent->tgid == cfg->self_tgid) {
		return 0;
	}
	if (cfg->mode != MODE_STREAM)
		return 0;
	ev = proc_event(child, KIND_FORK);
	if (!ev)
		return 0;
	ev->ppid = parent->tgid;
	ev->args[0] = parent->pid;
	ev->buf[0] = 0;
	bpf_ringbuf_submit(ev, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct config *cfg = get_config();
	struct event *ev;
	__u64 arg_start, arg_len;
	__u32 i, sent = 0;
	long n;

	if (!cfg)
		return 0;
	if (cfg->mode != MODE_STREAM) {
		/* on_enter_count does not look at task storage: the parked root starts being counted
		 * here, inside its execve, whose exit is then the first call counted (as strace -c
		 * counts the command's execve) */
		__u32 zero = 0, pid = p->pid;
		struct count_opts *o;
		struct task_state *st;
		struct arm *a;
		__u8 *sc = bpf_map_lookup_elem(&scope, &pid);

		if (!sc || !(*sc & SC_PENDING))
			return 0;
		*sc = SC_TRACKED;
		/* time the rest of this execve (its entry was before tracking started) */
		o = bpf_map_lookup_elem(&count_opts, &zero);
		if (o && o->exact) {
			st = bpf_task_storage_get(&tasks, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
			if (st) {
				st->nr = EXECVE_NR;
				st->ts = bpf_ktime_get_ns();
			}
			return 0;
		}
		a = bpf_map_lookup_elem(&arms, &zero);
		if (a) {
			a->tid = p->pid;
			a->nr = EXECVE_NR;
			a->weight = 1;
			a->timed = 1;
			a->ts = bpf_ktime_get_ns();
		}
		return 0;
	}
	if (!wanted(cfg, p))
		return 0;
	/* The execve's path, when its sys_enter could not read it: a BPF program cannot fault a page
	 * in, and a forked child has none of its parent's file-backed pages mapped (fork copies no
	 * page table entries for them, mm/memory.c vma_needs_copy), so a fork+exec of a string
	 * literal left it unread.  bprm->filename is the kernel's copy of that path (getname) for
	 * execve; execveat's may be made up ("/dev/fd/N/..."), so it is left alone. */
	{
		struct task_state *st = bpf_task_storage_get(&tasks, p, 0, 0);

		if (st && (st->flags & TS_INCALL) && !st->buf_len &&
		    (st->flags & TS_CALL32 ? st->nr == EXECVE_NR_32 : st->nr == EXECVE_NR)) {
			n = bpf_probe_read_kernel_str(st->buf, sizeof(st->buf), BPF_CORE_READ(bprm, filename));
			st->buf_len = n > 0 ? n : 0;
		}
	}
	/* argv from the new image: the tracepoint fires in the exec'ing task once the new mm holds
	 * the strings between arg_start and arg_end (fs/exec.c exec_binprm, create_elf_tables), so
	 * a short-lived program's arguments are known even when /proc/PID is gone by the time user
	 * space looks.  Sent in pieces of the fixed record size, before the exec record. */
	arg_start = BPF_CORE_READ(p, mm, arg_start);
	arg_len = BPF_CORE_READ(p, mm, arg_end) - arg_start;
	for (i = 0; i < ARGV_PIECES; i++) {
		__u64 left, want;
		if ((__u64)i * BUF_SIZE >= arg_len)
			break;
		left = arg_len - (__u64)i * BUF_SIZE;
		want = left > BUF_SIZE ? BUF_SIZE : left;
		ev = proc_event(p, KIND_ARGV);
		if (!ev)
			break;
		ev->args[0] = i;
		if (bpf_probe_read_user(ev->buf, want & (2 * BUF_SIZE - 1) & 0x1ff,
					(const void *)(arg_start + (__u64)i * BUF_SIZE)) == 0) {
			ev->buf_len = want;
		}
		bpf_ringbuf_submit(ev, BPF_RB_NO_WAKEUP);
		sent++;
	}
	ev = proc_event(p, KIND_EXEC);
	if (!ev)
		return 0;
	ev->args[0] = old_pid;
	ev->args[1] = bpf_get_current_uid_gid() >> 32;
	ev->args[2] = bpf_get_current_cgroup_id();
	ev->args[3] = arg_len;
	ev->args[4] = sent;
	ev->args[5] = BPF_CORE_READ(p, nsproxy, pid_ns_for_children, ns.inum);
	n = bpf_probe_read_kernel_str(ev->buf, sizeof(ev->buf), BPF_CORE_READ(bprm, filename));
	if (n > 0) {
		ev->buf_len = n;
		ev->buf_kind = SPEC_STR;
	}
	bpf_ringbuf_submit(ev, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_task_exit, struct task_struct *p)
{
	struct config *cfg = get_config();
	struct event *ev;

	if (!cfg)
		return 0;
	if (cfg->mode != MODE_STREAM) {
		/* forget the pid: it may be reused by an unrelated task */
		__u32 pid = p->pid;
		__u8 *sc = bpf_map_lookup_elem(&scope, &pid);

		if (sc)
			*sc = 0;
		return 0;
	}
	if (!wanted(cfg, p))
		return 0;
	ev = proc_event(p, KIND_EXIT);
	if (!ev)
		return 0;
	/* exit_code is set by do_exit() before this tracepoint fires (kernel/exit.c) */
	ev->ret = p->exit_code;
	ev->buf[0] = 0;
	bpf_ringbuf_submit(ev, BPF_RB_NO_WAKEUP);
	return 0;
}
