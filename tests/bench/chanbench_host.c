/* chanbench_host.c — round trips between two threads pinned to two host CPUs:
 * UMP (polling, and blocking on a futex) beside a raw single-cache-line
 * ping-pong (the physical floor) and the Linux mechanisms a multiserver system
 * on Linux would use: pipe, eventfd, futex, Unix socket. Prints a table.
 *
 *   chanbench_host [CPU_A CPU_B] [ROUNDS]
 *
 * Each figure is the median of 5 runs of ROUNDS round trips. */
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <ump.h>
#include <ump_wait.h>
#include <unistd.h>

#define RUNS  5
#define SLOTS 64

static int cpu_a = 0, cpu_b = 1;
static long rounds = 200000;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t cycles(void)
{
#if defined(__x86_64__)
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
#else
    return 0;
#endif
}

static void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) {
        fprintf(stderr, "chanbench_host: cannot pin to CPU %d\n", cpu);
        exit(1);
    }
}

/* One benchmark: the responder runs in a thread on cpu_b, the initiator here
 * on cpu_a; both get the same state. */
struct bench {
    const char *name;
    void (*setup)(void);
    void (*initiator)(long n);
    void *(*responder)(void *);
    void (*teardown)(void);
};

static long n_rounds;

/* --- raw cache line: one line written by both sides --------------------- */
static struct {
    volatile uint64_t v;
} __attribute__((aligned(64))) line;

static void raw_setup(void) { line.v = 0; }
static void *raw_responder(void *arg)
{
    (void)arg;
    pin(cpu_b);
    for (uint64_t i = 1; i <= (uint64_t)n_rounds * 2; i += 2) {
        while (__atomic_load_n(&line.v, __ATOMIC_ACQUIRE) != i)
            ;
        __atomic_store_n(&line.v, i + 1, __ATOMIC_RELEASE);
    }
    return NULL;
}
static void raw_initiator(long n)
{
    for (uint64_t i = 1; i <= (uint64_t)n * 2; i += 2) {
        __atomic_store_n(&line.v, i, __ATOMIC_RELEASE);
        while (__atomic_load_n(&line.v, __ATOMIC_ACQUIRE) != i + 1)
            ;
    }
}

/* --- UMP ------------------------------------------------------------------ */
static void *chan_mem;
static void ump_setup(void)
{
    chan_mem = aligned_alloc(64, UMP_CHAN_BYTES(SLOTS));
    ump_chan_clear(chan_mem, SLOTS);
}
static void ump_teardown(void) { free(chan_mem); }

static void *ump_poll_responder(void *arg)
{
    (void)arg;
    pin(cpu_b);
    struct ump_chan c;
    if (ump_chan_init(&c, chan_mem, SLOTS, 1) != OK)
        abort();
    for (long i = 0; i < n_rounds; i++) {
        msg_t m;
        while (ump_recv(&c.rx, &m) != OK)
            ;
        while (ump_send(&c.tx, &m) != OK)
            ;
    }
    return NULL;
}
static void ump_poll_initiator(long n)
{
    struct ump_chan c;
    if (ump_chan_init(&c, chan_mem, SLOTS, 0) != OK)
        abort();
    msg_t m = {.type = 1};
    for (long i = 0; i < n; i++) {
        while (ump_send(&c.tx, &m) != OK)
            ;
        while (ump_recv(&c.rx, &m) != OK)
            ;
    }
}

static void *ump_block_responder(void *arg)
{
    (void)arg;
    pin(cpu_b);
    struct ump_chan c;
    if (ump_chan_init(&c, chan_mem, SLOTS, 1) != OK)
        abort();
    for (long i = 0; i < n_rounds; i++) {
        msg_t m;
        if (ump_host_recv(&c.rx, &m, 1) != OK || ump_send(&c.tx, &m) != OK)
            abort();
        ump_host_wake_if_waiting(&c.tx);
    }
    return NULL;
}
static void ump_block_initiator(long n)
{
    struct ump_chan c;
    if (ump_chan_init(&c, chan_mem, SLOTS, 0) != OK)
        abort();
    msg_t m = {.type = 1};
    for (long i = 0; i < n; i++) {
        if (ump_send(&c.tx, &m) != OK)
            abort();
        ump_host_wake_if_waiting(&c.tx);
        if (ump_host_recv(&c.rx, &m, 1) != OK)
            abort();
    }
}

