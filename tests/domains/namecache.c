/* namecache — a core's monitor keeps the homes' answers for names served on
 * other cores, and drops one when its server ends.
 *   namecache LOOKUPS         the case, on any core: a server on the next core
 *                             serves a name; LOOKUPS lookups of it must ask the
 *                             name's home once and take the rest from the cache,
 *                             each giving a channel that works; after the server
 *                             is killed, the name must be unknown (not a channel
 *                             to where it was) and stay so without the cache;
 *                             exits 0 if all of that held
 *   namecache serve NAME      the server: answers each message with its core */
#include <chan.h>
#include <ns_calls.h>
#include <procs.h>
#include <signal.h>
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>

#define ASK        0x7101
#define GONE_NS    10000000000ull /* the news of the server's end may take a while */
#define CONNECT_NS 10000000000ull

static int serve(const char *name)
{
    capaddr_t ep, take;
    err_t err = slot_alloc(&ep);
    if (err == OK)
        err = slot_alloc(&take);
    if (err == OK)
        err = chan_register(name, 77, ep);
    if (err != OK) {
        printf("namecache: FAIL the server cannot register %s: %s\n", name, err_str(err));
        return 1;
    }
    struct chanset set = {0};
    for (;;) {
        msg_t m;
        struct chan *from;
        bool got_cap;
        if (chanset_recv(&set, &m, &from, take, &got_cap) != OK)
            return 1;
        if (from == NULL && m.type == NS_CONNECTED && got_cap) {
            struct chan *c = calloc(1, sizeof *c);
            if (c == NULL || chan_accept(&m, c, take) != OK || chanset_add(&set, c) != OK ||
                slot_alloc(&take) != OK) /* the channel owns the last one now */
                return 1;
        } else if (from != NULL && m.type == ASK) {
            msg_t r = {.type = ASK, .len = 4};
            *(uint32_t *)r.payload = sys_core_id();
            (void)chan_send(from, &r);
        }
    }
}

/* This core's monitor's lookup counts. */
static void counts(uint32_t *home, uint32_t *cached)
{
    struct ns_monstats_ask q = {.core = sys_core_id()};
    struct ns_monstats s;
    if (ns_monstats(&q, &s, 0, 0) != OK) {
        printf("namecache: FAIL this core's monitor did not say its counts\n");
        exit(1);
    }
    *home = s.lookups_home;
    *cached = s.lookups_cached;
}

/* A lookup of name whose channel answers from core; the lookup's error. */
static err_t lookup_and_ask(const char *name, unsigned core)
{
    struct chan c;
    err_t err = chan_lookup(name, &c);
    if (err != OK)
        return err;
    msg_t m = {.type = ASK}, r;
    err = chan_call(&c, &m, &r);
    if (err == OK && (r.type != ASK || *(const uint32_t *)r.payload != core)) {
        printf("namecache: FAIL the channel answered from elsewhere\n");
        err = ERR_INVAL;
    }
    chan_drop(&c);
    return err;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "serve") == 0)
        return serve(argv[2]);
    int lookups = argc == 2 ? atoi(argv[1]) : 0;
    unsigned here = sys_core_id(), cores = sys_core_count();
    if (lookups < 2 || cores < 2) {
        printf("namecache: usage: namecache LOOKUPS (2 or more, on 2 cores or more)\n");
        return 2;
    }
    unsigned there = (here + 1) % cores;
    char name[32];
    snprintf(name, sizeof name, "namecache.%u", here);
    char *args[] = {"namecache", "serve", name, NULL};
    pid_t pid = spawn_on((int)there, "namecache", args, NULL);
    struct chan first;
    if (pid < 0 || chan_lookup_wait(name, &first, CONNECT_NS) != OK) {
        printf("namecache: FAIL the server on core %u did not come\n", there);
        return 1;
    }
    chan_drop(&first);

    /* The wait above may have asked the home many times (while the name was
     * not there yet) and cached the last answer: count from here. */
    uint32_t home0, cached0, home1, cached1;
    counts(&home0, &cached0);
    int failed = 0;
    for (int i = 0; i < lookups; i++) {
        err_t err = lookup_and_ask(name, there);
        if (err != OK) {
            printf("namecache: FAIL lookup %d: %s\n", i, err_str(err));
            failed++;
        }
    }
    counts(&home1, &cached1);
    printf("namecache: %d lookups of a name on core %u: %u asked its home, %u from the cache\n",
           lookups, there, home1 - home0, cached1 - cached0);

    /* The server ends: the name must go from the cache with it. */
    int status;
    if (kill(pid, SIGKILL) != 0 || waitpid(pid, &status, 0) != pid) {
        printf("namecache: FAIL the server could not be killed\n");
        return 1;
    }
    uint64_t deadline = sys_now_ns() + GONE_NS;
    err_t err;
    while ((err = lookup_and_ask(name, there)) != ERR_NOENT && sys_now_ns() < deadline)
        sys_sleep_ns(10000000ull);
    counts(&home0, &cached0);
    err_t again = lookup_and_ask(name, there);
    counts(&home1, &cached1);
    printf("namecache: after the server ended: %s, then %s, %u from the cache\n", err_str(err),
           err_str(again), cached1 - cached0);
    return failed == 0 && err == ERR_NOENT && again == ERR_NOENT && cached1 == cached0 ? 0 : 1;
}
