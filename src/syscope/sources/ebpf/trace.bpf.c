// SPDX-License-Identifier: GPL-2.0
/* syscope's eBPF tracer (`syscope trace --backend ebpf`): strace's lines without ptrace stops.
 *
 * The kernel side copies, for each call of the traced process tree, the registers and the user
 * memory the decoder will want -- nothing is formatted here.  What to copy is not code per
 * syscall: user space fills the `plan` map (one entry per call number, up to PLAN_OPS copy
 * operations: a string, a fixed-size struct, a buffer sized by another argument or by the return
 * value, an array of pointers and their strings, an iovec array and its buffers) from the
 * decoder's signatures (syscope/sources/ebpf/trace_plan.py).  Copies run at sys_exit, where the
 * arguments the kernel wrote are there and the ones it read are still unchanged; a call whose plan
 * has entry-time operations (execve's argv: gone after a successful exec; the value-result lengths
 * whose entry value strace prints) also sends a record at sys_enter.
 *
 * Scope: the tasks with a `tasks` task storage entry (user space creates it, keyed by a pidfd, for
 * the started command parked before its execve, or for every thread of -p PID);
 * sched_process_fork gives one to children and threads when following.  A task's state is found
 * from the task itself (bpf_task_storage_get: a pointer in task_struct and a per-map cache slot),
 * not by hashing its tid, and an untraced task, which every hook sees on the whole machine, has
 * no storage at all (task->bpf_storage is NULL: kernel/bpf/bpf_task_storage.c).
 *
 * Records are variable-sized: a header, then per copied range a struct cap and its bytes (padded
 * to 8), assembled in a per-CPU scratch buffer and copied to the ring with bpf_ringbuf_output.
 *
 * Runs of repeated calls (tconfig.compress, set for a plain trace whose lines depend on nothing
 * but the record: no timestamps): a call whose record, timestamps apart, equals the one 1 or 2
 * calls before it in its thread (dd bs=1: read, write, read, write ...) is not sent but counted,
 * and the run goes out as one REC_REPEAT with the records it repeats.  While the traced tree has
 * other tasks (a shell waiting for its command), a run goes on only while no other thread sends a
 * record (tlive[LAST]), and starts with a REC_RUNOPEN: user space holds the records of other
 * threads that come before the run's REC_REPEAT, whose calls came before them; the run is sent before
 * anything else of its thread (a different call, an entry record, a fork, a signal, its exit),
 * when its thread is switched out (sched_switch: it blocks, or is preempted), and at the first
 * call after RUN_NS, so a line is never held back longer than that while the thread runs on.
 *
 * A run may also be of calls that repeat the call 1 or 2 calls before them in all but the bytes
 * they copied, when that is one copy of at most 8 bytes (a record of VARY_SIZE: dd bs=1 of
 * /dev/urandom reads and writes another byte each time, a shell's `read` takes a pipe a byte at
 * a time): each call's copied word is kept in the run (hist.vals) and the REC_REPEAT carries them
 * (args[1] = 1), so such a run costs user space a word a call, not a record.
 */

#include "syscope_kernel.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* i386 calls of a 64-bit task (TS_COMPAT) have their plan entries at MAX_NR + nr */

/* the one pt_regs field only this program reads (a CO-RE flavor of struct pt_regs: libbpf
 * matches it to the kernel's by the name before "___") */
struct pt_regs___sp {
	unsigned long sp;
} __attribute__((preserve_access_index));

/* and the return value's (-ENOSYS while a call runs: entry_64.S pushes it as pt_regs->ax) */
#define ENOSYS 38   /* include/uapi/asm-generic/errno.h */
struct pt_regs___ax {
	unsigned long ax;
} __attribute__((preserve_access_index));

/* task_struct.signal->flags, read by trace_signal (flavors matched by name, as above) */
struct signal_struct___flags {
	unsigned int flags;
} __attribute__((preserve_access_index));

struct task_struct___sig {
	struct signal_struct___flags *signal;
} __attribute__((preserve_access_index));

#define REC_ENTER 1    /* entry-time copies of a call (its plan has OPH_ENTER operations) */
#define REC_EXIT 2     /* a completed call: registers, return value, exit-time copies */
#define REC_FORK 3     /* args[0] = child tid, args[1] = child tgid */
#define REC_GONE 4     /* a task ended: ret = exit_code; nr = its last call; args = that call's
                        * if it is still in it (RF_INCALL) */
#define REC_SIGNAL 5   /* a signal sent to a traced task: nr = signo, args[0] = the sender's tgid,
                        * args[1] = its uid, args[2] = 0/1 when the kernel passed no siginfo
                        * (SEND_SIG_NOINFO/SEND_SIG_PRIV), 2 with the 128-byte siginfo copied;
                        * args[3] = the target's last call */
#define REC_REPEAT 6   /* args[0] calls of tid not sent, each a repeat of the call nr (1 or 2) calls
                        * before it; then two struct cap + HIST_REC bytes: the records of the
                        * second-last (len 0 when nr is 1) and the last call of the run; with
                        * args[1] = 1 (a varying run) then VALS words: each call's word at VARY_AT */
#define REC_RUNOPEN 7  /* tid starts a run of repeats while the tree has other tasks: user space
                        * holds the other threads' records that come before the run (REC_REPEAT) */

#define RF_COMPAT 1    /* an i386 call */
#define RF_INCALL 2    /* REC_GONE: the task died inside call nr (strace: "<unfinished ...>) = ?") */
#define RF_CUT 4       /* a copy was cut short for room: the decoder may find less than it wants */

#define CF_STR 1       /* a string: the copy stops at its NUL (included when seen) */

#define OP_STR 1       /* NUL-terminated string at args[arg], up to max bytes */
#define OP_FIXED 2     /* max bytes at args[arg] */
#define OP_ARGLEN 3    /* min(args[lenarg] * mult + add, max) bytes at args[arg] */
#define OP_RETLEN 4    /* min(ret * mult - add, max) bytes at args[arg] + add (exit only, ret > 0):
                        * add > 0 is a later part of a buffer longer than one copy (CAP_MAX) */
#define OP_PTRARR 5    /* max pointers at args[arg]; with lenarg = 1 also each string, mult bytes */
#define OP_IOV 6       /* args[lenarg] struct iovec at args[arg] and each buffer, up to max bytes
                        * each; mult = 1: at most ret bytes in all (what a read moved) */
#define OP_DEREF 7     /* min(*(u32 *)args[lenarg], max) bytes at args[arg] (a socklen_t *) */
#define OP_STACK 8     /* max bytes at the user stack pointer + mult (a sigreturn frame's mask) */
#define OP_MSGHDR 9    /* a struct msghdr at args[arg], its msg_name (up to MSG_NAME_MAX bytes), its
                        * iovecs and their buffers (as OP_IOV: max bytes each; mult = 1: at most
                        * ret bytes in all) and its msg_control (up to CTL_MAX bytes) */
#define OP_PTRAT 10    /* max bytes at the pointer that is the word at byte mult of the struct at
                        * args[arg] (pselect6's sigmask: struct { sigset_t *ss; size_t len; }) */
#define OP_SUBPLAN 11  /* a multiplexer (i386 socketcall(2), ipc(2)): the plan at SUB_BASE + mult +
                        * the subcall's number (args[arg]'s low 16 bits) runs with the subcall's
                        * arguments -- with lenarg < 6 the words of the array at args[lenarg] (its
                        * plan's nargs of them, copied into the record: the decoder reads them
                        * too; a number above 16 bits is no subcall then), else the registers */
#define OP_LOADARG 12  /* max bytes at args[arg], copied, and their word mult made argument lenarg
                        * (6 or 7): ipc(2)'s msgrcv reads msgp from a struct ipc_kludge at ptr,
                        * semctl its union semun at ptr */
#define OP_MMSG 13     /* args[lenarg] struct mmsghdr at args[arg] (at most MMSG_MAX; mult = 1: at
                        * most ret of them, what recvmmsg received, each message's buffers at most
                        * its msg_len bytes) and each one's msghdr as OP_MSGHDR copies it */
#define OPH_ENTER 1
#define OPH_EXIT 2

#define PLAN_OPS 10
#define CAP_MAX 8184           /* the most one copy takes */
#define SCRATCH 32768          /* a record's room (PCPU_MIN_UNIT_SIZE: the largest per-CPU value) */
#define COPY_AT_MAX 16384      /* copies start below this, so each ends below SCRATCH */
#define HDR_SIZE 88
#define CAP_HDR 16
#define PTR_MAX 256            /* pointers of an OP_PTRARR */
#define ARGV_STRS 64           /* strings of an OP_PTRARR */
#define IOV_MAX 16             /* iovecs of an OP_IOV */
#define MSG_NAME_MAX 128       /* a msg_name: struct sockaddr_storage */
#define CTL_MAX 4096           /* a msg_control's bytes */
#define MMSG_MAX 16            /* messages of an OP_MMSG */
#define SUB_BASE (2 * MAX_NR)  /* the subcalls' plans (OP_SUBPLAN): SUB_SPAN for each multiplexer */
#define SUB_SPAN 32
#define SUB_PLANS (2 * SUB_SPAN)
#define SMALL_COPY 64          /* copies up to this go through the stack (copy_range) */
#define HIST_REC 256           /* the largest record a run of repeats is made of */
#define RUN_NS 100000000ULL    /* a run is sent at the first call after 0.1 s: lines keep coming */
#define RUN_MAX (1U << 30)
#define RUN_CLOCK 64           /* a run's calls read the clock once in this many (trace_exit) */
#define VARY_AT (HDR_SIZE + CAP_HDR)   /* a varying run's calls differ only in this word: */
#define VARY_SIZE (VARY_AT + 8)        /* the bytes of their one copy of at most 8 bytes */
#define VARY_WORD (VARY_AT / 8)
#define VALS 512               /* the words a varying run keeps (it is sent when they are used up) */

struct op {
	__u8 how;
	__u8 arg;
	__u8 lenarg;
	__u8 phase;
	__u16 max;
	__u16 mult;
	__u16 add;         /* OP_ARGLEN: bytes of a header before the sized part (struct msgbuf);
	                    * OP_RETLEN: where in the buffer the copy starts */
	__u16 pad;
};

struct plan {
	__u32 has_enter;   /* 1: some operation runs at sys_enter */
	__u32 nargs;       /* a subcall's plan: the words of its argument array (OP_SUBPLAN) */
	struct op ops[PLAN_OPS];
};

/* The arguments a plan's operations read: the call's registers, or a subcall's (OP_SUBPLAN),
 * and two more an OP_LOADARG may load from user memory. */
