/* linux_baseline — what Linux itself takes, on this machine, for the
 * operations the hosted platform's table compares (tools/bench hosted):
 *   syscall         getppid, a system call that does nothing
 *   pipe-rtt CPU    a byte to a child process through a pipe and back, the
 *                   child pinned to CPU (the parent on CPU 0)
 *   futex-rtt CPU   the same through a futex in shared memory
 *   fork-exec       fork, exec /bin/true and wait for it
 *   read-4k         pread of 4 KiB of a file in the page cache
 * Each line: "linux NAME MIN MEAN" in nanoseconds, as icount prints its own. */
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void pin(int cpu)
{
    cpu_set_t s;
    CPU_ZERO(&s);
    CPU_SET(cpu, &s);
    (void)sched_setaffinity(0, sizeof s, &s);
}

struct stat_ns {
    uint64_t min, total;
    unsigned n;
};

static void add(struct stat_ns *s, uint64_t ns)
{
    s->min = s->n == 0 || ns < s->min ? ns : s->min;
    s->total += ns;
    s->n++;
}

static void say(const char *name, const struct stat_ns *s)
{
    printf("linux %s %lu %lu\n", name, (unsigned long)s->min,
           (unsigned long)(s->n ? s->total / s->n : 0));
}

static long futex(uint32_t *w, int op, uint32_t v)
{
    return syscall(SYS_futex, w, op, v, NULL, NULL, 0);
}

static void pipe_rtt(int cpu, unsigned rounds)
{
    int there[2], back[2];
    if (pipe(there) != 0 || pipe(back) != 0)
        return;
    pid_t child = fork();
    if (child == 0) {
        pin(cpu);
        close(there[1]); /* so that the parent's close is its end of input */
        close(back[0]);
        char c;
        while (read(there[0], &c, 1) == 1 && write(back[1], &c, 1) == 1)
            ;
        _exit(0);
    }
    struct stat_ns s = {0};
    char c = 'x';
    for (unsigned i = 0; i <= rounds; i++) {
        uint64_t t = now();
        if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1)
            break;
        if (i > 0) /* the first wakes the child up */
            add(&s, now() - t);
    }
    close(there[1]);
    waitpid(child, NULL, 0);
    close(there[0]), close(back[0]), close(back[1]);
    char name[32];
    snprintf(name, sizeof name, "pipe-rtt-cpu%d", cpu);
    say(name, &s);
}

static void futex_rtt(int cpu, unsigned rounds)
{
    uint32_t *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (w == MAP_FAILED)
        return;
    pid_t child = fork();
    if (child == 0) {
        pin(cpu);
        for (uint32_t i = 0; i <= rounds; i++) {
            while (__atomic_load_n(w, __ATOMIC_ACQUIRE) != 2 * i + 1)
                futex(w, FUTEX_WAIT, 2 * i);
            __atomic_store_n(w, 2 * i + 2, __ATOMIC_RELEASE);
            futex(w, FUTEX_WAKE, 1);
        }
        _exit(0);
    }
    struct stat_ns s = {0};
    for (uint32_t i = 0; i <= rounds; i++) {
        uint64_t t = now();
        __atomic_store_n(w, 2 * i + 1, __ATOMIC_RELEASE);
        futex(w, FUTEX_WAKE, 1);
        while (__atomic_load_n(w, __ATOMIC_ACQUIRE) != 2 * i + 2)
            futex(w, FUTEX_WAIT, 2 * i + 1);
        if (i > 0)
            add(&s, now() - t);
    }
    waitpid(child, NULL, 0);
    munmap(w, 4096);
    char name[32];
    snprintf(name, sizeof name, "futex-rtt-cpu%d", cpu);
    say(name, &s);
}

static void fork_exec(unsigned rounds)
{
    struct stat_ns s = {0};
    for (unsigned i = 0; i < rounds; i++) {
        uint64_t t = now();
        pid_t child = fork();
        if (child == 0) {
            execl("/bin/true", "true", (char *)NULL);
            _exit(127);
        }
        waitpid(child, NULL, 0);
        add(&s, now() - t);
    }
    say("fork-exec", &s);
}

static void read_4k(unsigned rounds)
{
    char path[] = "/tmp/linux_baseline.XXXXXX";
    int fd = mkstemp(path);
    static char buf[4096];
    if (fd < 0 || write(fd, buf, sizeof buf) != sizeof buf)
        return;
    unlink(path);
    struct stat_ns s = {0}, sc = {0};
    for (unsigned i = 0; i < rounds; i++) {
        uint64_t t = now();
        if (pread(fd, buf, sizeof buf, 0) != sizeof buf)
            break;
        add(&s, now() - t);
        t = now();
        (void)getppid();
        add(&sc, now() - t);
    }
    close(fd);
    say("syscall", &sc);
    say("read-4k", &s);
}

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 2000;
    pin(0);
    read_4k(rounds);
    pipe_rtt(0, rounds);
    pipe_rtt(1, rounds);
    futex_rtt(0, rounds);
    futex_rtt(1, rounds);
    fork_exec(rounds / 10 ? rounds / 10 : 1);
    return 0;
}
