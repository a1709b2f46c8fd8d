/* jobs.c — the background processes the shell has not waited for. The table
 * grows with them: a background pipeline adds a job per stage. */
#include "sh.h"

#include <stdlib.h>
#include <string.h>

static struct job {
    pid_t pid; /* 0: a free entry */
    char *name;
} * jobs;
static int njobs;

void jobs_add(pid_t pid, const char *name)
{
    int i = 0;
    while (i < njobs && jobs[i].pid != 0)
        i++;
    if (i == njobs) {
        int cap = njobs == 0 ? 16 : 2 * njobs;
        struct job *grown = realloc(jobs, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return; /* unlisted: a bare `wait` may return before it ends */
        memset(grown + njobs, 0, (size_t)(cap - njobs) * sizeof *grown);
        jobs = grown;
        njobs = cap;
    }
    jobs[i].pid = pid;
    jobs[i].name = strdup(name);
}

void jobs_remove(pid_t pid)
{
    for (int i = 0; i < njobs; i++) {
        if (jobs[i].pid == pid) {
            jobs[i].pid = 0;
            free(jobs[i].name);
            jobs[i].name = NULL;
        }
    }
}

const char *jobs_name(pid_t pid)
{
    for (int i = 0; i < njobs; i++) {
        if (jobs[i].pid == pid && jobs[i].name != NULL)
            return jobs[i].name;
    }
    return "process";
}

int jobs_count(void)
{
    int n = 0;
    for (int i = 0; i < njobs; i++)
        n += jobs[i].pid != 0;
    return n;
}