struct callargs {
	__u64 a[8];
	__u64 sp;          /* the user stack pointer at entry */
	__u32 word;        /* the ABI's pointer size: 4 for an i386 call */
	__u32 phase;       /* OPH_ENTER or OPH_EXIT: the operations that run now */
};

struct config {
	__u32 self_tgid;
	__u32 follow;      /* -f: children and threads are traced */
	__u32 compress;    /* send runs of repeated calls as REC_REPEAT */
	__u32 stop;        /* 1: user space stopped tracing (-p's SIGINT, the command ended): every
	                    * task is left alone from here */
	__u32 gen;         /* changed by user space after it gives tasks a `tasks` entry, or stops:
	                    * a thread the hot slot says is not traced is looked up again */
	__u32 prepare_exec; /* trace_prepare_exec is attached: an exec's entry copies wait for it */
};

/* A thread's last two calls and its run of repeats not sent yet.  Written only by the thread's
 * own programs; busy while one of them changes it, as sched_switch may come in the middle (BPF
 * programs run with migration, not preemption, disabled). */
struct hist {
	__u32 len[2];      /* sizes of the records in rec (0: a call that is never repeated) */
	__u32 head;        /* rec[head] is the last call */
	__u32 count;       /* calls of the run */
	__u32 back;        /* each repeats the call back (1, 2) calls before it */
	__u32 busy;
	__u32 vary;        /* 1: the run's calls differ in their word at VARY_AT, kept in vals */
	__u32 fast;        /* bit k: a repeat of rec[k] can be told by run_fast (fast_ok) */
	__u64 ts_first;    /* the run's first call's entry */
	__u64 ts_last;     /* its last call's exit */
	__u8 rec[2][HIST_REC];
	__u64 vals[VALS];  /* a varying run's words, call by call */
};

struct tstate {
	__u32 state;       /* TS_TRACKED, TS_PENDING; TS_INCALL while a call is in progress */
	__u32 nr;
	__u32 flags;       /* RF_COMPAT of the call in progress */
	__u32 sig;         /* a signal came since the last call: its next call ends a run */
	__u64 ts;
	__u64 args[6];
	__u64 sp;          /* the user stack pointer at entry (rt_sigreturn's frame is there) */
	__u64 ts_exit;     /* the end of its last call */
	struct hist h;     /* its run of repeats (tconfig.compress) */
	__u32 quiet;       /* its last calls that ended with no other thread's record since (QUIET) */
	__u32 pad;
};
#define TS_TRACKED 1   /* 0: left alone (user space stopped tracing: -p's SIGINT, the command ended) */
#define TS_PENDING 2   /* the started command, parked before its execve: traced from that execve */
#define TS_INCALL 4
#define TS_ATTACHED 8  /* -p: marked while it may be inside a call; cleared by its next hook.  A
                        * sys_exit first is the exit of the call it was in (its entry unseen) */
#define TS_EXECWAIT 16 /* an execve's entry copies wait for trace_prepare_exec (or its failure's
                        * sys_exit) */

struct rec {
	__u64 ts_enter;
	__u64 ts_exit;
	__u32 tid;
	__u32 tgid;
	__u16 nr;
	__u8 kind;
	__u8 flags;
	__u32 size;
	__s64 ret;
	__u64 args[6];
};

struct cap {
	__u64 addr;
	__u32 len;
	__u16 flags;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct config);
} tconfig SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * MAX_NR + SUB_PLANS);
	__type(key, __u32);
	__type(value, struct plan);
} plan SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tstate);
} tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[SCRATCH]);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} tdrops SEC(".maps");

/* OP_MMSG's loops' state (run_mmsg) */
struct mmsg_state {
	__u32 o;           /* the array's struct cap */
	__u32 word;
	__u32 max;         /* bytes of each buffer's copy */
	__u32 budget;      /* 1: each message's buffers at most its msg_len bytes */
	__u32 left;        /* what is left of the current message's msg_len */
	__u32 pad;
	__u16 iov_at[MMSG_MAX];   /* the struct cap of each message's iovec array (0: none) */
};

/* The arguments of the call whose plan runs, and of its subcall (OP_SUBPLAN): per CPU, as the
 * scratch record, not on the stack -- the deepest chain of calls (sys_exit, run_subplan, run_op,
 * run_mmsg, its loop, copy_range) would pass the verifier's 512 bytes of stack. */
struct plan_args {
	struct callargs call;
	struct callargs sub;
	struct mmsg_state mm;
	__u32 sub_key;     /* the subcall's plan (sub_args) */
	__u32 pad;
	__s64 ret;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct plan_args);
} pargs SEC(".maps");

/* [LIVE] the traced tree's live tasks: runs are kept only while it is one (user space sets the
 * start); [SIGGEN] counts the signals recorded (trace_signal, trace_deliver): a call's entry is
 * not skipped (struct hot) once one came since its run's last call; [WOKE] when a run's record
 * last woke the consumer (flush_run) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __s64);
} tlive SEC(".maps");
#define LIVE 0
#define SIGGEN 1
#define LAST 2         /* the thread of the last record sent (note_sent) */
#define WOKE 3
#define WAKE_FILL 8    /* a run's record wakes the consumer once the ring is this fraction full */
#define QUIET 4        /* a thread of a tree of several tasks starts a run after this many calls
                        * with no other thread's record in between (two busy threads would
                        * otherwise cut each other's runs short at each call, a REC_RUNOPEN and a
                        * REC_REPEAT for a call or two) */

/* The CPU's running thread, when it is not traced (every thread on the machine passes through
 * both syscall hooks: the task storage lookup that finds none costs one of them about 35 ns), or
 * while it is in a run whose next call run_fast can count: its
 * sys_enter then does nothing when the call is the one expected (by number; run_fast compares
 * the rest at exit, reading the arguments from the registers, which a call of a run leaves as
 * they were), so each call of dd's run costs one hook's work, not two.  Keyed by the thread's
 * pt_regs (the top of its kernel stack: one thread's while it lives) and reset at every context
 * switch (trace_switch), so a thread that follows on this CPU, even on the same stack, never
 * finds it.  A per-CPU array: its lookup is inlined, no helper call (the task storage lookup a
 * hook does otherwise costs about as much as the rest of sys_enter's work). */
struct hotrec {
	__s64 ret;
	__u64 args[6];
	__u64 addr;        /* its one copy's, when len */
	__u32 len;
	__u32 nr;
	__u64 data[SMALL_COPY / 8];
};

struct hot {
	__u64 regs;        /* the thread's pt_regs; 0: nothing known */
	__s64 siggen;      /* tlive[SIGGEN] when set */
	__u32 nr;          /* the call expected next */
	__u32 skipped;     /* 1: the entry of the thread's current call was skipped */
	__u32 untraced;    /* 1: the thread is not traced (while tconfig.gen is gen) */
	__u32 gen;
	/* The run itself, for hot_fast (a run whose calls do not vary): the calls it repeats (the
	 * run's hist slots, as run_fast compares them) and the calls counted here and not yet in
	 * the thread's hist, so that its calls need no task storage lookup at all.  pending goes to
	 * the hist (hot_merge) before anything else looks at it: the thread's next call that is not
	 * counted here, its being switched out (trace_switch), a fork, a signal taken, its end. */
	__u64 owner;       /* pt_regs of the thread whose run this is */
	__u32 tid;
	__u32 pending;
	__u32 count;       /* the hist's count when pending was 0 */
	__u32 slot;        /* rec[slot] is the call expected next */
	__u32 back;
	__u32 cached;      /* bit k: rec[k] holds hist slot k */
	struct hotrec rec[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hot);
} hot SEC(".maps");

struct reprec {
	struct rec r;
	struct {
		struct cap c;
		__u8 data[HIST_REC];
	} last[2];
};

struct varyrec {
	struct reprec p;
	__u64 vals[VALS];
};

/* The records go to the ring in slot 0 of `rings`.  User space starts with a small one (a ring's
 * pages are allocated, zeroed and mapped whole when it is made: for 512 MiB a good part of the
 * tracer's start-up) and, when it falls behind by half of it, puts a bigger one in its place:
 * a map-in-map update from user space returns only after the programs running with the old one
 * have ended (kernel/bpf/syscall.c maybe_wait_bpf_programs: synchronize_rcu), so the old ring
 * then takes no more records and is read to its end before the new one -- each thread's records
 * stay in order. */
struct ringdef {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024);
};

struct ringdef ring SEC(".maps");

/* The slot's type: libbpf makes a map of it only to create `rings` with (its "rings.inner"
 * template), and a ring's size is not part of what a map put in the slot must match
 * (kernel/bpf/map_in_map.c bpf_map_meta_equal), so the template is the smallest ring, one page,
 * not another ring whose pages are allocated and zeroed at each start. */
struct ringslot {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct ringslot);
} rings SEC(".maps") = {
	.values = { [0] = (struct ringslot *)&ring },
};

static __always_inline void *cur_ring(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&rings, &zero);
}

struct sbuf {
	__u8 data[SCRATCH];
};

static __always_inline void drop_n(__u64 n)
{
	__u32 zero = 0;
	__u64 *d = bpf_map_lookup_elem(&tdrops, &zero);
	if (d)
		*d += n;
}

static __always_inline void drop(void)
{
	drop_n(1);
}

/* A record of thread tid went to the ring: another thread's run must end at its next call (its
 * calls so far came before this record; user space holds this record until that run comes). */
static __always_inline void note_sent(__u32 tid)
{
	__u32 k = LAST;
	__s64 *last = bpf_map_lookup_elem(&tlive, &k);

	if (last && *last != tid)
		*last = tid;
}

/* May tid's run go on, or start (start: after QUIET calls)?  Always while the tree is one task;
 * with several, while no other thread sent a record since the run began (the run's lines then
 * precede anything another thread printed meanwhile: user space holds those, REC_RUNOPEN). */
static __always_inline int run_alone(__u32 tid)
{
	__u32 k = LIVE, l = LAST;
	__s64 *live = bpf_map_lookup_elem(&tlive, &k), *last = bpf_map_lookup_elem(&tlive, &l);

	if (!live || !last)
		return 0;
	return *live == 1 || *last == tid;
}

/* Whether a run's record wakes the consumer.  A run ends each time its thread is switched out
 * (trace_switch): every few ms on a busy CPU, and each time the consumer itself is woken on the
 * traced thread's CPU, which makes another switch and another run.  Woken at each (the default,
 * adaptive wake-up: whenever it had caught up), the consumer took a context switch and a turn of
 * its loop per run, on the traced program's CPU.  So a run's record wakes it only when the ring
 * is 1/WAKE_FILL full (it must read and grow the ring before it fills: trace_source _consume
 * grows it at a quarter) or when no run's record woke it for RUN_NS (its lines are then at most
 * that late, as a run is: the consumer also looks at the ring every RUN_NS when nothing wakes
 * it).  `now`: the run's last call's exit (a time read at most RUN_CLOCK calls before). */
