/* scalebench [DEGREE] — the monitors' figures at this machine's core count,
 * one `scale:` line each, read by tools/bench scaling:
 *
 *   boot     when the last monitor came up, and the memory monitors hold;
 *   bcast    a message that must reach every core and be acknowledged, by
 *            unicast from this core and down a tree of DEGREE (default 4);
 *   name     registering a name (its home decides) and a lookup that asks
 *            the name's home (a miss: one round trip); their messages are
 *            those of all REPS names, whose homes are spread over the cores;
 *   spawn    `true` started on every core at once, waited for.
 *
 * Times are the guest's clock (emulated under QEMU's TCG); messages between
 * monitors are exact: counted by every monitor, read before and after each
 * measure, less what reading them costs. Each measure runs once unmeasured
 * first, so that channels made on first use are not counted in it. */
#include <chan.h>
#include <ns_calls.h>
#include <procs.h>
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>

#define REPS       20
#define SPAWN_REPS 3

static unsigned ncores;

/* Messages sent by every monitor so far; *boot_ns and *kib the boot figures. */
static uint64_t messages(uint64_t *boot_ns, uint64_t *kib)
{
    uint64_t sent = 0;
    for (unsigned c = 0; c < ncores; c++) {
        struct ns_monstats_ask q = {.core = c};
        struct ns_monstats s;
        if (ns_monstats(&q, &s, 0, 0) != OK) {
            printf("scalebench: core %u did not say its counts\n", c);
            exit(1);
        }
        sent += s.sent;
        if (boot_ns != NULL && s.up_ns > *boot_ns)
            *boot_ns = s.up_ns;
        if (kib != NULL)
            *kib += s.memory_kib;
    }
    return sent;
}

static uint64_t reading_cost; /* messages one call of messages() sends */

static uint64_t since(uint64_t before) { return messages(NULL, NULL) - before - reading_cost; }

static void bcast(uint32_t mode, uint32_t degree)
{
    struct ns_broadcast q = {.mode = mode, .degree = degree};
    struct ns_broadcast_done d;
    if (ns_broadcast(&q, &d, 0, 0) != OK) { /* once unmeasured */
        printf("scalebench: the broadcast failed\n");
        exit(1);
    }
    uint64_t before = messages(NULL, NULL), t0 = sys_now_ns();
    for (int r = 0; r < REPS; r++) {
        if (ns_broadcast(&q, &d, 0, 0) != OK || d.cores != ncores) {
            printf("scalebench: a broadcast reached %u of %u cores\n", d.cores, ncores);
            exit(1);
        }
    }
    uint64_t t = (sys_now_ns() - t0) / REPS, counted = since(before) / REPS;
    if (counted != d.messages)
        printf("scalebench: the monitors counted %lu messages a broadcast, it said %u\n",
               (unsigned long)counted, d.messages);
    printf("scale: bcast mode=%s reps=%d mean_us=%lu messages=%u rounds=%u root_sends=%u\n",
           mode == NS_BCAST_TREE ? "tree" : "unicast", REPS, (unsigned long)(t / 1000), d.messages,
           d.rounds, d.root_sends);
}

static err_t register_name(int i)
{
    char name[NS_NAME_MAX];
    snprintf(name, sizeof name, "scale.%d", i);
    capaddr_t ep;
    err_t err = slot_alloc(&ep);
    return err == OK ? chan_register(name, 1, ep) : err;
}

static err_t lookup_miss(int i)
{
    char name[NS_NAME_MAX];
    snprintf(name, sizeof name, "scale.none.%d", i);
    struct chan c;
    err_t err = chan_lookup(name, &c);
    return err == ERR_NOENT ? OK : (err == OK ? ERR_EXIST : err);
}

static void names(const char *op, err_t (*fn)(int))
{
    if (fn(-1) != OK) { /* once unmeasured */
        printf("scalebench: name %s failed\n", op);
        exit(1);
    }
    uint64_t before = messages(NULL, NULL), t0 = sys_now_ns();
    for (int i = 0; i < REPS; i++) {
        err_t err = fn(i);
        if (err != OK) {
            printf("scalebench: name %s %d: %s\n", op, i, err_str(err));
            exit(1);
        }
    }
    uint64_t t = (sys_now_ns() - t0) / REPS, counted = since(before);
    /* All the reps' messages: the names' homes are spread over the cores. */
    printf("scale: name op=%s reps=%d mean_us=%lu messages=%lu\n", op, REPS,
           (unsigned long)(t / 1000), (unsigned long)counted);
}

static void spawn_everywhere(void)
{
    char *args[] = {"true", NULL};
    for (unsigned c = 0; c < ncores; c++) {
        if (spawn_on((int)c, "true", args, NULL) < 0) {
            printf("scalebench: cannot start true on core %u\n", c);
            exit(1);
        }
    }
    for (unsigned c = 0; c < ncores; c++) {
        int status;
        if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            printf("scalebench: a true did not exit with 0\n");
            exit(1);
        }
    }
}

int main(int argc, char **argv)
{
    uint32_t degree = argc > 1 ? (uint32_t)atoi(argv[1]) : 4;
    if (degree < 1) {
        printf("usage: scalebench [DEGREE >= 1]\n");
        return 2;
    }
    ncores = sys_core_count();
    printf("scale: cores=%u degree=%u\n", ncores, degree);
    uint64_t boot_ns = 0, kib = 0;
    (void)messages(&boot_ns, &kib);
    uint64_t first = messages(NULL, NULL);
    reading_cost = messages(NULL, NULL) - first;
    printf("scale: boot up_ms=%lu monitors_kib=%lu\n", (unsigned long)(boot_ns / 1000000),
           (unsigned long)kib);
    bcast(NS_BCAST_UNICAST, 0);
    bcast(NS_BCAST_TREE, degree);
    names("register", register_name);
    names("lookup", lookup_miss);
    spawn_everywhere(); /* once unmeasured */
    uint64_t before = messages(NULL, NULL), t0 = sys_now_ns();
    for (int r = 0; r < SPAWN_REPS; r++)
        spawn_everywhere();
    uint64_t t = (sys_now_ns() - t0) / SPAWN_REPS, counted = since(before);
    printf("scale: spawn reps=%d mean_us=%lu messages=%lu\n", SPAWN_REPS, (unsigned long)(t / 1000),
           (unsigned long)(counted / SPAWN_REPS));
    printf("scale: done\n");
    return 0;
}