/* --- pipe, eventfd, Unix socket: two descriptors, one per direction ------ */
static int fd_ab[2], fd_ba[2];
static size_t msg_len;

static void pipe_setup(void)
{
    if (pipe(fd_ab) || pipe(fd_ba))
        abort();
    msg_len = 1;
}
static void socket_setup(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
        abort();
    fd_ab[0] = sv[1];
    fd_ab[1] = sv[0];
    fd_ba[0] = sv[0];
    fd_ba[1] = sv[1];
    msg_len = 64;
}
static void eventfd_setup(void)
{
    fd_ab[0] = fd_ab[1] = eventfd(0, 0);
    fd_ba[0] = fd_ba[1] = eventfd(0, 0);
    msg_len = 8;
}
static void fd_teardown(void)
{
    int fds[4] = {fd_ab[0], fd_ab[1], fd_ba[0], fd_ba[1]};
    for (int i = 0; i < 4; i++) {
        for (int k = 0; k < i; k++)
            if (fds[k] == fds[i])
                fds[i] = -1;
        if (fds[i] >= 0)
            close(fds[i]);
    }
}
static void xfer(int fd, int write_side)
{
    char buf[64];
    uint64_t one = 1;
    memcpy(buf, &one, sizeof one);
    ssize_t r = write_side ? write(fd, buf, msg_len) : read(fd, buf, msg_len);
    if (r != (ssize_t)msg_len)
        abort();
}
static void *fd_responder(void *arg)
{
    (void)arg;
    pin(cpu_b);
    for (long i = 0; i < n_rounds; i++) {
        xfer(fd_ab[0], 0);
        xfer(fd_ba[1], 1);
    }
    return NULL;
}
static void fd_initiator(long n)
{
    for (long i = 0; i < n; i++) {
        xfer(fd_ab[1], 1);
        xfer(fd_ba[0], 0);
    }
}

/* --- futex: one word, each side waits for its turn ------------------------ */
static uint32_t turn;
static void futex_setup(void) { turn = 0; }
static void futex_pass(uint32_t mine, uint32_t theirs)
{
    __atomic_store_n(&turn, theirs, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    while (__atomic_load_n(&turn, __ATOMIC_SEQ_CST) != mine)
        syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, theirs, NULL, NULL, 0);
}
static void *futex_responder(void *arg)
{
    (void)arg;
    pin(cpu_b);
    for (long i = 0; i < n_rounds; i++) {
        while (__atomic_load_n(&turn, __ATOMIC_SEQ_CST) != 1)
            syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
        if (i + 1 < n_rounds)
            futex_pass(1, 0);
        else {
            __atomic_store_n(&turn, 0, __ATOMIC_SEQ_CST);
            syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
        }
    }
    return NULL;
}
static void futex_initiator(long n)
{
    for (long i = 0; i < n; i++) {
        __atomic_store_n(&turn, 1, __ATOMIC_SEQ_CST);
        syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
        while (__atomic_load_n(&turn, __ATOMIC_SEQ_CST) != 0)
            syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);
    }
}

static void nothing(void) {}