static __always_inline __u64 run_wakeup(void *rb, __u64 now)
{
	__u32 k = WOKE;
	__s64 *woke = bpf_map_lookup_elem(&tlive, &k);

	if (!woke)
		return 0;
	if (bpf_ringbuf_query(rb, BPF_RB_AVAIL_DATA) < bpf_ringbuf_query(rb, BPF_RB_RING_SIZE) / WAKE_FILL &&
	    (__s64)now - *woke < (__s64)RUN_NS)   /* signed: another CPU's run may have woken it later */
		return BPF_RB_NO_WAKEUP;
	*woke = now;
	return BPF_RB_FORCE_WAKEUP;
}

/* Send a thread's run of repeats (if any) as one REC_REPEAT: its count and the records it repeats.
 * A global function: verified once, not at each of the six places that send a run. */
__attribute__((noinline)) int flush_run(struct hist *h, __u32 tid, __u32 tgid)
{
	__u32 n, head, vary, k;
	struct varyrec *vr = 0;
	struct reprec *r;

	if (!h)
		return 0;
	n = h->count;
	head = h->head & 1;
	vary = h->vary;
	if (!n)
		return 0;
	h->count = 0;
	void *rb = cur_ring();

	if (!rb) {
		drop_n(n);
		return 0;
	}
	/* the reservation's size must be a constant: a varying run's record is the bigger one */
	if (vary) {
		vr = bpf_ringbuf_reserve(rb, sizeof(*vr), 0);
		r = (struct reprec *)vr;
	} else {
		r = bpf_ringbuf_reserve(rb, sizeof(*r), 0);
	}
	if (!r) {
		drop_n(n);
		return 0;
	}
	r->r.ts_enter = h->ts_first;
	r->r.ts_exit = h->ts_last;
	r->r.tid = tid;
	r->r.tgid = tgid;
	r->r.nr = h->back;
	r->r.kind = REC_REPEAT;
	r->r.flags = 0;
	r->r.size = vr ? sizeof(*vr) : sizeof(*r);
	r->r.ret = 0;
	r->r.args[0] = n;
	r->r.args[1] = vr ? 1 : 0;
	for (k = 2; k < 6; k++)
		r->r.args[k] = 0;
	/* last[0]: the call before the last (a run of back 2 alternates it with the last) */
	for (k = 0; k < 2; k++) {
		__u32 slot = k ? head : head ^ 1;

		r->last[k].c.addr = 0;
		r->last[k].c.len = k || h->back == 2 ? h->len[slot] : 0;
		r->last[k].c.flags = 0;
		r->last[k].c.pad = 0;
		__builtin_memcpy(r->last[k].data, h->rec[slot], HIST_REC);
	}
	if (vr)
		bpf_probe_read_kernel(vr->vals, sizeof(vr->vals), h->vals);
	bpf_ringbuf_submit(r, run_wakeup(rb, h->ts_last));
	note_sent(tid);
	return 0;
}

static __always_inline void flush_task(struct tstate *st, __u32 tid, __u32 tgid)
{
	struct hist *h = &st->h;

	if (h->count) {
		h->busy = 1;
		flush_run(h, tid, tgid);
		h->busy = 0;
	}
}

/* Is the record in b (size bytes) the one in slot of h, timestamps apart (and the word skip
 * apart: VARY_WORD, or 0 to compare all)? */
static __always_inline int same_rec(struct sbuf *b, struct hist *h, __u32 slot, __u32 size, __u32 skip)
{
	__u64 *a = (__u64 *)b->data, *c;
	__u32 i;

	slot &= 1;
	if (h->len[slot] != size)
		return 0;
	c = (__u64 *)h->rec[slot];
	for (i = 2; i < HIST_REC / 8; i++) {   /* from byte 16: ts_enter, ts_exit differ */
		if (i * 8 >= size)
			break;
		if (a[i] != c[i] && i != skip)
			return 0;
	}
	return 1;
}

/* Can run_fast tell a repeat of this record (size bytes in b, its call's plan pl and result ret)
 * without making the record?  When what the plan copies at exit depends on nothing but the
 * arguments and the result: no operation, or one that copies a range whose address and length
 * they give (OP_FIXED, OP_ARGLEN, OP_RETLEN: not a string, whose length is its contents'), of at
 * most SMALL_COPY bytes; a record without a copy only when none was to be made (a failed read
 * copies nothing; a fault might not repeat). */
static __always_inline int fast_ok(struct sbuf *b, __u32 size, struct plan *pl, long ret)
{
	struct op *op;
	struct cap *c;
	__u32 len;

	if (!pl || !pl->ops[0].how)
		return size == HDR_SIZE;
	if (pl->ops[1].how)
		return 0;
	op = &pl->ops[0];
	if (op->how != OP_FIXED && op->how != OP_ARGLEN && op->how != OP_RETLEN)
		return 0;
	if (size == HDR_SIZE)
		return op->how == OP_RETLEN && ret <= 0;
	c = (struct cap *)(b->data + HDR_SIZE);
	len = c->len;
	return len && len <= SMALL_COPY && !c->flags && size == HDR_SIZE + CAP_HDR + ((len + 7) & ~7);
}

/* The hot path of a run (a plain trace's dd bs=1): the call that ends repeats the one its run
 * repeats (slot), by its number, arguments and result, and by the bytes its plan copies, read
 * here into the stack (at most SMALL_COPY: the one copy fast_ok allows) and compared with the
 * slot's -- or, in a varying run, kept as the call's word.  It is counted as in_run counts it,
 * without making its record: no scratch record, no plan run, no comparison of whole records.
 * Anything else (a run's first repeat, a call that differs, a copy that faults, a signal, the
 * call that reads the clock: RUN_CLOCK) goes the way of every call (emit, in_run).  Returns 1
 * when the call was counted. */
static __always_inline int run_fast(struct tstate *st, long ret, __u32 tid, struct pt_regs *regs)
{
	struct hist *h = &st->h;
	__u32 n = h->count, head = h->head & 1, slot, len, i;
	__u64 tmp[SMALL_COPY / 8] = {};
	__u64 *want;
	struct rec *r;
	struct cap *c;

	if (!(n & (RUN_CLOCK - 1)) || n >= RUN_MAX || st->sig || !run_alone(tid))
		return 0;
	slot = h->back == 2 ? head ^ 1 : head;
	if (!(h->fast & (1U << slot)) || (h->vary && (n >= VALS || h->len[slot] != VARY_SIZE)))
		return 0;
	r = (struct rec *)h->rec[slot];
	if (r->ret != ret)
		return 0;
	if (regs) {
		/* its entry was skipped (struct hot: the number is the one expected, a 64-bit
		 * call's): the arguments are still in the registers */
		if ((r->flags & RF_COMPAT) || r->args[0] != regs->di || r->args[1] != regs->si ||
		    r->args[2] != regs->dx || r->args[3] != regs->r10 || r->args[4] != regs->r8 ||
		    r->args[5] != regs->r9)
			return 0;
	} else if (r->nr != st->nr || (r->flags & RF_COMPAT) != (st->flags & RF_COMPAT) ||
		   r->args[0] != st->args[0] || r->args[1] != st->args[1] || r->args[2] != st->args[2] ||
		   r->args[3] != st->args[3] || r->args[4] != st->args[4] || r->args[5] != st->args[5]) {
		return 0;
	}
	if (h->len[slot] > HDR_SIZE) {
		c = (struct cap *)(h->rec[slot] + HDR_SIZE);
		len = c->len;
		if (len == 0 || len > SMALL_COPY)
			return 0;
		len &= SMALL_COPY - 1;   /* as copy_range: bounds the verifier sees */
		if (!len)
			len = SMALL_COPY;
		if (bpf_probe_read_user(tmp, len, (void *)c->addr))
			return 0;
		want = (__u64 *)(h->rec[slot] + VARY_AT);
		if (!h->vary) {
			for (i = 0; i < SMALL_COPY / 8; i++) {
				if (i * 8 >= len)
					break;
				if (tmp[i] != want[i])
					return 0;
			}
		}
	}
	h->busy = 1;
	asm volatile("" ::: "memory");
	/* the slot after head becomes the last call: in a run of back 2 it is the slot it repeats;
	 * in a run of back 1 (counted once at least) both slots hold the repeated call already */
	if (h->vary) {
		h->vals[n & (VALS - 1)] = tmp[0];
		*(__u64 *)(h->rec[head ^ 1] + VARY_AT) = tmp[0];
	}
	h->count = n + 1;
	h->head = head ^ 1;
	h->ts_last = st->ts_exit;
	asm volatile("" ::: "memory");
	h->busy = 0;
	return 1;
}

/* tid starts a run while the tree has other tasks: REC_RUNOPEN tells user space to hold the
 * records of other threads that come before the run's REC_REPEAT (they come after its calls) */
static __always_inline void run_open(__u32 tid, __u32 tgid, __u64 now)
{
	struct rec r = {};
	void *rb = cur_ring();

	r.ts_enter = r.ts_exit = now;
	r.tid = tid;
	r.tgid = tgid;
	r.kind = REC_RUNOPEN;
	r.size = sizeof(r);
	if (!rb || bpf_ringbuf_output(rb, &r, sizeof(r), BPF_RB_NO_WAKEUP))
		drop();
	else
		note_sent(tid);
}

/* The call in b ends: 1 when it joins (or starts) its thread's run of repeats and is not to be
 * sent; 0 when it is sent (after the run it ends). */
