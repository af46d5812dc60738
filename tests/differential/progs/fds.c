/* File descriptors of special kinds and memory: eventfd, inotify, memfd, pipe2, dup3, fcntl,
   mmap/mprotect/mremap/madvise/msync/mlock, flock, ftruncate, pread/pwrite, readv/writev. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
    int efd = eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK);
    uint64_t v = 5;
    write(efd, &v, sizeof v);
    read(efd, &v, sizeof v);
    close(efd);

    int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    int wd = inotify_add_watch(ifd, ".", IN_CREATE | IN_DELETE | IN_MODIFY);
    int f = open("watched", O_CREAT | O_WRONLY | O_TRUNC, 0640);
    write(f, "hello\n", 6);
    fsync(f);
    fdatasync(f);
    close(f);
    char buf[4096];
    read(ifd, buf, sizeof buf);
    inotify_rm_watch(ifd, wd);
    close(ifd);

    int m = memfd_create("scratch", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    ftruncate(m, 8192);
    fcntl(m, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
    fcntl(m, F_GET_SEALS);
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
    memcpy(p, "data", 4);
    msync(p, 8192, MS_SYNC);
    mprotect(p, 4096, PROT_READ);
    madvise(p, 8192, MADV_DONTNEED);
    munmap(p, 8192);
    close(m);

    char *a = mmap(NULL, 16384, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    mprotect(a, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    a = mremap(a, 16384, 32768, MREMAP_MAYMOVE);
    mlock(a, 4096);
    munlock(a, 4096);
    mincore(a, 4096, (unsigned char *)buf);
    munmap(a, 32768);

    int pfd[2];
    pipe2(pfd, O_CLOEXEC | O_NONBLOCK);
    write(pfd[1], "xyz", 3);
    read(pfd[0], buf, 10);
    read(pfd[0], buf, 10);
    int d = dup3(pfd[0], 10, O_CLOEXEC);
    fcntl(d, F_GETFD);
    fcntl(d, F_SETFD, 0);
    fcntl(d, F_GETFL);
    fcntl(d, F_SETFL, O_NONBLOCK | O_APPEND);
    fcntl(d, F_DUPFD_CLOEXEC, 20);
    fcntl(pfd[1], F_GETPIPE_SZ);
    close(pfd[0]);
    close(pfd[1]);

    int g = openat(AT_FDCWD, "data.bin", O_RDWR | O_CREAT | O_EXCL, 0600);
    flock(g, LOCK_EX | LOCK_NB);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    fcntl(g, F_SETLK, &fl);
    fcntl(g, F_GETLK, &fl);
    pwrite(g, "0123456789", 10, 100);
    pread(g, buf, 5, 102);
    struct iovec iov[2] = {{"ab", 2}, {"cdef", 4}};
    lseek(g, 0, SEEK_SET);
    writev(g, iov, 2);
    lseek(g, 0, SEEK_SET);
    char b1[3], b2[8];
    struct iovec riov[2] = {{b1, 3}, {b2, 8}};
    readv(g, riov, 2);
    lseek(g, -4, SEEK_END);
    posix_fadvise(g, 0, 0, POSIX_FADV_SEQUENTIAL);
    fallocate(g, 0, 0, 4096);
    struct stat st;
    fstat(g, &st);
    fchmod(g, 0644);
    flock(g, LOCK_UN);
    close(g);
    truncate("data.bin", 3);
    umask(027);
    access("data.bin", R_OK | W_OK);
    faccessat(AT_FDCWD, "nope", F_OK, 0);
    rename("data.bin", "data2.bin");
    link("data2.bin", "data3.bin");
    unlink("data2.bin");
    unlinkat(AT_FDCWD, "data3.bin", 0);
    mkdir("sub", 0755);
    chdir("sub");
    getcwd(buf, sizeof buf);
    chdir("..");
    rmdir("sub");
    return 0;
}
