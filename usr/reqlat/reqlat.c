/* reqlat [ROUNDS] — the latency of one request to a server, as a program
 * sees it: ROUNDS (200) times each of getpid (a round trip to PM),
 * stat("/") (to FS) and a yield of the core (the kernel alone), each timed
 * alone, then the smallest, the median, the 90th percentile, the largest
 * and the mean, in microseconds. Run it on each core (`@2 reqlat`): the
 * figures differ with what else runs there. Under QEMU's TCG the times are
 * emulated. */
#include <stdio.h>
#include <stdlib.h>
#include <sys.h>
#include <sys/stat.h>
#include <unistd.h>

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void show(const char *what, uint64_t *ns, unsigned n)
{
    qsort(ns, n, sizeof *ns, by_value);
    uint64_t sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += ns[i];
    printf("reqlat: core %u %-6s min %lu median %lu p90 %lu max %lu mean %lu us\n", sys_core_id(),
           what, (unsigned long)(ns[0] / 1000), (unsigned long)(ns[n / 2] / 1000),
           (unsigned long)(ns[n * 9 / 10] / 1000), (unsigned long)(ns[n - 1] / 1000),
           (unsigned long)(sum / n / 1000));
}

static void do_getpid(void) { (void)getpid(); }

static void do_stat(void)
{
    struct stat st;
    (void)stat("/", &st);
}

static void do_yield(void) { sys_yield(); }

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 200;
    if (n == 0 || n > 1000000) {
        fprintf(stderr, "usage: reqlat [ROUNDS]  (1 to 1000000, 200 by default)\n");
        return 2;
    }
    uint64_t *ns = malloc(n * sizeof *ns);
    if (ns == NULL) {
        fprintf(stderr, "reqlat: no memory for %u rounds\n", n);
        return 1;
    }
    static const struct {
        const char *name;
        void (*fn)(void);
    } ops[] = {{"getpid", do_getpid}, {"stat", do_stat}, {"yield", do_yield}};
    for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        ops[k].fn(); /* the first opens the channel */
        for (unsigned i = 0; i < n; i++) {
            uint64_t start = sys_now_ns();
            ops[k].fn();
            ns[i] = sys_now_ns() - start;
        }
        show(ops[k].name, ns, n);
    }
    free(ns);
    return 0;
}