static __always_inline int in_run(struct sbuf *b, __u32 size, struct tstate *st, struct plan *pl,
				  __u32 tid, __u32 tgid, __u64 now)
{
	__u32 zero = 0, head, back = 0, vary = 0, sig = st->sig;
	struct config *cfg = bpf_map_lookup_elem(&tconfig, &zero);
	__s64 *live = bpf_map_lookup_elem(&tlive, &zero);
	struct hist *h = &st->h;
	__u64 word = 0;
	int ok, solo, alone;

	if (!cfg || !cfg->compress)
		return 0;
	h->busy = 1;
	if (sig)
		st->sig = 0;
	solo = live && *live == 1;
	alone = run_alone(tid);
	if (!alone)
		st->quiet = 0;
	else if (st->quiet < QUIET)
		st->quiet++;
	ok = alone && (solo || h->count || st->quiet >= QUIET) && !sig && !(pl && pl->has_enter) &&
	     size <= HIST_REC && h->count < RUN_MAX && (!h->count || now - h->ts_first < RUN_NS);
	head = h->head & 1;
	if (size == VARY_SIZE)
		word = *(__u64 *)(b->data + VARY_AT);
	/* the run in progress goes on when the call repeats it as its calls did */
	if (ok && h->count && same_rec(b, h, h->back == 2 ? head ^ 1 : head, size, h->vary ? VARY_WORD : 0)) {
		back = h->back;
		vary = h->vary;
	} else if (ok && same_rec(b, h, head, size, 0)) {
		back = 1;
	} else if (ok && same_rec(b, h, head ^ 1, size, 0)) {
		back = 2;
	} else if (ok && size == VARY_SIZE && same_rec(b, h, head, size, VARY_WORD)) {
		back = 1;
		vary = 1;
	} else if (ok && size == VARY_SIZE && h->len[head] == VARY_SIZE &&
		   same_rec(b, h, head ^ 1, size, VARY_WORD)) {
		/* both calls of a varying run of back 2 are of VARY_SIZE: each call of it is
		 * compared but for its word, and the word is kept (a call of another size among
		 * them would be compared but for 8 of its bytes, and those lost) */
		back = 2;
		vary = 1;
	}
	if (back && h->count && (h->back != back || h->vary != vary || (vary && h->count >= VALS)))
		flush_run(h, tid, tgid);
	if (back) {
		if (!h->count) {
			h->ts_first = st->ts;
			if (!solo)
				run_open(tid, tgid, now);
		}
		if (vary)
			h->vals[h->count & (VALS - 1)] = word;
		h->count++;
		h->back = back;
		h->vary = vary;
		h->ts_last = now;
		if (back == 2) {
			/* the slot before the last holds this call already (a varying one but for its
			 * word: put there, so the slots stay the thread's last two calls) */
			if (vary)
				*(__u64 *)(h->rec[head ^ 1] + VARY_AT) = word;
			h->head = head ^ 1;
			h->busy = 0;
			return 1;
		}
	} else {
		flush_run(h, tid, tgid);
	}
	/* remember this call as the last one */
	head ^= 1;
	if (size <= HIST_REC && !(pl && pl->has_enter)) {
		__builtin_memcpy(h->rec[head], b->data, HIST_REC);
		h->len[head] = size;
	} else {
		h->len[head] = 0;
	}
	if (h->len[head] && fast_ok(b, size, pl, ((struct rec *)b->data)->ret))
		h->fast |= 1U << head;
	else
		h->fast &= ~(1U << head);
	h->head = head;
	h->busy = 0;
	return back != 0;
}

/* One copy into the record at offset o: a struct cap, then the bytes.  Returns the offset after
 * it (o itself when nothing could be read: the decoder then prints the address, as strace does
 * for memory it cannot read), or -1 when the record has no room left (it then says RF_CUT).
 * A global function: the verifier checks it once, not at every place it is called from. */
__attribute__((noinline)) int copy_range(struct sbuf *b, __u32 o, __u64 addr, __u32 len, int str)
{
	long got;
	struct cap *c;

	if (!b)
		return -1;
	if (!addr || !len)
		return o;
	if (len > CAP_MAX)
		len = CAP_MAX;
	if (o > COPY_AT_MAX - CAP_HDR - 8)
		return -1;
	/* the verifier must see both bounds on the registers the helper gets; the compiler would
	 * otherwise pass copies it knows to be bounded but the verifier does not */
	asm volatile("" : "+r"(len), "+r"(o));
	len &= 8192 - 1;
	o &= COPY_AT_MAX - 1;
	c = (struct cap *)(b->data + o);
	if (str) {
		got = bpf_probe_read_user_str(b->data + o + CAP_HDR, len, (void *)addr);
	} else if (len <= SMALL_COPY) {
		/* through the stack: copy_from_user checks its destination (hardened usercopy,
		 * mm/usercopy.c), and for a per-CPU map's vmalloc'ed memory that is a search of
		 * the vmap areas under a lock, each call; a stack object is a bounds check.  The
		 * bytes after len are zeros: a record's padding does not vary (in_run compares it) */
		__u64 tmp[SMALL_COPY / 8] = {};
		__u32 i, n = len & (SMALL_COPY - 1);

		if (!n)
			n = SMALL_COPY;   /* len is 1 .. SMALL_COPY: only SMALL_COPY itself masks to 0 */
		got = bpf_probe_read_user(tmp, n, (void *)addr) ? -1 : (long)n;
		if (got > 0)
			for (i = 0; i < SMALL_COPY / 8; i++)
				*(__u64 *)(b->data + o + CAP_HDR + i * 8) = tmp[i];
	} else {
		got = bpf_probe_read_user(b->data + o + CAP_HDR, len, (void *)addr) ? -1 : (long)len;
	}
	if (got <= 0)
		return o;
	c->addr = addr;
	c->len = got;
	c->flags = str ? CF_STR : 0;
	c->pad = 0;
	return o + CAP_HDR + ((got + 7) & ~7);
}

static __always_inline __u64 arg_of(struct callargs *ca, __u32 i)
{
	return ca->a[i & 7];
}

static __always_inline __u64 clamp(__u64 v, __u32 max)
{
	return v > max ? max : v;
}

/* A word of a copied array: the array's struct cap is at start */
static __always_inline __u64 word_at(struct sbuf *b, __u32 start, __u32 i, __u32 word)
{
	__u32 at = start + CAP_HDR + i * word;

	if (at > SCRATCH - 8)
		return 0;
	at &= SCRATCH - 1;
	if (at > SCRATCH - 8)
		return 0;
	if (word == 4)
		return *(__u32 *)(b->data + at);
	return *(__u64 *)(b->data + at);
}

static __always_inline __u32 cap_len(struct sbuf *b, __u32 start)
{
	start &= SCRATCH - 1;
	if (start > SCRATCH - CAP_HDR)
		return 0;
	return ((struct cap *)(b->data + start))->len;
}

/* An array of pointers (argv, envp): up to n words at addr; with strs, each string (strmax
 * bytes) up to the first NULL.  (BPF functions take at most 5 arguments: the small ones are
 * packed in how: n | strs << 16 | strmax << 24 | word << 48.) */
/* The loops over an array's elements run through bpf_loop(): its callback is verified once, not
 * once per element as a bounded loop is (ARGV_STRS strings, IOV_MAX buffers: most of the
 * tracer's load time went to verifying these loops in both syscall hooks). */
struct each_ctx {
	struct sbuf *b;
	__u64 left;        /* run_iov with budget: what is left of the call's result */
	__u32 o;           /* the array's struct cap */
	__u32 word;
	__u32 max;         /* bytes of each element's copy */
	union {            /* (the stack of the deepest chain of calls is at its 512-byte bound) */
		__u32 budget;  /* run_iov */
		__u32 have1;   /* run_ptrarr: the elements in the array's first cap (at o) */
	};
	int next;          /* where the next copy goes; -1: no room */
	__u32 o2;          /* run_ptrarr: the struct cap of the array's part in its second page */
};

/* argv/envp's string i (bpf_loop callback: returns 1 to stop) */
static long ptrarr_str(__u64 i, void *data)
{
	struct each_ctx *c = data;
	__u64 p = i < c->have1 ? word_at(c->b, c->o, i, c->word)
	                       : word_at(c->b, c->o2, i - c->have1, c->word);

	if (!p)
		return 1;
	c->next = copy_range(c->b, c->next, p, c->max, 1);
	return c->next < 0;
}

/* iovec i's buffer (bpf_loop callback) */
static long iov_buf(__u64 i, void *data)
{
	struct each_ctx *c = data;
	__u64 base = word_at(c->b, c->o, 2 * i, c->word), len = word_at(c->b, c->o, 2 * i + 1, c->word);

	if (c->budget) {
		if (len > c->left)
			len = c->left;
		c->left -= len;
	}
	c->next = copy_range(c->b, c->next, base, clamp(len, c->max), 0);
	return c->next < 0;
}

__attribute__((noinline)) int run_ptrarr(struct sbuf *b, __u32 o, __u64 addr, __u64 how)
{
	__u32 n = how & 0xffff, strs = (how >> 16) & 0xff, strmax = (how >> 24) & 0xffff;
	__u32 word = how >> 48, have, first;
	int next, rest = 0;
	struct each_ctx c = {};

	if (!b)
		return -1;
	if (!addr)
		return o;
	if (n > PTR_MAX)
		n = PTR_MAX;
	if (word != 4)
		word = 8;
	/* the array's end is not known before reading it, and a read that runs into an unmapped
	 * page fails whole: the part in the array's first page, then the rest (which may fail
	 * alone; the decoder then says where the array became unreadable, as strace does) */
	first = 4096 - (addr & 4095);
	if (first > n * word)
		first = n * word;
	next = copy_range(b, o, addr, first, 0);
	if (next <= (int)o)
		return next;
	if (first < n * word) {
		rest = copy_range(b, next, addr + first, n * word - first, 0);
		if (rest < 0)
			return -1;
		if (!strs)
			return rest;
	}
	if (!strs)
		return next;
	have = cap_len(b, o) / word;
	c.have1 = have;
	/* the elements in the second page are in the second cap, which starts where the first
	 * ends (an array whose element straddles the two pages is left at the first page's) */
	if (rest > next && !(first % word)) {
		c.o2 = next;
		have += cap_len(b, next) / word;
	}
	next = rest > next ? rest : next;
	c.b = b;
	c.o = o;
	c.word = word;
	c.max = strmax;
	c.next = next;
	bpf_loop(have < ARGV_STRS ? have : ARGV_STRS, ptrarr_str, &c, 0);
	return c.next;
}

/* An iovec array (n entries at addr) and each buffer, up to max bytes each; with budget, at
 * most left bytes in all (what a readv moved).  how: n | max << 16 | budget << 32 | word << 48. */
__attribute__((noinline)) int run_iov(struct sbuf *b, __u32 o, __u64 addr, __u64 left, __u64 how)
{
	__u64 n = how & 0xffff;
	__u32 max = (how >> 16) & 0xffff, budget = (how >> 32) & 0xff, word = how >> 48;
	int next;
	struct each_ctx c = {};

	if (!b)
		return -1;
	if (!addr)
		return o;
	if (n > IOV_MAX)
		n = IOV_MAX;
	if (word != 4)
		word = 8;
	next = copy_range(b, o, addr, n * 2 * word, 0);
	if (next <= (int)o)
		return next;
	c.b = b;
	c.o = o;
	c.word = word;
	c.max = max;
	c.budget = budget;
	c.left = left;
	c.next = next;
	bpf_loop(n, iov_buf, &c, 0);
	return c.next;
}

