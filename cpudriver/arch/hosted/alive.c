/* alive.c — a report that bypasses the console. SIGUSR2 to the boot core's
 * process makes every core's kernel write one line straight to standard
 * output:
 *
 *     hosted: core K: N requests served since the last ask
 *
 * so that a tool driving the system (tools/faultinject) can tell a console
 * that stopped answering from a system that stopped: RS's heartbeats alone
 * keep some core serving requests every second. */
#include "hosted.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t asked;
static uint64_t served;
static pid_t cores[MAX_CORES]; /* the boot core's: each other core's process */

static void on_ask(int sig)
{
    (void)sig;
    asked = 1;
    hosted_ring(boot_self()->id); /* async-signal-safe: an atomic add and a futex wake */
}

void hosted_alive_start(void)
{
    struct sigaction sa = {.sa_handler = on_ask, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR2, &sa, NULL);
}

void hosted_alive_core(coreid_t core, pid_t pid)
{
    if (core < MAX_CORES)
        cores[core] = pid;
}

void hosted_alive_served(void) { served++; }

void hosted_alive_poll(void)
{
    if (!asked)
        return;
    asked = 0;
    if (boot_self()->id == 0) {
        for (coreid_t c = 1; c < MAX_CORES; c++)
            if (cores[c] > 0)
                kill(cores[c], SIGUSR2);
    }
    char line[96];
    int n = snprintf(line, sizeof line,
                     "\r\nhosted: core %u: %lu requests served since the last ask\r\n",
                     boot_self()->id, (unsigned long)served);
    served = 0;
    if (n > 0)
        (void)!write(STDOUT_FILENO, line, (size_t)n); /* one write: whole among other lines */
}
