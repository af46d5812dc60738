"""Constant tables of the process-control calls: prctl(2), arch_prctl(2), personality(2),
ptrace(2) and System V IPC (msgget/msgctl, semget/semctl, shmget/shmctl).

Names only, in strace's print order (its src/xlat/*.in); tools/gen_decode.py compiles them
against the UAPI headers listed in PROCESS_HEADERS and writes the values into consts_<arch>.py.
What no UAPI header exports is in PROCESS_DECLARED, each with the kernel source it comes from.
spec.py merges these into its TABLES/UNKNOWN/DECLARED.
"""

from __future__ import annotations

# more compile groups of spec.HEADERS: the kernel headers (they compile together), and glibc's
# elf.h for the NT_* note types (the kernel's linux/elf.h lacks strace's NT_FPREGSET spelling and
# clashes with glibc's)
PROCESS_HEADERS: list[list[str]] = [
    ["linux/prctl.h", "asm/prctl.h", "linux/securebits.h", "linux/seccomp.h", "linux/capability.h",
     "linux/ptrace.h", "linux/ipc.h", "linux/msg.h", "linux/sem.h", "linux/shm.h", "linux/audit.h"],
    ["elf.h"]]

PROCESS_TABLES: dict[str, tuple[str, list[str]]] = {
    # prctl(2) arguments (linux/prctl.h), one table per option's argument as strace's prctl.c
    "pr_cap_ambient": ("enum", ["PR_CAP_AMBIENT_IS_SET", "PR_CAP_AMBIENT_RAISE", "PR_CAP_AMBIENT_LOWER",
                                "PR_CAP_AMBIENT_CLEAR_ALL"]),
    "pr_fp_mode": ("flags", ["PR_FP_MODE_FR", "PR_FP_MODE_FRE"]),
    "pr_mce_kill": ("enum", ["PR_MCE_KILL_CLEAR", "PR_MCE_KILL_SET"]),
    "pr_mce_kill_policy": ("enum", ["PR_MCE_KILL_LATE", "PR_MCE_KILL_EARLY", "PR_MCE_KILL_DEFAULT"]),
    "pr_pac_enabled_keys": ("flags", ["PR_PAC_APIAKEY", "PR_PAC_APIBKEY", "PR_PAC_APDAKEY", "PR_PAC_APDBKEY"]),
    # PR_PAC_RESET_KEYS takes the generic key too (strace prints pr_pac_enabled_keys, then pr_pac_keys)
    "pr_pac_reset_keys": ("flags", ["PR_PAC_APIAKEY", "PR_PAC_APIBKEY", "PR_PAC_APDAKEY", "PR_PAC_APDBKEY",
                                    "PR_PAC_APGAKEY"]),
    "pr_sched_core_cmds": ("enum", ["PR_SCHED_CORE_GET", "PR_SCHED_CORE_CREATE", "PR_SCHED_CORE_SHARE_TO",
                                    "PR_SCHED_CORE_SHARE_FROM"]),
    "pr_set_mm": ("enum", [
        "PR_SET_MM_START_CODE", "PR_SET_MM_END_CODE", "PR_SET_MM_START_DATA", "PR_SET_MM_END_DATA",
        "PR_SET_MM_START_STACK", "PR_SET_MM_START_BRK", "PR_SET_MM_BRK", "PR_SET_MM_ARG_START",
        "PR_SET_MM_ARG_END", "PR_SET_MM_ENV_START", "PR_SET_MM_ENV_END", "PR_SET_MM_AUXV",
        "PR_SET_MM_EXE_FILE", "PR_SET_MM_MAP", "PR_SET_MM_MAP_SIZE"]),
    "pr_set_vma": ("enum", ["PR_SET_VMA_ANON_NAME"]),
    "pr_sme_vl_flags": ("flags", ["PR_SME_SET_VL_ONEXEC", "PR_SME_VL_INHERIT"]),
    "pr_sve_vl_flags": ("flags", ["PR_SVE_SET_VL_ONEXEC", "PR_SVE_VL_INHERIT"]),
    "pr_spec_cmds": ("enum", ["PR_SPEC_STORE_BYPASS", "PR_SPEC_INDIRECT_BRANCH", "PR_SPEC_L1D_FLUSH"]),
    "pr_spec_get_flags": ("flags", ["PR_SPEC_NOT_AFFECTED", "PR_SPEC_PRCTL", "PR_SPEC_ENABLE", "PR_SPEC_DISABLE",
                                    "PR_SPEC_FORCE_DISABLE", "PR_SPEC_DISABLE_NOEXEC"]),
    "pr_spec_set_flags": ("enum", ["PR_SPEC_ENABLE", "PR_SPEC_DISABLE", "PR_SPEC_FORCE_DISABLE",
                                   "PR_SPEC_DISABLE_NOEXEC"]),
    "pr_sud_cmds": ("enum", ["PR_SYS_DISPATCH_OFF", "PR_SYS_DISPATCH_ON"]),
    "pr_mte_tcf": ("enum", ["PR_MTE_TCF_NONE", "PR_MTE_TCF_SYNC", "PR_MTE_TCF_ASYNC", "PR_MTE_TCF_MASK"]),
    "pr_tsc": ("enum", ["PR_TSC_ENABLE", "PR_TSC_SIGSEGV"]),
    "pr_unalign_flags": ("flags", ["PR_UNALIGN_NOPRINT", "PR_UNALIGN_SIGBUS"]),
    # the fields' masks and shifts inside prctl's values (not printed: how a value splits)
    "pr_fields": ("enum", ["PR_SVE_VL_LEN_MASK", "PR_SME_VL_LEN_MASK", "PR_TAGGED_ADDR_ENABLE", "PR_MTE_TCF_MASK",
                           "PR_MTE_TAG_MASK", "PR_MTE_TAG_SHIFT", "PR_SET_PTRACER_ANY"]),
    # System V IPC (linux/ipc.h, msg.h, sem.h, shm.h), strace's ipc_*.c tables
    "ipc_private": ("enum", ["IPC_PRIVATE"]),
    "ipc_resource_flags": ("flags", ["IPC_CREAT", "IPC_EXCL", "IPC_NOWAIT"]),
    "shm_resource_flags": ("flags", ["IPC_CREAT", "IPC_EXCL", "SHM_HUGETLB", "SHM_NORESERVE"]),
    "ipc_msg_flags": ("flags", ["MSG_NOERROR", "MSG_EXCEPT", "MSG_COPY", "IPC_NOWAIT"]),
    "msgctl_cmds": ("enum", ["IPC_RMID", "IPC_SET", "IPC_STAT", "IPC_INFO", "MSG_STAT", "MSG_INFO", "MSG_STAT_ANY"]),
    "semctl_cmds": ("enum", ["IPC_RMID", "IPC_SET", "IPC_STAT", "IPC_INFO", "GETPID", "GETVAL", "GETALL", "GETNCNT",
                             "GETZCNT", "SETVAL", "SETALL", "SEM_STAT", "SEM_INFO", "SEM_STAT_ANY"]),
    "shmctl_cmds": ("enum", ["IPC_RMID", "IPC_SET", "IPC_STAT", "IPC_INFO", "SHM_LOCK", "SHM_UNLOCK", "SHM_STAT",
                             "SHM_INFO", "SHM_STAT_ANY"]),
    # the fields inside the IPC values (not printed by name: how a value splits)
    "ipc_fields": ("enum", ["IPC_64", "SHM_HUGE_SHIFT", "SHM_HUGE_MASK"]),
    # ptrace(2) requests, strace's xlat/ptrace_cmds.in order (linux/ptrace.h, asm/ptrace-abi.h; the
    # kernel's PTRACE_PEEKUSR/POKEUSR are printed as strace's PTRACE_PEEKUSER/POKEUSER, kinds/ptrace.py)
    "ptrace_cmds": ("enum", [
        "PTRACE_TRACEME", "PTRACE_PEEKTEXT", "PTRACE_PEEKDATA", "PTRACE_PEEKUSR", "PTRACE_POKETEXT",
        "PTRACE_POKEDATA", "PTRACE_POKEUSR", "PTRACE_CONT", "PTRACE_KILL", "PTRACE_SINGLESTEP", "PTRACE_ATTACH",
        "PTRACE_DETACH", "PTRACE_SYSCALL", "PTRACE_SETOPTIONS", "PTRACE_GETEVENTMSG", "PTRACE_GETSIGINFO",
        "PTRACE_SETSIGINFO", "PTRACE_GETREGSET", "PTRACE_SETREGSET", "PTRACE_SEIZE", "PTRACE_INTERRUPT",
        "PTRACE_LISTEN", "PTRACE_PEEKSIGINFO", "PTRACE_GETSIGMASK", "PTRACE_SETSIGMASK",
        "PTRACE_SECCOMP_GET_FILTER", "PTRACE_SECCOMP_GET_METADATA", "PTRACE_GET_SYSCALL_INFO",
        "PTRACE_GET_RSEQ_CONFIGURATION", "PTRACE_GETREGS", "PTRACE_SETREGS", "PTRACE_GETFPREGS", "PTRACE_SETFPREGS",
        "PTRACE_GETFPXREGS", "PTRACE_SETFPXREGS", "PTRACE_GETHBPREGS", "PTRACE_SETHBPREGS", "PTRACE_OLDSETOPTIONS",
        "PTRACE_GET_THREAD_AREA", "PTRACE_SET_THREAD_AREA", "PTRACE_SYSEMU", "PTRACE_SYSEMU_SINGLESTEP",
        "PTRACE_SINGLEBLOCK", "PTRACE_PEEKMTETAGS", "PTRACE_POKEMTETAGS", "PTRACE_SET_SYSCALL",
        "PTRACE_GETVFPREGS", "PTRACE_SETVFPREGS", "PTRACE_ARCH_PRCTL"]),
    "ptrace_setoptions_flags": ("flags", [
        "PTRACE_O_TRACESYSGOOD", "PTRACE_O_TRACEFORK", "PTRACE_O_TRACEVFORK", "PTRACE_O_TRACECLONE",
        "PTRACE_O_TRACEEXEC", "PTRACE_O_TRACEVFORKDONE", "PTRACE_O_TRACEEXIT", "PTRACE_O_TRACESECCOMP",
        "PTRACE_O_EXITKILL", "PTRACE_O_SUSPEND_SECCOMP"]),
    "ptrace_peeksiginfo_flags": ("flags", ["PTRACE_PEEKSIGINFO_SHARED"]),
    # PTRACE_GETREGSET/SETREGSET's note type (elf.h), strace's xlat/nt_descriptor_types.in order
    "nt_descriptor_types": ("enum", [
        "NT_PRSTATUS", "NT_FPREGSET", "NT_PRPSINFO", "NT_PRXREG", "NT_PLATFORM", "NT_AUXV", "NT_GWINDOWS",
        "NT_ASRS", "NT_PSTATUS", "NT_PSINFO", "NT_PRCRED", "NT_UTSNAME", "NT_LWPSTATUS", "NT_LWPSINFO",
        "NT_PRFPXREG", "NT_PPC_VMX", "NT_PPC_SPE", "NT_PPC_VSX", "NT_PPC_TAR", "NT_PPC_PPR", "NT_PPC_DSCR",
        "NT_PPC_EBB", "NT_PPC_PMU", "NT_PPC_TM_CGPR", "NT_PPC_TM_CFPR", "NT_PPC_TM_CVMX", "NT_PPC_TM_CVSX",
        "NT_PPC_TM_SPR", "NT_PPC_TM_CTAR", "NT_PPC_TM_CPPR", "NT_PPC_TM_CDSCR", "NT_PPC_PKEY", "NT_386_TLS",
        "NT_386_IOPERM", "NT_X86_XSTATE", "NT_S390_HIGH_GPRS", "NT_S390_TIMER", "NT_S390_TODCMP",
        "NT_S390_TODPREG", "NT_S390_CTRS", "NT_S390_PREFIX", "NT_S390_LAST_BREAK", "NT_S390_SYSTEM_CALL",
        "NT_S390_TDB", "NT_S390_VXRS_LOW", "NT_S390_VXRS_HIGH", "NT_S390_GS_CB", "NT_S390_GS_BC",
        "NT_S390_RI_CB", "NT_S390_PV_CPU_DATA", "NT_ARM_VFP", "NT_ARM_TLS", "NT_ARM_HW_BREAK",
        "NT_ARM_HW_WATCH", "NT_ARM_SYSTEM_CALL", "NT_ARM_SVE", "NT_ARM_PAC_MASK", "NT_ARM_PACA_KEYS",
        "NT_ARM_PACG_KEYS", "NT_ARM_TAGGED_ADDR_CTRL", "NT_ARM_PAC_ENABLED_KEYS", "NT_ARM_SSVE", "NT_ARM_ZA",
        "NT_METAG_CBUF", "NT_METAG_RPIPE", "NT_METAG_TLS", "NT_ARC_V2", "NT_VMCOREDD", "NT_MIPS_DSP",
        "NT_MIPS_FP_MODE", "NT_MIPS_MSA", "NT_LOONGARCH_CPUCFG", "NT_LOONGARCH_CSR", "NT_LOONGARCH_LSX",
        "NT_LOONGARCH_LASX", "NT_LOONGARCH_LBT", "NT_FILE", "NT_PRXFPREG", "NT_SIGINFO"]),
    "ptrace_syscall_info_op": ("enum", ["PTRACE_SYSCALL_INFO_NONE", "PTRACE_SYSCALL_INFO_ENTRY",
                                        "PTRACE_SYSCALL_INFO_EXIT", "PTRACE_SYSCALL_INFO_SECCOMP"]),
    # linux/audit.h, strace's xlat/audit_arch.in order
    "audit_arch": ("enum", [
        "AUDIT_ARCH_AARCH64", "AUDIT_ARCH_ALPHA", "AUDIT_ARCH_ARCOMPACT", "AUDIT_ARCH_ARCOMPACTBE", "AUDIT_ARCH_ARCV2",
        "AUDIT_ARCH_ARCV2BE", "AUDIT_ARCH_ARM", "AUDIT_ARCH_ARMEB", "AUDIT_ARCH_C6X", "AUDIT_ARCH_C6XBE",
        "AUDIT_ARCH_CRIS", "AUDIT_ARCH_CSKY", "AUDIT_ARCH_FRV", "AUDIT_ARCH_H8300", "AUDIT_ARCH_HEXAGON",
        "AUDIT_ARCH_I386", "AUDIT_ARCH_IA64", "AUDIT_ARCH_LOONGARCH32", "AUDIT_ARCH_LOONGARCH64", "AUDIT_ARCH_M32R",
        "AUDIT_ARCH_M68K", "AUDIT_ARCH_MICROBLAZE", "AUDIT_ARCH_MIPS", "AUDIT_ARCH_MIPS64", "AUDIT_ARCH_MIPS64N32",
        "AUDIT_ARCH_MIPSEL", "AUDIT_ARCH_MIPSEL64", "AUDIT_ARCH_MIPSEL64N32", "AUDIT_ARCH_NDS32",
        "AUDIT_ARCH_NDS32BE", "AUDIT_ARCH_NIOS2", "AUDIT_ARCH_OPENRISC", "AUDIT_ARCH_PARISC", "AUDIT_ARCH_PARISC64",
        "AUDIT_ARCH_PPC", "AUDIT_ARCH_PPC64", "AUDIT_ARCH_PPC64LE", "AUDIT_ARCH_RISCV32", "AUDIT_ARCH_RISCV64",
        "AUDIT_ARCH_S390", "AUDIT_ARCH_S390X", "AUDIT_ARCH_SH", "AUDIT_ARCH_SH64", "AUDIT_ARCH_SHEL",
        "AUDIT_ARCH_SHEL64", "AUDIT_ARCH_SPARC", "AUDIT_ARCH_SPARC64", "AUDIT_ARCH_TILEGX", "AUDIT_ARCH_TILEGX32",
        "AUDIT_ARCH_TILEPRO", "AUDIT_ARCH_UNICORE", "AUDIT_ARCH_V850", "AUDIT_ARCH_X86_64", "AUDIT_ARCH_XTENSA"]),
    "seccomp_mode": ("enum", ["SECCOMP_MODE_DISABLED", "SECCOMP_MODE_STRICT", "SECCOMP_MODE_FILTER"]),
    "secbits": ("flags", ["SECBIT_NOROOT", "SECBIT_NOROOT_LOCKED", "SECBIT_NO_SETUID_FIXUP",
                          "SECBIT_NO_SETUID_FIXUP_LOCKED", "SECBIT_KEEP_CAPS", "SECBIT_KEEP_CAPS_LOCKED",
                          "SECBIT_NO_CAP_AMBIENT_RAISE", "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED"]),
}