/* A struct msghdr (or an i386 task's compat_msghdr: the same fields as 4-byte words) at addr and
 * what it points to (OP_MSGHDR).  Its fields are read in the copy just made: name, namelen, iov,
 * iovlen, control, controllen are words 0-5 of both layouts (include/linux/socket.h user_msghdr,
 * include/net/compat.h compat_msghdr; namelen is an int, in the low half of its word).
 * how: max << 16 | budget << 32 | word << 48, as run_iov's without the count. */
__attribute__((noinline)) int run_msghdr(struct sbuf *b, __u32 o, __u64 addr, __u64 left, __u64 how)
{
	__u32 word = how >> 48;
	__u64 name, namelen, iov, iovlen, ctl, ctllen;
	int next;

	if (!b)
		return -1;
	if (!addr)
		return o;
	if (word != 4)
		word = 8;
	next = copy_range(b, o, addr, 6 * word + 4, 0);
	if (next <= (int)o)
		return next;
	name = word_at(b, o, 0, word);
	namelen = word_at(b, o, 1, word) & 0xffffffff;
	iov = word_at(b, o, 2, word);
	iovlen = word_at(b, o, 3, word);
	ctl = word_at(b, o, 4, word);
	ctllen = word_at(b, o, 5, word);
	if (name && namelen) {
		next = copy_range(b, next, name, clamp(namelen, MSG_NAME_MAX), 0);
		if (next < 0)
			return -1;
	}
	if (iov && iovlen) {
		next = run_iov(b, next, iov, left, clamp(iovlen, IOV_MAX) | (how & ~0xffffULL));
		if (next < 0)
			return -1;
	}
	if (ctl && ctllen)
		next = copy_range(b, next, ctl, clamp(ctllen, CTL_MAX), 0);
	return next;
}

/* OP_MMSG: an array of struct mmsghdr and what each message's msghdr points to.  The messages'
 * iovec buffers are a loop inside the loop over messages; bpf_loop() callbacks nested that deep
 * (hook, run_op, this, a message, run_msghdr, run_iov, a buffer, copy_range) pass the verifier's
 * 8 call frames, so the buffers are a second flat loop over (message, iovec) pairs.  The loops'
 * state is per CPU (struct plan_args), their stack only where the next copy goes: on the deepest
 * chain of calls (an i386 socketcall's recvmmsg) the stack is at the verifier's 512 bytes. */

/* word j of message k's struct mmsghdr: msg_name, msg_namelen, msg_iov, msg_iovlen, msg_control,
 * msg_controllen, msg_flags, msg_len at 0..7 (include/linux/socket.h struct user_msghdr + the
 * unsigned int msg_len: 8 words of either size, compat_mmsghdr's too) */
static __always_inline __u64 mmsg_word(struct sbuf *b, struct mmsg_state *m, __u32 k, __u32 j)
{
	return word_at(b, m->o, k * 8 + j, m->word);
}

static long mmsg_hdr(__u64 k, void *data)
{
	int *next = data, at;
	__u32 zero = 0, f;
	struct sbuf *b = bpf_map_lookup_elem(&scratch, &zero);
	struct plan_args *pa = bpf_map_lookup_elem(&pargs, &zero);
	struct mmsg_state *m;
	__u64 addr, len;

	if (!b || !pa || *next < 0)
		return 1;
	m = &pa->mm;
	/* the pointer and length pairs of its msghdr: msg_name, msg_iov (a count of iovecs),
	 * msg_control -- one after the other, few values live across copy_range (the stack) */
	for (f = 0; f < 3; f++) {
		addr = mmsg_word(b, m, k, 2 * f);
		len = mmsg_word(b, m, k, 2 * f + 1);
		if (f == 0)
			len = clamp(len & 0xffffffff, MSG_NAME_MAX);
		else if (f == 1)
			len = clamp(len, IOV_MAX) * 2 * m->word;
		else
			len = clamp(len, CTL_MAX);
		at = *next;
		if (addr && len)
			*next = copy_range(b, at, addr, len, 0);
		if (f == 1 && *next > at)
			m->iov_at[k & (MMSG_MAX - 1)] = at;
		if (*next < 0)
			return 1;
	}
	return 0;
}

static long mmsg_buf(__u64 t, void *data)
{
	int *next = data;
	__u32 k = t / IOV_MAX, j = t % IOV_MAX, at, zero = 0;
	struct sbuf *b = bpf_map_lookup_elem(&scratch, &zero);
	struct plan_args *pa = bpf_map_lookup_elem(&pargs, &zero);
	struct mmsg_state *m;
	__u64 n, base, len;

	if (!b || !pa || *next < 0)
		return 1;
	m = &pa->mm;
	at = m->iov_at[k & (MMSG_MAX - 1)];
	if (j == 0)
		m->left = mmsg_word(b, m, k, 7) & 0xffffffff;
	n = mmsg_word(b, m, k, 3);
	if (!at || j >= n || j * 2 * m->word >= cap_len(b, at))
		return 0;
	base = word_at(b, at, 2 * j, m->word);
	len = word_at(b, at, 2 * j + 1, m->word);
	if (m->budget) {
		if (len > m->left)
			len = m->left;
		m->left -= len;
	}
	*next = copy_range(b, *next, base, clamp(len, m->max), 0);
	return *next < 0;
}

/* how: max << 16 | budget << 32 | word << 48, as run_msghdr's; n messages */
__attribute__((noinline)) int run_mmsg(struct sbuf *b, __u32 o, __u64 addr, __u64 n, __u64 how)
{
	__u32 word = how >> 48, zero = 0, k;
	struct plan_args *pa = bpf_map_lookup_elem(&pargs, &zero);
	struct mmsg_state *m;
	int next;

	if (!b)
		return -1;
	if (!addr || !n || !pa)
		return o;
	if (n > MMSG_MAX)
		n = MMSG_MAX;
	if (word != 4)
		word = 8;
	next = copy_range(b, o, addr, n * 8 * word, 0);
	if (next <= (int)o)
		return next;
	n = cap_len(b, o) / (8 * word);
	m = &pa->mm;
	m->o = o;
	m->word = word;
	m->max = (how >> 16) & 0xffff;
	m->budget = (how >> 32) & 0xff;
	for (k = 0; k < MMSG_MAX; k++)
		m->iov_at[k] = 0;
	bpf_loop(n, mmsg_hdr, &next, 0);
	if (next >= 0)
		bpf_loop(n * IOV_MAX, mmsg_buf, &next, 0);
	return next;
}

/* One operation of a plan (ret: the call's result at exit, 0 at entry).  A global function:
 * verified once, not in each of the PLAN_OPS turns of emit's loop in both syscall hooks. */
__attribute__((noinline)) int run_op(struct sbuf *b, __u32 off, struct callargs *ca, struct op *op, long ret)
{
	__u64 addr, len, lp;
	__u32 n32 = 0, word;
	int next;

	if (!b)
		return -1;
	if (!ca || !op)
		return off;
	addr = arg_of(ca, op->arg);
	word = ca->word == 4 ? 4 : 8;

	switch (op->how) {
	case OP_STR:
		return copy_range(b, off, addr, op->max, 1);
	case OP_FIXED:
		return copy_range(b, off, addr, op->max, 0);
	case OP_ARGLEN:
		len = arg_of(ca, op->lenarg) & 0xffffffff;
		return copy_range(b, off, addr, clamp(len * op->mult + op->add, op->max), 0);
	case OP_RETLEN:
		len = (__u64)ret * op->mult;
		if (ret <= 0 || len <= op->add)
			return off;
		return copy_range(b, off, addr + op->add, clamp(len - op->add, op->max), 0);
	case OP_PTRARR:
		return run_ptrarr(b, off, addr, op->max | (__u64)op->lenarg << 16 |
				  (__u64)op->mult << 24 | (__u64)word << 48);
	case OP_IOV:
		len = clamp(arg_of(ca, op->lenarg), IOV_MAX);
		return run_iov(b, off, addr, ret > 0 ? ret : 0,
			       len | (__u64)op->max << 16 | (__u64)op->mult << 32 | (__u64)word << 48);
	case OP_DEREF:
		lp = arg_of(ca, op->lenarg);
		if (!lp || bpf_probe_read_user(&n32, 4, (void *)lp))
			return off;
		return copy_range(b, off, addr, clamp(n32, op->max), 0);
	case OP_STACK:
		return copy_range(b, off, ca->sp + op->mult, op->max, 0);
	case OP_MSGHDR:
		return run_msghdr(b, off, addr, ret > 0 ? ret : 0,
				  (__u64)op->max << 16 | (__u64)op->mult << 32 | (__u64)word << 48);
	case OP_PTRAT:
		lp = 0;
		if (!addr || bpf_probe_read_user(&lp, word == 4 ? 4 : 8, (void *)(addr + op->mult)))
			return off;
		return copy_range(b, off, lp, op->max, 0);
	case OP_LOADARG:
		next = copy_range(b, off, addr, op->max, 0);
		ca->a[6 + (op->lenarg & 1)] = next > (int)off ? word_at(b, off, op->mult, word) : 0;
		return next;
	case OP_MMSG:
		len = clamp(arg_of(ca, op->lenarg) & 0xffffffff, MMSG_MAX);
		if (op->mult)
			len = ret > 0 ? clamp(ret, len) : 0;
		return run_mmsg(b, off, addr, len, (__u64)op->max << 16 | (__u64)op->mult << 32 | (__u64)word << 48);
	}
	return off;
}

/* OP_SUBPLAN, its first half: the subcall's arguments into pargs.sub and its plan's key into
 * pargs.sub_key (0: none).  Returns the offset after the argument array's copy. */
__attribute__((noinline)) int sub_args(struct sbuf *b, __u32 off, struct callargs *ca, struct op *op)
{
	struct plan_args *pa;
	struct callargs *sub;
	struct plan *pl;
	__u64 sel;
	__u32 key, i, n, word, zero = 0;
	int next = off;

	if (!b)
		return -1;
	pa = bpf_map_lookup_elem(&pargs, &zero);
	if (!ca || !op || !pa)
		return off;
	pa->sub_key = 0;
	sub = &pa->sub;
	sel = arg_of(ca, op->arg);
	if ((op->lenarg < 6 && (sel >> 16)) || (sel & 0xffff) >= SUB_SPAN || op->mult >= SUB_PLANS)
		return off;
	key = SUB_BASE + op->mult + (sel & 0xffff);
	pl = bpf_map_lookup_elem(&plan, &key);
	if (!pl)
		return off;
	word = ca->word == 4 ? 4 : 8;
	sub->sp = ca->sp;
	sub->word = word;
	sub->phase = ca->phase;
	sub->a[6] = sub->a[7] = 0;
	if (op->lenarg < 6) {
		n = pl->nargs;
		if (!n || n > 6)
			return off;
		next = copy_range(b, off, arg_of(ca, op->lenarg), n * word, 0);
		if (next <= (int)off)
			return next;
		for (i = 0; i < 6; i++)
			sub->a[i] = i < n ? word_at(b, off, i, word) : 0;
	} else {
		for (i = 0; i < 6; i++)
			sub->a[i] = ca->a[i];
	}
	pa->sub_key = key;
	return next;
}

