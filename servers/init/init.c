/* init.c — the first process. Monitor 0 starts it once every core's monitor
 * is up. It reads the boot configuration from the boot archive, starts PM and
 * then RS (the reincarnation server, which starts every driver and server of
 * the service table and keeps them alive), then the program the kernel
 * command line gives (run=PROG,ARG,...) or else the shell, and powers the
 * machine off with that program's exit status when it ends (128 + the signal
 * if one ended it, 127 if it cannot be started). If RS dies, init starts it
 * again, and the new RS adopts the services still running. */
#include "init.h"

#include <bootload.h>

#include <errno.h>
#include <procs.h>
#include <proto/console.h>
#include <proto/rs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>

#define EXIT_NO_PROGRAM 127

static struct bootconf conf;

__attribute__((noreturn)) static void poweroff(int status)
{
    fflush(stdout);
    (void)console_sync(); /* the last lines, and the kernel's, are out before the end */
    monitor_poweroff(status);
    exit(status); /* only if monitor 0 refused */
}

/* Where name runs: its place line, or fallback; a core that is not online
 * means core 0. */
static int core_of(const char *name, int fallback)
{
    int core = fallback;
    for (size_t i = 0; i < conf.place_count; i++) {
        if (strcmp(conf.places[i].name, name) == 0)
            core = conf.places[i].core;
    }
    if (core != BOOTCONF_CORE_ANY && (unsigned)core >= sys_core_count())
        core = 0;
    return core;
}

/* The cores no place line names: where PM puts programs it may choose for,
 * as PM's argument "any=C,C,...". NULL if there is no memory for it. */
static char *free_cores(void)
{
    unsigned cores = sys_core_count();
    bool *named = calloc(cores, sizeof *named);
    size_t cap = sizeof "any=" + (size_t)cores * sizeof "4294967295,";
    char *out = malloc(cap);
    if (named == NULL || out == NULL) {
        free(named);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < conf.place_count; i++) {
        if (conf.places[i].core >= 0 && (unsigned)conf.places[i].core < cores)
            named[conf.places[i].core] = true;
    }
    size_t n = (size_t)snprintf(out, cap, "any=");
    for (unsigned c = 0; c < cores; c++) {
        if (!named[c])
            n += (size_t)snprintf(out + n, cap - n, "%s%u", out[n - 1] == '=' ? "" : ",", c);
    }
    free(named);
    return out;
}

/* RS: started first of the services, on its place line's core; it starts
 * the rest. 0 if there is none (then there are no drivers). */
static pid_t start_rs(void)
{
    if (!bootload_has(RS_NAME)) {
        printf("init: no %s in the boot archive: no drivers or servers are started\n", RS_NAME);
        return 0;
    }
    pid_t pid = spawn_on(core_of(RS_NAME, 0), RS_NAME, NULL, NULL);
    if (pid < 0) {
        printf("init: cannot start %s: %s\n", RS_NAME, strerror(errno));
        return 0;
    }
    return pid;
}

/* Everything after this (init's own lines too) goes through the console
 * driver once RS has it up: the processes init starts find it by the name
 * in their environment. Without it, output goes through the kernel. */
static void use_console(void)
{
    const struct bootconf_service *serial = bootconf_service(&conf, "serial");
    if (serial == NULL || serial->registers[0] == '\0' || !bootload_has("serial"))
        return;
    setenv(CONSOLE_ENV, serial->registers, 1);
    if (console_connect() != 0) {
        unsetenv(CONSOLE_ENV);
        printf("init: the console driver did not come up; output goes through the kernel\n");
    }
}

/* RS ended: started again, unless it keeps dying at once. */
#define RS_QUICK_NS     1000000000ull
#define RS_QUICK_DEATHS 5

static pid_t rs_pid;
static uint64_t rs_started_ns;
static unsigned rs_quick_deaths;

static void restart_rs(int status)
{
    uint64_t lived = sys_now_ns() - rs_started_ns;
    rs_quick_deaths = lived < RS_QUICK_NS ? rs_quick_deaths + 1 : 0;
    const char *how = WIFSIGNALED(status) ? "killed by signal" : "exited with status";
    int code = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
    if (rs_quick_deaths >= RS_QUICK_DEATHS) {
        printf("init: rs (pid %d) %s %d, %u times in a row within a second: not restarted\n",
               (int)rs_pid, how, code, rs_quick_deaths);
        rs_pid = 0;
        return;
    }
    pid_t old = rs_pid;
    rs_pid = start_rs();
    rs_started_ns = sys_now_ns();
    printf("init: rs (pid %d) %s %d; restarted as pid %d\n", (int)old, how, code, (int)rs_pid);
}

/* Waits until pid ends (reaping any orphan that ends meanwhile); its status
 * as tools/run reports it. */
static int wait_for(pid_t pid)
{
    for (;;) {
        int status;
        pid_t got = wait(&status);
        if (got < 0) {
            printf("init: wait: %s\n", strerror(errno));
            return 1;
        }
        if (got == rs_pid && rs_pid != 0)
            restart_rs(status);
        if (got != pid)
            continue;
        return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    }
}

int main(void)
{
    err_t err = bootload_conf(&conf);
    if (err != OK) {
        printf("init: cannot read boot.conf from the boot archive: %s\n", err_str(err));
        poweroff(1);
    }
    char *any = free_cores();
    if (any == NULL) {
        printf("init: no memory for PM's arguments\n");
        poweroff(1);
    }
    int pm_core = core_of("pm", sys_core_count() > 1 ? 1 : 0);
    if (pm_core == BOOTCONF_CORE_ANY)
        pm_core = 0;
    if ((err = start_pm((unsigned)pm_core, any)) != OK) {
        printf("init: cannot start pm on core %d: %s\n", pm_core, err_str(err));
        poweroff(1);
    }
    rs_pid = start_rs();
    rs_started_ns = sys_now_ns();
    use_console();

    static char *run[RUN_ARGS_MAX + 1];
    bool have_run = cmdline_run(run, RUN_ARGS_MAX);
    int core = have_run ? CORE_ANY : core_of("sh", 0);
    char *shell[] = {"sh", NULL};
    char **argv = have_run ? run : shell;
    pid_t pid = spawn_on(core, argv[0], argv, NULL);
    if (pid < 0) {
        int e = errno;
        printf("init: cannot start %s: %s\n", argv[0], strerror(e));
        poweroff(e == ENOENT ? EXIT_NO_PROGRAM : 1);
    }
    int status = wait_for(pid);
    if (!have_run)
        printf("init: the shell ended (status %d); powering off\n", status);
    poweroff(status);
}
