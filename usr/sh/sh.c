/* sh.c — the shell: runs programs of the boot archive as processes (PM puts
 * each on a core, or `@CORE` names one), alone or as pipelines `a | b | c`,
 * with their input and output redirected to files (`<`, `>`, `>>`, `2>`,
 * `2>&1`) and `*`/`?` words globbed, in the foreground or with `&` in the
 * background; it keeps the last status in $? (and the last background pid in
 * $!). Built-ins: exit, wait, kill, cd, pwd, help. `sh -c 'CMD; CMD'` runs
 * commands without a terminal (tests use it). The language is parse.c's, the
 * running run.c's. */
#include "sh.h"

#include <errno.h>
#include <procs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A failed read of the console is tried again, 100 ms apart, for 10 s. */
#define READ_RETRIES  100
#define READ_RETRY_US 100000

static struct sh_state sh;

/* Runs a line: commands separated by ';'. */
static void run_line(char *line)
{
    char *rest = line;
    for (char *cmd; (cmd = next_command(&rest)) != NULL;) {
        struct parse_env env = {.status = sh.status, .last_bg = sh.last_bg, .glob = glob_expand};
        struct pipeline pl;
        const char *why = parse_pipeline(cmd, &env, &pl);
        if (why != NULL) {
            printf("sh: %s\n", why);
            sh.status = 2;
        } else if (pl.count > 0) {
            sh.status = pipeline_run(&pl, &sh);
        }
        pipeline_free(&pl);
    }
}

int main(int argc, char **argv)
{
    /* A line at a time: each write is a message to the console driver. */
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
    setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
    if (argc > 2 && strcmp(argv[1], "-c") == 0) {
        run_line(argv[2]);
        return sh.status;
    }
    printf("sh: type help for the commands\n");
    char *line = NULL;
    size_t cap = 0;
    unsigned failed = 0;
    for (;;) {
        printf("$ ");
        fflush(stdout);
        long len = console_read_line(&line, &cap);
        if (len == -3 && ++failed <= READ_RETRIES) {
            /* The console driver failed the read: one that went wrong without
             * dying is ended by RS and started again within seconds. Not the
             * end of input, which would end the shell and the system. */
            if (failed == 1)
                fprintf(stderr, "sh: reading the console: %s; trying again\n", strerror(errno));
            usleep(READ_RETRY_US);
            continue;
        }
        failed = 0;
        if (len == -2) {
            printf("sh: line too long for memory; ignored\n");
            sh.status = 2;
            continue;
        }
        if (len < 0) {
            printf("\nsh: end of input%s\n",
                   console_connect() != 0 ? " (no console driver in this system)" : "");
            free(line);
            return sh.status;
        }
        run_line(line);
    }
}