/* OP_SUBPLAN: the subcall's plan (sub_args), run as emit runs a call's.  A global function; its
 * frame is on the deepest chain of calls (sys_exit, this, run_op, run_msghdr, run_iov, its loop,
 * copy_range), at the verifier's 512 bytes of stack: only what it keeps in registers. */
__attribute__((noinline)) int run_subplan(struct sbuf *b, __u32 off, struct callargs *ca, struct op *op, long ret)
{
	struct plan_args *pa;
	struct plan *pl;
	__u32 i, zero = 0;
	int next = sub_args(b, off, ca, op);

	pa = bpf_map_lookup_elem(&pargs, &zero);
	if (!b || next < 0 || !pa || !pa->sub_key)
		return next;
	pl = bpf_map_lookup_elem(&plan, &pa->sub_key);
	if (!pl)
		return next;
	pa->ret = ret;
	for (i = 0; i < PLAN_OPS; i++) {
		if (!pl->ops[i].how)
			break;
		if (!(pl->ops[i].phase & pa->sub.phase))
			continue;
		next = run_op(b, next, &pa->sub, &pl->ops[i], pa->ret);
		if (next < 0)
			return -1;
	}
	return next;
}

/* Run the plan's operations of one phase into the scratch record and send it. */
static __always_inline void emit(struct tstate *st, __u32 tid, __u32 tgid, __u8 kind, long ret,
				 __u64 now)
{
	void *rb;
	__u32 zero = 0, key = st->nr + (st->flags & RF_COMPAT ? MAX_NR : 0), i;
	struct sbuf *b = bpf_map_lookup_elem(&scratch, &zero);
	struct plan *pl = bpf_map_lookup_elem(&plan, &key);
	struct rec *r;
	__u8 phase = kind == REC_ENTER ? OPH_ENTER : OPH_EXIT;
	__u8 flags = st->flags & RF_COMPAT;
	int off = HDR_SIZE, next;
	struct callargs *ca;

	if (!b)
		return;
	r = (struct rec *)b->data;
	ca = pl && pl->ops[0].how ? bpf_map_lookup_elem(&pargs, &zero) : 0;
	if (ca) {
		for (i = 0; i < 6; i++)
			ca->a[i] = st->args[i];
		ca->a[6] = ca->a[7] = 0;
		ca->sp = st->sp;
		ca->word = flags & RF_COMPAT ? 4 : 8;
		ca->phase = phase;
		for (i = 0; i < PLAN_OPS; i++) {
			struct op *op = &pl->ops[i];

			if (!op->how)
				break;
			if (!(op->phase & phase))
				continue;
			if (op->how == OP_SUBPLAN)
				next = run_subplan(b, off, ca, op, kind == REC_EXIT ? ret : 0);
			else
				next = run_op(b, off, ca, op, kind == REC_EXIT ? ret : 0);
			if (next < 0) {
				flags |= RF_CUT;
				break;
			}
			off = next;
		}
	}
	r->ts_enter = st->ts;
	r->ts_exit = now;
	r->tid = tid;
	r->tgid = tgid;
	r->nr = st->nr;
	r->kind = kind;
	r->flags = flags;
	r->ret = kind == REC_ENTER ? (long)st->sp : ret;   /* REC_ENTER: the stack pointer */
	r->args[0] = st->args[0];
	r->args[1] = st->args[1];
	r->args[2] = st->args[2];
	r->args[3] = st->args[3];
	r->args[4] = st->args[4];
	r->args[5] = st->args[5];
	if (off > SCRATCH || off < HDR_SIZE)
		off = HDR_SIZE;
	r->size = off;
	if (kind == REC_EXIT) {
		if (in_run(b, off, st, pl, tid, tgid, now))
			return;
	} else {
		flush_task(st, tid, tgid);
	}
	asm volatile("" : "+r"(off));
	off &= SCRATCH - 1;
	if (off < HDR_SIZE)
		return;
	rb = cur_ring();
	/* adaptive wake-up: the consumer waits in epoll when it has caught up */
	if (!rb || bpf_ringbuf_output(rb, b, off, 0))
		drop();
	else
		note_sent(tid);
}

/* The state of a traced task, NULL for any other (or once user space stopped tracing). */
static __always_inline struct tstate *traced(struct task_struct *task)
{
	__u32 zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&tconfig, &zero);
	struct tstate *st = bpf_task_storage_get(&tasks, task, 0, 0);

	if (!st || !st->state || !cfg || cfg->stop)
		return 0;
	return st;
}

static __always_inline struct hot *hot_slot(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&hot, &zero);
}

/* The call's entry state, from its registers: at its sys_enter, or, when that was skipped (the
 * call nr is still in them), at its exit or when its thread is switched out or ends inside it.
 * The entry time is the caller's to set where it differs (trace_enter reads the clock). */
static __always_inline void entry_from_regs(struct tstate *st, struct task_struct *task, struct pt_regs *regs,
					    __u32 nr)
{
	st->nr = nr;
	st->state |= TS_INCALL;
	if (task->thread_info.status & TS_COMPAT) {
		/* i386 calls take ebx, ecx, edx, esi, edi, ebp (arch/x86/include/asm/syscall.h) */
		st->flags = RF_COMPAT;
		st->args[0] = regs->bx & 0xffffffff;
		st->args[1] = regs->cx & 0xffffffff;
		st->args[2] = regs->dx & 0xffffffff;
		st->args[3] = regs->si & 0xffffffff;
		st->args[4] = regs->di & 0xffffffff;
		st->args[5] = regs->bp & 0xffffffff;
		st->sp = ((struct pt_regs___sp *)regs)->sp & 0xffffffff;
	} else {
		st->flags = 0;
		st->args[0] = regs->di;
		st->args[1] = regs->si;
		st->args[2] = regs->dx;
		st->args[3] = regs->r10;
		st->args[4] = regs->r8;
		st->args[5] = regs->r9;
		st->sp = ((struct pt_regs___sp *)regs)->sp;
	}
	st->ts = st->ts_exit;   /* a plain trace's (only one skips entries): see trace_enter */
}

/* The calls hot_fast counted for the thread of st go to its hist: as many as run_fast would
 * have counted (each call of a run of back 2 makes the other slot the last call). */
static __always_inline void hot_merge(struct hot *c, struct tstate *st)
{
	struct hist *h;

	if (!c->pending)
		return;
	if (st) {
		h = &st->h;
		h->count += c->pending;
		if (h->back == 2 && (c->pending & 1))
			h->head ^= 1;
	}
	c->pending = 0;
	c->cached = 0;
}

/* Before the current thread's state is looked at or changed otherwise: hot_fast's count goes to
 * its hist (its task storage taken as it is: even once user space stopped tracing, the calls
 * counted before that are the trace's) */
static __always_inline void hot_merge_current(struct hot *c, struct tstate *st, struct task_struct *task,
					      struct pt_regs *regs)
{
	if (!c || !c->pending)
		return;
	if (c->owner != (__u64)regs)
		st = 0;   /* not the thread's: trace_switch merged its own, this cannot be */
	else if (!st)
		st = bpf_task_storage_get(&tasks, task, 0, 0);
	hot_merge(c, st);
}

/* A thread leaves its CPU or ends while the hot slot says its current call's entry was skipped:
 * that call's state is made from its registers now, as its sys_enter would have; and the calls
 * hot_fast counted for it go to its hist. */
static __always_inline void hot_leave(struct tstate *st, struct task_struct *task)
{
	struct hot *c = hot_slot();

	if (!c)
		return;
	if (c->skipped && st)
		entry_from_regs(st, task, (struct pt_regs *)bpf_task_pt_regs(task), c->nr);
	hot_merge(c, st);
	c->regs = 0;
	c->skipped = 0;
}

/* The thread (regs) is not traced: its next hooks return at once (until a context switch, or
 * until user space changes tconfig.gen) */
static __always_inline void hot_untraced(struct hot *c, struct config *cfg, struct pt_regs *regs)
{
	if (!c)
		return;
	c->untraced = 1;
	c->gen = cfg->gen;
	c->regs = (__u64)regs;
}

/* What hot_fast compares of the call in hist slot k (fast_ok: one copy of at most SMALL_COPY
 * bytes, or none; not an i386 call) */
static __always_inline void hot_cache(struct hot *c, struct hist *h, __u32 k)
{
	struct rec *r;
	struct cap *cp;
	struct hotrec *hr;
	__u32 i;

	k &= 1;
	r = (struct rec *)h->rec[k];
	if (r->flags & RF_COMPAT)
		return;
	hr = &c->rec[k];
	hr->ret = r->ret;
	for (i = 0; i < 6; i++)
		hr->args[i] = r->args[i];
	hr->nr = r->nr;
	hr->len = 0;
	hr->addr = 0;
	if (h->len[k] > HDR_SIZE) {
		cp = (struct cap *)(h->rec[k] + HDR_SIZE);
		if (!cp->len || cp->len > SMALL_COPY)
			return;
		hr->len = cp->len;
		hr->addr = cp->addr;
		__builtin_memcpy(hr->data, h->rec[k] + VARY_AT, SMALL_COPY);
	}
	c->cached |= 1U << k;
}

/* A call of the run cached in the hot slot ends (its entry was skipped: the number is the one
 * expected): counted here when it repeats its call as run_fast would count it (the same checks,
 * on the copy of the hist slot), without the thread's task storage.  Returns 1 when counted. */
