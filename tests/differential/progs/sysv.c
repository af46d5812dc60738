/* System V IPC end to end: a message sent and received, a semaphore set and read, a shared
   segment attached, each object's IPC_STAT and removal.  Built -m32 it goes through the i386
   ipc(2) multiplexer (glibc), which strace shows as the calls it stands for. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>

union semun { int val; struct semid_ds *buf; unsigned short *array; };

int main(void) {
    struct { long mtype; char mtext[16]; } msg = {7, "hello"}, got;
    memset(&got, 0, sizeof got);
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    msgsnd(q, &msg, 6, 0);
    msgrcv(q, &got, sizeof got.mtext, 7, 0);
    msgrcv(q, &got, sizeof got.mtext, 0, IPC_NOWAIT);
    struct msqid_ds mds;
    msgctl(q, IPC_STAT, &mds);
    msgctl(q, IPC_RMID, NULL);

    int s = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
    union semun arg = {.val = 3};
    semctl(s, 1, SETVAL, arg);
    semctl(s, 1, GETVAL);
    struct sembuf ops[2] = {{0, 1, 0}, {1, -1, IPC_NOWAIT}};
    semop(s, ops, 2);
    struct timespec ts = {0, 1000};
    struct sembuf wait0 = {0, 0, 0};
    semtimedop(s, &wait0, 1, &ts);
    struct semid_ds sds;
    arg.buf = &sds;
    semctl(s, 0, IPC_STAT, arg);
    semctl(s, 0, IPC_RMID);

    int m = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
    char *p = shmat(m, NULL, SHM_RDONLY);
    struct shmid_ds shds;
    shmctl(m, IPC_STAT, &shds);
    shmdt(p);
    shmctl(m, IPC_RMID, NULL);
    return 0;
}
