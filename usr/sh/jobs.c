/* jobs.c — the background processes the shell has not waited for. */
#include "sh.h"

#include <string.h>

#define JOBS_MAX 64

static struct {
    pid_t pid;
    char name[32];
} jobs[JOBS_MAX];

void jobs_add(pid_t pid, const char *name)
{
    for (int i = 0; i < JOBS_MAX; i++) {
        if (jobs[i].pid == 0) {
            jobs[i].pid = pid;
            strncpy(jobs[i].name, name, sizeof jobs[i].name - 1);
            return;
        }
    }
}

void jobs_remove(pid_t pid)
{
    for (int i = 0; i < JOBS_MAX; i++) {
        if (jobs[i].pid == pid)
            jobs[i].pid = 0;
    }
}

const char *jobs_name(pid_t pid)
{
    for (int i = 0; i < JOBS_MAX; i++) {
        if (jobs[i].pid == pid)
            return jobs[i].name;
    }
    return "process";
}

int jobs_count(void)
{
    int n = 0;
    for (int i = 0; i < JOBS_MAX; i++)
        n += jobs[i].pid != 0;
    return n;
}