static __always_inline int hot_fast(struct hot *c, long ret, struct pt_regs *regs)
{
	__u32 n = c->count + c->pending, slot = c->slot & 1, len, i, sig = SIGGEN;
	__u64 tmp[SMALL_COPY / 8] = {};
	struct hotrec *hr;
	__s64 *gen;

	if (!(n & (RUN_CLOCK - 1)) || n >= RUN_MAX || c->owner != (__u64)regs || !(c->cached & (1U << slot)))
		return 0;
	gen = bpf_map_lookup_elem(&tlive, &sig);
	if (!gen || *gen != c->siggen || !run_alone(c->tid))
		return 0;   /* a signal came during the call, or another thread sent a record */
	hr = &c->rec[slot];
	if (hr->ret != ret || hr->args[0] != regs->di || hr->args[1] != regs->si || hr->args[2] != regs->dx ||
	    hr->args[3] != regs->r10 || hr->args[4] != regs->r8 || hr->args[5] != regs->r9)
		return 0;
	len = hr->len;
	if (len) {
		len &= SMALL_COPY - 1;   /* as run_fast: bounds the verifier sees */
		if (!len)
			len = SMALL_COPY;
		if (bpf_probe_read_user(tmp, len, (void *)hr->addr))
			return 0;
		for (i = 0; i < SMALL_COPY / 8; i++) {
			if (i * 8 >= len)
				break;
			if (tmp[i] != hr->data[i])
				return 0;
		}
	}
	c->pending++;
	if (c->back == 2)
		slot ^= 1;
	c->slot = slot;
	if (c->cached & (1U << slot))
		c->nr = c->rec[slot].nr;
	else
		c->regs = 0;   /* the next call is not one hot_fast can tell: its entry is taken */
	return 1;
}

/* After a call of a plain trace ends: if its thread's run goes on and the call it expects next
 * can be counted by run_fast, that call's sys_enter may skip it (struct hot), and its exit may
 * count it in the hot slot (hot_fast). */
