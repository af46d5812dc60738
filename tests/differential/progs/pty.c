/* A pseudo-terminal: posix_openpt, grantpt/unlockpt/ptsname, tcgetattr/tcsetattr,
   window size, FIONREAD. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    char *name = ptsname(m);
    int s = open(name, O_RDWR | O_NOCTTY);
    struct termios t;
    tcgetattr(s, &t);
    cfmakeraw(&t);
    tcsetattr(s, TCSANOW, &t);
    tcgetattr(s, &t);
    struct winsize ws = {24, 80, 0, 0};
    ioctl(m, TIOCSWINSZ, &ws);
    ioctl(s, TIOCGWINSZ, &ws);
    write(m, "abc", 3);
    int n = 0;
    usleep(1000);
    ioctl(s, FIONREAD, &n);
    isatty(s);
    isatty(1);
    tcflush(s, TCIFLUSH);
    close(s);
    close(m);
    return 0;
}
