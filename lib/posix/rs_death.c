/* rs_death.c — how a service died, in words, for RS's console lines and the
 * `service` utility alike. */
#include <proc_abi.h>
#include <proto/rs.h>
#include <stdio.h>

void rs_death_describe(const struct rs_death *d, char *buf, size_t cap)
{
    if (d->cause == DEATH_EXIT)
        snprintf(buf, cap, "exited with status %d", (int)d->status);
    else if (d->cause == DEATH_KILLED)
        snprintf(buf, cap, "killed by signal %u%s", (unsigned)d->signal,
                 d->missed ? " for missed heartbeats" : "");
    else
        snprintf(buf, cap, "%s at 0x%lx", death_cause_str(d->cause), (unsigned long)d->addr);
}