static __always_inline void expect_next(struct hot *c, struct tstate *st, struct pt_regs *regs, __u32 tid)
{
	struct hist *h = &st->h;
	__u32 head = h->head & 1, slot, zero = LIVE + SIGGEN;
	__s64 *gen;

	if (!c)
		return;
	c->regs = 0;
	c->untraced = 0;
	if (!h->count)
		return;
	slot = h->back == 2 ? head ^ 1 : head;
	if (!(h->fast & (1U << slot)))
		return;
	gen = bpf_map_lookup_elem(&tlive, &zero);
	if (!gen)
		return;
	c->siggen = *gen;
	c->nr = ((struct rec *)h->rec[slot])->nr;
	c->regs = (__u64)regs;
	c->cached = 0;
	if (h->vary || c->pending)
		return;   /* a varying run keeps each call's word in its hist: run_fast counts it */
	c->owner = (__u64)regs;
	c->tid = tid;
	c->count = h->count;
	c->slot = slot;
	c->back = h->back;
	hot_cache(c, h, slot);
	if (h->back == 2 && (h->fast & (1U << (slot ^ 1))))
		hot_cache(c, h, slot ^ 1);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(trace_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task;
	__u32 tid, nr = id, key, zero = 0, sig = SIGGEN;
	struct tstate *st;
	struct config *cfg;
	struct plan *pl;
	struct hot *c = hot_slot();
	__s64 *gen;

	cfg = bpf_map_lookup_elem(&tconfig, &zero);
	if (!cfg)
		return 0;
	if (c && c->regs) {
		if (c->regs == (__u64)regs) {
			if (c->untraced) {
				if (c->gen == cfg->gen)
					return 0;
			} else {
				gen = bpf_map_lookup_elem(&tlive, &sig);
				if (c->nr == nr && gen && c->siggen == *gen) {
					c->skipped = 1;   /* the call its run expects: its exit reads the registers */
					return 0;
				}
			}
		}
		c->regs = 0;
	}
	task = bpf_get_current_task_btf();
	tid = task->pid;
	st = traced(task);
	hot_merge_current(c, st, task, regs);
	if (!st) {
		hot_untraced(c, cfg, regs);
		return 0;
	}
	st->state &= ~TS_ATTACHED;   /* a new call: none was in progress at the attach */
	if (nr >= MAX_NR)
		return 0;
	if (st->state & TS_PENDING) {
		/* strace shows a command it starts from its execve on */
		if (nr != EXECVE_NR && nr != EXECVEAT_NR)
			return 0;
		st->state = TS_TRACKED;
	}
	entry_from_regs(st, task, regs, nr);   /* its ts is set just below */
	/* A plain trace (tconfig.compress: no timestamps, no -T) needs a call's entry time only to
	 * place a signal before it: a signal that came since the thread's last call set st->sig
	 * (trace_signal takes its time first), so then the clock is read; otherwise the end of the
	 * last call stands for it, and a clock read (read_tsc in a VM) per call is saved */
	if (cfg->compress && !st->sig && st->ts_exit)
		st->ts = st->ts_exit;
	else
		st->ts = bpf_ktime_get_ns();
	key = nr + (st->flags & RF_COMPAT ? MAX_NR : 0);
	pl = bpf_map_lookup_elem(&plan, &key);
	if (!pl || !pl->has_enter)
		return 0;
	/* An execve's strings are read where the kernel has read them: a BPF program cannot fault
	 * a page in, and a forked child has none of its parent's file-backed pages mapped (fork
	 * copies no page table entries for them, mm/memory.c vma_needs_copy), so the string
	 * literals of a fork+exec were unreadable here.  By sched_prepare_exec the kernel has
	 * copied the path (getname) and every argv and envp string (copy_strings) from the old
	 * mm, which is still the task's (fs/exec.c begin_new_exec). */
	if (cfg->prepare_exec && (st->flags & RF_COMPAT ? nr == EXECVE_NR_32 || nr == EXECVEAT_NR_32
						       : nr == EXECVE_NR || nr == EXECVEAT_NR)) {
		st->state |= TS_EXECWAIT;
		return 0;
	}
	emit(st, tid, task->tgid, REC_ENTER, 0, st->ts);
	return 0;
}

/* An exec past its point of no return, before the task's mm is replaced: the entry copies an
 * execve's sys_enter left for now (TS_EXECWAIT). */
SEC("tp_btf/sched_prepare_exec")
int BPF_PROG(trace_prepare_exec, struct task_struct *task, struct linux_binprm *bprm)
{
	struct tstate *st = traced(task);

	if (!st || !(st->state & TS_EXECWAIT))
		return 0;
	st->state &= ~TS_EXECWAIT;
	emit(st, task->pid, task->tgid, REC_ENTER, 0, st->ts);
	return 0;
}

/* -p: the call a task was in when user space marked it (TS_ATTACHED) ends, its sys_enter unseen:
 * at its sys_exit, or when the task dies in it (gone: its pt_regs; a call still running has
 * ax -ENOSYS, entry_64.S, which tells it from an exception's frame, whose orig_ax is an error
 * code).  Its entry is made from the registers now, as a skipped entry's (entry_from_regs: the
 * argument registers are the caller's, the kernel's handlers get them as a copy through pt_regs,
 * arch/x86/entry/syscall_64.c; orig_ax keeps the number, syscall_get_nr), its entry copies taken
 * now, and its entry time the attach's, which user space wrote in st->ts (CLOCK_MONOTONIC, as
 * bpf_ktime_get_ns).  A ptrace attach interrupts such a call (strace's restart_syscall line):
 * with no tracer stopping it, it is printed as the call it is. */
static __always_inline void attached_call(struct tstate *st, struct task_struct *task, struct pt_regs *regs,
					  int gone)
{
	__u64 at = st->ts;
	__u32 key;
	struct plan *pl;

	if ((st->state & (TS_ATTACHED | TS_INCALL)) != TS_ATTACHED || regs->orig_ax >= MAX_NR ||
	    (gone && ((struct pt_regs___ax *)regs)->ax != (unsigned long)-ENOSYS))
		return;
	entry_from_regs(st, task, regs, regs->orig_ax);
	st->ts = at;
	key = st->nr + (st->flags & RF_COMPAT ? MAX_NR : 0);
	pl = bpf_map_lookup_elem(&plan, &key);
	if (pl && pl->has_enter)
		emit(st, task->pid, task->tgid, REC_ENTER, 0, st->ts);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(trace_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task;
	__u32 tid, zero = 0;
	struct tstate *st;
	struct config *cfg = bpf_map_lookup_elem(&tconfig, &zero);
	struct hot *c = hot_slot();

	if (!cfg)
		return 0;
	if (c && c->untraced && c->regs == (__u64)regs && c->gen == cfg->gen)
		return 0;
	task = bpf_get_current_task_btf();
	/* the call its run expected (its entry skipped), counted in the hot slot: unless it is an
	 * i386 call (TS_COMPAT) of that number, or user space stopped tracing */
	if (c && c->skipped && c->regs == (__u64)regs && !(task->thread_info.status & TS_COMPAT) &&
	    !cfg->stop && hot_fast(c, ret, regs)) {
		c->skipped = 0;
		return 0;
	}
	tid = task->pid;
	st = traced(task);
	hot_merge_current(c, st, task, regs);
	if (!st) {
		if (c && (!c->skipped || c->regs != (__u64)regs))
			hot_untraced(c, cfg, regs);
		else if (c)
			c->skipped = 0;
		return 0;
	}
	if (c && c->skipped) {
		c->skipped = 0;
		if (!st || c->regs != (__u64)regs)
			return 0;
		/* the call its run expected, unless it is an i386 call (TS_COMPAT) of that number */
		if (!(task->thread_info.status & TS_COMPAT) && run_fast(st, ret, tid, regs)) {
			expect_next(c, st, regs, tid);
			return 0;
		}
		entry_from_regs(st, task, regs, c->nr);
	}
	if (st)
		attached_call(st, task, regs, 0);
	if (!st || !(st->state & TS_INCALL))
		return 0;   /* untraced, or the return from fork/clone in a new task (no entry) */
	st->state &= ~(TS_INCALL | TS_ATTACHED);
	if (st->state & TS_EXECWAIT) {   /* an exec that failed: its entry copies, from the mm it kept */
		st->state &= ~TS_EXECWAIT;
		emit(st, tid, task->tgid, REC_ENTER, 0, st->ts);
	}
	if (cfg && cfg->compress && run_fast(st, ret, tid, 0)) {
		expect_next(c, st, regs, tid);
		return 0;
	}
	/* A plain trace prints no times: there the end of a call only bounds a run of repeats
	 * (RUN_NS, looked at every RUN_CLOCK calls of a run) and places a signal that came during
	 * the call after it.  Inside a run the last time read stands for it: a signal with a later
	 * time is placed before the thread's next call instead, the same place (that call reads
	 * the clock: st->sig, trace_enter).  A clock read (read_tsc in a VM) costs more than the
	 * rest of the hook's helpers; in dd's runs this leaves about none per call. */
	if (cfg && cfg->compress && (st->h.count & (RUN_CLOCK - 1)) && st->ts_exit)
		;   /* st->ts_exit: the last time read */
	else
		st->ts_exit = bpf_ktime_get_ns();
	emit(st, tid, task->tgid, REC_EXIT, ret, st->ts_exit);
	if (cfg && cfg->compress)
		expect_next(c, st, regs, tid);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(trace_fork, struct task_struct *parent, struct task_struct *child)
{
	void *rb;
	__u32 ptid = parent->pid, ctid = child->pid, zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&tconfig, &zero);
	struct tstate *pst = traced(parent), *cst;
	struct rec r = {};

	__s64 *live = bpf_map_lookup_elem(&tlive, &zero);

	if (!cfg || !pst || !cfg->follow || (pst->state & TS_PENDING))
		return 0;
	/* the parent's run before the child can make a line of its own (this runs in the parent) */
	hot_leave(pst, parent);   /* the calls hot_fast counted first: they are the run's */
	flush_task(pst, ptid, parent->tgid);
	/* a new task's storage is created zeroed (kernel/bpf/bpf_local_storage.c) */
	cst = bpf_task_storage_get(&tasks, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!cst) {
		drop();
		return 0;
	}
	cst->state = TS_TRACKED;
	if (live)
		__sync_fetch_and_add(live, 1);
	r.ts_enter = r.ts_exit = bpf_ktime_get_ns();
	r.tid = ptid;
	r.tgid = parent->tgid;
	r.kind = REC_FORK;
	r.size = sizeof(r);
	r.args[0] = ctid;
	r.args[1] = child->tgid;
	rb = cur_ring();
	if (!rb || bpf_ringbuf_output(rb, &r, sizeof(r), BPF_RB_NO_WAKEUP))
		drop();
	else
		note_sent(ptid);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(trace_gone, struct task_struct *p)
{
	void *rb;
	__u32 tid = p->pid;
	struct tstate *st = traced(p);
	struct rec r = {};
	__u32 zero = 0;
	__s64 *live = bpf_map_lookup_elem(&tlive, &zero);

	if (!st)
		return 0;
	hot_leave(st, p);   /* this runs in the task that ends */
	attached_call(st, p, (struct pt_regs *)bpf_task_pt_regs(p), 1);
	if (live)
		__sync_fetch_and_add(live, -1);
	if (st->state & TS_PENDING) {
		bpf_task_storage_delete(&tasks, p);
		return 0;
	}
	flush_task(st, tid, p->tgid);   /* this runs in the task that ends */
	r.ts_enter = st->ts;
	r.ts_exit = bpf_ktime_get_ns();
	r.tid = tid;
	r.tgid = p->tgid;
	r.kind = REC_GONE;
	r.size = sizeof(r);
	/* exit_code is set by do_exit() before this tracepoint (kernel/exit.c) */
	r.ret = p->exit_code;
	/* its last call, in it or not: strace -n numbers "+++ exited" with the last one made */
	r.nr = st->nr;
	r.flags = st->flags & RF_COMPAT;
	if (st->state & TS_INCALL) {
		r.flags |= RF_INCALL;
		r.args[0] = st->args[0];
		r.args[1] = st->args[1];
		r.args[2] = st->args[2];
		r.args[3] = st->args[3];
		r.args[4] = st->args[4];
		r.args[5] = st->args[5];
	}
	bpf_task_storage_delete(&tasks, p);   /* st is not used after this */
	rb = cur_ring();
	if (!rb || bpf_ringbuf_output(rb, &r, sizeof(r), BPF_RB_NO_WAKEUP))
		drop();
	else
		note_sent(tid);
	return 0;
}

/* a signal was recorded: no call's entry is skipped before its thread's next call saw it */
static __always_inline void bump_siggen(void)
{
	__u32 k = SIGGEN;
	__s64 *gen = bpf_map_lookup_elem(&tlive, &k);

	if (gen)
		__sync_fetch_and_add(gen, 1);
}

/* include/trace/events/signal.h: what became of a generated signal */
#define TRACE_SIGNAL_DELIVERED 0
#define TRACE_SIGNAL_IGNORED 1
#define TRACE_SIGNAL_LOSE_INFO 4
#define SIGKILL 9
#define SIGNAL_GROUP_EXIT 0x4   /* signal_struct.flags (include/linux/sched/signal.h) */
#define KSIGINFO_SIZE 48   /* struct kernel_siginfo: siginfo_t without its padding to 128 bytes
                            * (include/linux/signal_types.h, __SIGINFO) */

struct sigrec {
	struct rec r;
	struct cap c;
	__u8 info[128];
};

/* strace shows a signal when the tracee dequeues it (its signal-delivery stop).  A signal that
 * is queued is recorded there too: signal_deliver runs in the task that takes it, in get_signal()
 * on its way back to user space (kernel/signal.c), so its record follows the call it interrupted
 * and precedes the handler's calls, and a signal sent while blocked comes where it is unblocked.
 * Under ptrace even a signal whose action is to ignore it is queued (kernel/signal.c sig_ignored:
 * "Tracers may want to know about even ignored signal"), so strace shows SIGCHLD of a
 * default-ignoring parent; without ptrace such a signal is discarded when it is sent, so an
 * ignored one is recorded where it is generated, and user space places it where its delivery
 * would be: after the call the task was in, or before its next one.  SIGKILL is shown as
 * "+++ killed by SIGKILL +++" alone, as strace does. */
SEC("tp_btf/signal_generate")
int BPF_PROG(trace_signal, int sig, void *info, struct task_struct *task, int group, int result)
{
	__u32 tid = task->pid;
	struct tstate *st = traced(task);
	void *rb;
	struct sigrec sr = {};

	if (!st || (st->state & TS_PENDING) || sig == SIGKILL)
		return 0;
	/* a queued signal is recorded by trace_deliver, unless it is fatal: complete_signal() then
	 * ends the whole group at once (SIGNAL_GROUP_EXIT set, SIGKILL queued to each thread), and
	 * get_signal() delivers SIGKILL instead -- but strace, whose tracee does not take that
	 * shortcut, shows the signal, then "+++ killed by SIGTERM +++" */
	if (result != TRACE_SIGNAL_IGNORED &&
	    !(result == TRACE_SIGNAL_DELIVERED &&
	      (((struct task_struct___sig *)task)->signal->flags & SIGNAL_GROUP_EXIT)))
		return 0;
	/* the target's run goes out at its next call (this may run in another task: the run is
	 * only its own to change), before the calls the signal comes after */
	sr.r.ts_enter = sr.r.ts_exit = bpf_ktime_get_ns();
	/* after its time: a call that sees st->sig at entry reads the clock after this (trace_enter) */
	asm volatile("" ::: "memory");
	st->sig = 1;
	bump_siggen();
	sr.r.tid = tid;
	sr.r.tgid = task->tgid;
	sr.r.nr = sig;
	sr.r.kind = REC_SIGNAL;
	sr.r.args[0] = bpf_get_current_pid_tgid() >> 32;
	sr.r.args[1] = (__u32)bpf_get_current_uid_gid();
	sr.r.args[3] = st->nr;   /* the target's last call (strace -n numbers the signal with it) */
	sr.r.size = sizeof(sr.r);
	if ((unsigned long)info <= 1) {
		sr.r.args[2] = (unsigned long)info;
	} else if (!bpf_probe_read_kernel(sr.info, sizeof(sr.info), info)) {
		sr.r.args[2] = 2;
		sr.c.len = sizeof(sr.info);
		sr.r.size = sizeof(sr);
	}
	rb = cur_ring();
	if (!rb || bpf_ringbuf_output(rb, &sr, sr.r.size == sizeof(sr) ? sizeof(sr) : sizeof(sr.r),
			       BPF_RB_NO_WAKEUP))
		drop();
	else
		note_sent(sr.r.tid);
	return 0;
}

/* A queued signal taken by a traced task (see trace_signal): its run first, then the signal with
 * the siginfo it is delivered with. */
SEC("tp_btf/signal_deliver")
int BPF_PROG(trace_deliver, int sig, void *info, void *ka)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct tstate *st = traced(task);
	void *rb;
	struct sigrec sr = {};

	if (!st || (st->state & TS_PENDING) || sig == SIGKILL)
		return 0;
	hot_leave(st, task);   /* this runs in the task: the calls hot_fast counted are its run's */
	flush_task(st, task->pid, task->tgid);
	sr.r.ts_enter = sr.r.ts_exit = bpf_ktime_get_ns();
	/* after its time: the task's next call reads the clock (trace_enter), so it is placed before */
	asm volatile("" ::: "memory");
	st->sig = 1;
	bump_siggen();
	sr.r.tid = task->pid;
	sr.r.tgid = task->tgid;
	sr.r.nr = sig;
	sr.r.kind = REC_SIGNAL;
	sr.r.size = sizeof(sr.r);
	sr.r.args[3] = st->nr;   /* its last call (strace -n numbers the signal with it) */
	/* dequeue_signal() filled the whole struct kernel_siginfo (SI_USER and the sender's pid and
	 * uid for a signal sent without one, kernel/signal.c __send_signal_locked) */
	if ((unsigned long)info > 1 && !bpf_probe_read_kernel(sr.info, KSIGINFO_SIZE, info)) {
		sr.r.args[2] = 2;
		sr.c.len = sizeof(sr.info);
		sr.r.size = sizeof(sr);
	} else {
		sr.r.args[2] = 1;   /* SI_KERNEL, as a signal the kernel sent without siginfo */
	}
	rb = cur_ring();
	if (!rb || bpf_ringbuf_output(rb, &sr, sr.r.size == sizeof(sr) ? sizeof(sr) : sizeof(sr.r),
			       BPF_RB_NO_WAKEUP))
		drop();
	else
		note_sent(sr.r.tid);
	return 0;
}

/* A thread switched out (it blocks in a call, or is preempted) sends its run: its lines are not
 * held back while it waits.  This runs in the thread going out, so nothing else of it runs now;
 * unless it was preempted inside one of its own programs (busy). */
SEC("tp_btf/sched_switch")
int BPF_PROG(trace_switch, _Bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u32 tid = prev->pid, zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&tconfig, &zero);
	struct tstate *st = 0;
	struct hot *c = hot_slot();

	/* the hot slot is the thread's that leaves the CPU (this runs in it) */
	if (c && (c->skipped || c->pending)) {
		st = bpf_task_storage_get(&tasks, prev, 0, 0);
		hot_leave(st, prev);
	} else if (c) {
		c->regs = 0;
	}
	if (!cfg || !cfg->compress)
		return 0;
	if (!st)
		st = bpf_task_storage_get(&tasks, prev, 0, 0);
	if (st && st->h.count && !st->h.busy)
		flush_run(&st->h, tid, prev->tgid);
	return 0;
}
