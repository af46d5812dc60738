"""C tracees that tests in more than one file run (built with conftest's ``build_c``)."""

# five i386 getpid(2) (20) and one unlink(NULL) (10, EFAULT) through the 32-bit entry (int $0x80)
# of an x86_64 process: the calls strace -c counts in a table of their own ("32 bit mode")
INT80 = r"""
int main(void) {
    long r;
    for (int i = 0; i < 5; i++)   /* i386 getpid (20) through the 32-bit entry */
        __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(10L), "b"(0L) : "memory");  /* i386 unlink(NULL) */
    return 0;
}
"""
