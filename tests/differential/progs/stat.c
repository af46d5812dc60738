/* The stat family: stat/lstat/fstat/newfstatat/statx/statfs/fstatfs, symlinks, utimensat,
   chown, readlink, getdents64 through opendir, xattrs. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct stat st;
    stat("/etc/passwd", &st);
    lstat("/dev/null", &st);
    stat("/nonexistent", &st);
    int f = open("file", O_CREAT | O_WRONLY, 0644);
    write(f, "12345", 5);
    fstat(f, &st);
    struct timespec tt[2] = {{1000000000, 5}, {1000000000, 0}};
    futimens(f, tt);
    close(f);
    utimensat(AT_FDCWD, "file", tt, 0);
    symlink("file", "link");
    char buf[256];
    readlink("link", buf, sizeof buf);
    readlinkat(AT_FDCWD, "link", buf, 2);
    fstatat(AT_FDCWD, "link", &st, AT_SYMLINK_NOFOLLOW);
    struct statx sx;
    statx(AT_FDCWD, "file", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME, &sx);
    statx(AT_FDCWD, "/dev/null", 0, STATX_TYPE | STATX_MODE, &sx);
    struct statfs sf;
    statfs("/proc", &sf);
    int d = open(".", O_RDONLY | O_DIRECTORY);
    fstatfs(d, &sf);
    fchown(d, 0, 0);
    chown("file", -1, 0);
    lchown("link", 0, -1);
    fchownat(AT_FDCWD, "file", 0, 0, AT_SYMLINK_NOFOLLOW);
    chmod("file", 04755);
    fchmodat(AT_FDCWD, "file", 0600, 0);
    setxattr("file", "user.k", "v", 1, 0);
    getxattr("file", "user.k", buf, sizeof buf);
    listxattr("file", buf, sizeof buf);
    removexattr("file", "user.k");
    close(d);
    DIR *dir = opendir("/etc/apt");
    while (readdir(dir)) {}
    closedir(dir);
    mknod("fifo", S_IFIFO | 0600, 0);
    stat("fifo", &st);
    return 0;
}
