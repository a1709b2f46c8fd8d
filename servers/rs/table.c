/* table.c — RS's table of services: as many as boot.conf and `service up`
 * name. Each entry is allocated on its own, so that it never moves: the
 * server's loop holds the address of its channel. */
#include "rs.h"

#include <stdlib.h>
#include <string.h>

static struct service **all;
static unsigned count, cap;

unsigned services_count(void) { return count; }

struct service *service_at(unsigned i) { return i < count ? all[i] : NULL; }

struct service *service_named(const char *name)
{
    for (unsigned i = 0; i < count; i++) {
        if (strcmp(all[i]->conf.name, name) == 0)
            return all[i];
    }
    return NULL;
}

struct service *service_of_pid(int32_t pid)
{
    for (unsigned i = 0; i < count; i++) {
        if (all[i]->pid == pid && pid > 0)
            return all[i];
    }
    return NULL;
}

struct service *service_add(const struct bootconf_service *conf, int core)
{
    if (count == cap) {
        unsigned more = cap == 0 ? 8 : cap * 2;
        struct service **grown = realloc(all, more * sizeof *grown);
        if (grown == NULL)
            return NULL;
        all = grown;
        cap = more;
    }
    struct service *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->conf = *conf;
    s->core = core;
    s->state = RS_STOPPED;
    all[count++] = s;
    return s;
}
