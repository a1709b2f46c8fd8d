/* pm_fuzz.c — libFuzzer target: PM's handlers (servers/pm), every message of
 * the input from one of four clients (harness.h): init, its child, that
 * child's child, and a domain PM never started. An event message
 * (FUZZ_EVENT) carries a struct ns_death, as the monitor reports one. PM's
 * own source is included here so that its table and its handling of deaths
 * are the ones it runs; its spawns and kills reach no monitor and fail.
 * Run: build/host-fuzz/tests/servers/fuzz/pm_fuzz -max_total_time=60 */
#include "harness.h"

#define main pm_main
#include "pm.c"
#undef main

#include <stdlib.h>

/* Client i's process: init for 0, then each the child of the one before. */
static void the_clients_processes(void)
{
    for (struct proc *p; (p = proc_nth(2)) != NULL;)
        proc_free(p); /* all but init and PM, from the last input */
    int32_t parent = PID_INIT;
    for (unsigned i = 1; i < 3; i++) {
        struct proc *p = proc_alloc();
        if (p == NULL)
            abort();
        int32_t pid = p->pid;
        *p = (struct proc){.pid = pid,
                           .ppid = parent,
                           .core = i,
                           .domain = 100 + i,
                           .state = PM_RUNNING,
                           .name = "client"};
        parent = pid;
    }
}

static void death(const msg_t *m)
{
    struct ns_death d;
    memcpy(&d, m->payload, sizeof d < MSG_PAYLOAD_SIZE ? sizeof d : MSG_PAYLOAD_SIZE);
    on_death(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool started;
    if (!started) {
        /* init is domain 100 of core 0, client 0 of the harness. */
        char *argv[] = {"pm", "0.100", "any=1,2,3", NULL};
        (void)pm_main(3, argv); /* returns when it cannot serve: the harness serves */
        started = true;
    }
    the_clients_processes();
    fuzz_serve_input(&(struct fuzz_server){.srv = &pm, .event = death}, data, size);
    return 0;
}
