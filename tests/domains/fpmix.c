/* fpmix.c — long floating-point work, several of it on one core at once: each
 * instance sums i * k in doubles for its own k and checks the exact result (all
 * values stay below 2^53). Preemption happens mid-loop, so a CPU driver that
 * mixed up domains' floating-point registers would make a sum wrong. */
#include <stdbool.h>
#include <sys.h>

#define N 30000000ull

int main(void)
{
    uint64_t k = (sys_now_ns() >> 10) % 10 + 1; /* k * N * N / 2 stays below 2^53 */
    volatile double scale = (double)k;
    double sum = 0;
    for (uint64_t i = 1; i <= N; i++)
        sum += (double)i * scale;
    uint64_t want = k * N * (N + 1) / 2;
    bool ok = (uint64_t)sum == want;
    sys_printf("fpmix: k=%llu %s\n", (unsigned long long)k, ok ? "ok" : "WRONG SUM");
    return ok ? 0 : 1;
}
