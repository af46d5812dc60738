// SPDX-License-Identifier: GPL-2.0
/* What both of syscope's BPF programs (syscope.bpf.c: the watcher; trace.bpf.c: the eBPF tracer)
 * know of the kernel: the few types and fields they read, declared with preserve_access_index
 * (CO-RE relocates each field offset against /sys/kernel/btf/vmlinux at load time, so a field a
 * program does not read costs nothing), the map types and flags they use, libbpf's helpers, and the
 * x86_64 facts they share.  build.py copies this file next to each program before compiling.
 */
#ifndef SYSCOPE_KERNEL_BPF_H
#define SYSCOPE_KERNEL_BPF_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef int pid_t;

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_ARRAY_OF_MAPS = 12,
	BPF_MAP_TYPE_RINGBUF = 27,
	BPF_MAP_TYPE_TASK_STORAGE = 29,
};

enum {	/* include/uapi/linux/bpf.h: flags of different calls, so values repeat */
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
	BPF_F_NO_PREALLOC = 1,
	BPF_LOCAL_STORAGE_GET_F_CREATE = 1,
	BPF_RB_NO_WAKEUP = 1,
	BPF_RB_FORCE_WAKEUP = 2,
	BPF_RB_AVAIL_DATA = 0,  /* bpf_ringbuf_query */
	BPF_RB_RING_SIZE = 1,
};

struct pt_regs {
	unsigned long bp;
	unsigned long bx;
	unsigned long cx;
	unsigned long di;
	unsigned long si;
	unsigned long dx;
	unsigned long r10;
	unsigned long r8;
	unsigned long r9;
	unsigned long orig_ax;
} __attribute__((preserve_access_index));

struct thread_info {
	__u32 status;
} __attribute__((preserve_access_index));

struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
} __attribute__((preserve_access_index));

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct pid_namespace {
	struct ns_common ns;
} __attribute__((preserve_access_index));

struct nsproxy {
	struct pid_namespace *pid_ns_for_children;
} __attribute__((preserve_access_index));

struct task_struct {
	struct thread_info thread_info;
	pid_t pid;
	pid_t tgid;
	int exit_code;
	struct task_struct *real_parent;
	struct mm_struct *mm;
	struct nsproxy *nsproxy;
} __attribute__((preserve_access_index));

struct linux_binprm {
	const char *filename;
} __attribute__((preserve_access_index));

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define MAX_NR 512       /* x86_64 syscall numbers stay below this (highest in 6.18: 467) */
/* A 64-bit task may still make i386 calls (int $0x80): the kernel sets TS_COMPAT in
 * thread_info.status for them (arch/x86/entry/syscall_32.c, arch/x86/include/asm/thread_info.h)
 * and clears it only on the way back to user space, after the sys_exit tracepoint. */
#define TS_COMPAT 0x0002
#define EXECVE_NR 59     /* arch/x86/entry/syscalls/syscall_64.tbl */
#define EXECVEAT_NR 322
#define EXECVE_NR_32 11  /* arch/x86/entry/syscalls/syscall_32.tbl */
#define EXECVEAT_NR_32 358

#endif
