/* Threads: pthread_create/join (clone3 or clone with CLONE_THREAD), futex, gettid, a barrier of
   joins only so the order of calls is deterministic. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *work(void *arg) {
    char name[32];
    snprintf(name, sizeof name, "w%ld", (long)arg);
    syscall(SYS_gettid);
    getppid();
    return arg;
}

int main(void) {
    for (long i = 0; i < 3; i++) {
        pthread_t t;
        pthread_create(&t, NULL, work, (void *)i);
        pthread_join(t, NULL);
    }
    return 0;
}
