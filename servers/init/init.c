/* init.c — the first process. Monitor 0 starts it once every core's monitor
 * is up. It reads the boot configuration from the boot archive, starts PM and
 * the servers and drivers on the cores their `place` lines name, then the
 * program the kernel command line gives (run=PROG,ARG,...) or else the shell,
 * and powers the machine off with that program's exit status when it ends
 * (128 + the signal if one ended it, 127 if it cannot be started). */
#include "init.h"

#include <errno.h>
#include <procs.h>
#include <proto/console.h>
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

/* The console driver first, so that everything after it (init's own lines
 * too) writes through it: the processes init starts find it by the name in
 * their environment. Without it, output goes through the kernel. */
static void start_console(void)
{
    if (!archive_has("serial"))
        return;
    pid_t pid = spawn_on(core_of("serial", 0), "serial", NULL, NULL);
    if (pid < 0) {
        printf("init: cannot start serial: %s\n", strerror(errno));
        return;
    }
    setenv(CONSOLE_ENV, CONSOLE_NAME, 1);
    if (console_connect() != 0) {
        unsetenv(CONSOLE_ENV);
        printf("init: the console driver did not come up; output goes through the kernel\n");
    }
}

/* The servers and drivers of the place lines that have a module, but for
 * init, PM (already up), the console driver and the shell (last). */
static void start_servers(void)
{
    for (size_t i = 0; i < conf.place_count; i++) {
        const char *name = conf.places[i].name;
        if (strcmp(name, "init") == 0 || strcmp(name, "pm") == 0 || strcmp(name, "sh") == 0 ||
            strcmp(name, "serial") == 0)
            continue;
        if (!archive_has(name))
            continue; /* a server of a later release (fs, net) */
        int core = core_of(name, BOOTCONF_CORE_ANY);
        pid_t pid = spawn_on(core, name, NULL, NULL);
        if (pid < 0)
            printf("init: cannot start %s: %s\n", name, strerror(errno));
    }
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
        if (got != pid)
            continue;
        return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    }
}

int main(void)
{
    err_t err = archive_read_conf(&conf);
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
    start_console();
    start_servers();

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