# strace's name for an unknown value where it is not the names' common prefix
PROCESS_UNKNOWN: dict[str, str] = {"pr_set_vma": "PR_SET_VMA_", "pr_pac_reset_keys": "PR_PAC_",
                                   "pr_pac_enabled_keys": "PR_PAC_", "pr_spec_set_flags": "PR_SPEC_",
                                   "pr_mte_tcf": "PR_MTE_TCF_", "ipc_msg_flags": "MSG_", "msgctl_cmds": "MSG_",
                                   "semctl_cmds": "SEM_", "shmctl_cmds": "SHM_"}


def _xfeature_masks(bits: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """XFEATURE_MASK_* as arch/x86/include/asm/fpu/types.h builds them from the bit numbers
    (the unions first where strace lists them first: FPSSE, AVX512, XTILE)."""
    bit = {n[len("XFEATURE_"):]: 1 << v for v, n in bits}
    unions = {"FPSSE": ("FP", "SSE"), "AVX512": ("OPMASK", "ZMM_Hi256", "Hi16_ZMM"),
              "XTILE": ("XTILE_DATA", "XTILE_CFG")}
    order = ["FPSSE", "FP", "SSE", "YMM", "BNDREGS", "BNDCSR", "AVX512", "OPMASK", "ZMM_Hi256", "Hi16_ZMM",
             "PT_UNIMPLEMENTED_SO_FAR", "PKRU", "PASID", "LBR", "XTILE", "XTILE_CFG", "XTILE_DATA"]
    out = []
    for name in order:
        value = 0
        for part in unions.get(name, (name,)):
            value |= bit[part]
        out.append((value, "XFEATURE_MASK_" + ("PT" if name.startswith("PT_") else name)))
    return out


# enum xfeature (arch/x86/include/asm/fpu/types.h; not exported to userspace): the bit numbers
# of the XSAVE state components arch_prctl(ARCH_*_XCOMP_*) names
_XFEATURE_BITS: list[tuple[int, str]] = [
    (0, "XFEATURE_FP"), (1, "XFEATURE_SSE"), (2, "XFEATURE_YMM"), (3, "XFEATURE_BNDREGS"), (4, "XFEATURE_BNDCSR"),
    (5, "XFEATURE_OPMASK"), (6, "XFEATURE_ZMM_Hi256"), (7, "XFEATURE_Hi16_ZMM"),
    (8, "XFEATURE_PT_UNIMPLEMENTED_SO_FAR"), (9, "XFEATURE_PKRU"), (10, "XFEATURE_PASID"), (15, "XFEATURE_LBR"),
    (17, "XFEATURE_XTILE_CFG"), (18, "XFEATURE_XTILE_DATA")]

PROCESS_DECLARED: dict[str, list[tuple[int, str]]] = {
    # PR_SET_DUMPABLE / PR_GET_DUMPABLE values: include/linux/sched/coredump.h SUID_DUMP_*
    "pr_dumpable": [(0, "SUID_DUMP_DISABLE"), (1, "SUID_DUMP_USER"), (2, "SUID_DUMP_ROOT")],
    # PR_SCHED_CORE's pid type (arg4): enum pid_type, include/linux/pid.h (the UAPI header
    # names the same numbers PR_SCHED_CORE_SCOPE_*; strace prints the kernel's names)
    "pr_sched_core_pidtypes": [(0, "PIDTYPE_PID"), (1, "PIDTYPE_TGID"), (2, "PIDTYPE_PGID"), (3, "PIDTYPE_SID")],
    "x86_xfeature_bits": _XFEATURE_BITS,
    "x86_xfeatures": _xfeature_masks(_XFEATURE_BITS),
}