static const struct bench benches[] = {
    {"raw cache line (floor)", raw_setup, raw_initiator, raw_responder, nothing},
    {"UMP, polling", ump_setup, ump_poll_initiator, ump_poll_responder, ump_teardown},
    {"UMP, blocking (futex)", ump_setup, ump_block_initiator, ump_block_responder, ump_teardown},
    {"Linux futex", futex_setup, futex_initiator, futex_responder, nothing},
    {"Linux eventfd", eventfd_setup, fd_initiator, fd_responder, fd_teardown},
    {"Linux pipe", pipe_setup, fd_initiator, fd_responder, fd_teardown},
    {"Linux Unix socket (64 B)", socket_setup, fd_initiator, fd_responder, fd_teardown},
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Median over RUNS of the time per round trip, in ns and cycles. */
static void measure(const struct bench *b, double *ns, double *cyc)
{
    uint64_t t[RUNS], c[RUNS];
    long n = rounds;
    if (b->responder != raw_responder && b->responder != ump_poll_responder)
        n = rounds / 4; /* the kernel-mediated ones are much slower */
    for (int r = 0; r < RUNS; r++) {
        b->setup();
        n_rounds = n;
        pthread_t th;
        pthread_create(&th, NULL, b->responder, NULL);
        pin(cpu_a);
        uint64_t t0 = now_ns(), c0 = cycles();
        b->initiator(n);
        uint64_t c1 = cycles(), t1 = now_ns();
        pthread_join(th, NULL);
        b->teardown();
        t[r] = t1 - t0;
        c[r] = c1 - c0;
    }
    qsort(t, RUNS, sizeof t[0], cmp_u64);
    qsort(c, RUNS, sizeof c[0], cmp_u64);
    *ns = (double)t[RUNS / 2] / (double)n;
    *cyc = (double)c[RUNS / 2] / (double)n;
}

/* One-way throughput over UMP: the sender streams, the receiver drains. */
static void *stream_receiver(void *arg)
{
    (void)arg;
    pin(cpu_b);
    struct ump_chan c;
    if (ump_chan_init(&c, chan_mem, SLOTS, 1) != OK)
        abort();
    for (long i = 0; i < n_rounds; i++) {
        msg_t m;
        while (ump_recv(&c.rx, &m) != OK)
            ;
    }
    return NULL;
}

static double ump_throughput(void)
{
    long n = rounds * 20;
    ump_setup();
    n_rounds = n;
    pthread_t th;
    pthread_create(&th, NULL, stream_receiver, NULL);
    pin(cpu_a);
    struct ump_chan c;
    if (ump_chan_init(&c, chan_mem, SLOTS, 0) != OK)
        abort();
    msg_t m = {.type = 1};
    uint64_t t0 = now_ns();
    for (long i = 0; i < n; i++)
        while (ump_send(&c.tx, &m) != OK)
            ;
    pthread_join(th, NULL);
    uint64_t t1 = now_ns();
    ump_teardown();
    return (double)n / ((double)(t1 - t0) / 1e9);
}

int main(int argc, char **argv)
{
    if (argc >= 3) {
        cpu_a = atoi(argv[1]);
        cpu_b = atoi(argv[2]);
    }
    if (argc >= 4)
        rounds = atol(argv[3]);
    printf("Round trips between CPU %d and CPU %d (median of %d runs)\n\n", cpu_a, cpu_b, RUNS);
    printf("| %-26s | %12s | %12s | %9s |\n", "mechanism", "round trip", "cycles", "vs floor");
    printf("|%s|%s|%s|%s|\n", "----------------------------",
           "--------------:", "--------------:", "----------:");
    double floor_ns = 0;
    for (size_t i = 0; i < sizeof benches / sizeof benches[0]; i++) {
        double ns, cyc;
        measure(&benches[i], &ns, &cyc);
        if (i == 0)
            floor_ns = ns;
        printf("| %-26s | %9.0f ns | %12.0f | %8.2fx |\n", benches[i].name, ns, cyc, ns / floor_ns);
        fflush(stdout);
    }
    printf("\nUMP one-way throughput, %d-slot ring, batched acknowledgements: %.1f million "
           "messages/s\n",
           SLOTS, ump_throughput() / 1e6);
    return 0;
}
