/* names.c — the name service this monitor offers the domains of its core over
 * LMP (proto/ns.h). Names are checked (NUL-terminated, not empty, not taken);
 * a bad request gets an error reply, never a crash. */
#include "monitor.h"

#include <lmp.h>
#include <proto/ns.h>
#include <string.h>
#include <sys.h>

#define NS_MAX 32

static struct {
    char name[NS_NAME_MAX];
    capaddr_t slot; /* the published endpoint, in this monitor's space */
} names[NS_MAX];
static capaddr_t take; /* where a capability that comes with a request lands */

capaddr_t names_take_slot(void)
{
    if (take == 0)
        take = mon_slot();
    return take;
}

static int find(const char *name)
{
    for (int i = 0; i < NS_MAX; i++) {
        if (names[i].slot != 0 && strcmp(names[i].name, name) == 0)
            return i;
    }
    return -1;
}

static err_t do_register(const char *name, bool got_cap)
{
    struct cap_info info;
    if (!got_cap || cap_identify(take, &info) != OK || info.type != CAP_ENDPOINT)
        return ERR_INVAL;
    if (find(name) >= 0)
        return ERR_INVAL; /* taken */
    for (int i = 0; i < NS_MAX; i++) {
        if (names[i].slot != 0)
            continue;
        capaddr_t slot = mon_slot();
        if (slot == 0 || cap_copy(take, slot, CAP_RIGHTS_ALL) != OK)
            return ERR_NOSPACE;
        memcpy(names[i].name, name, NS_NAME_MAX);
        names[i].slot = slot;
        return OK;
    }
    return ERR_NOMEM;
}

void names_handle(const msg_t *m, uint32_t badge, bool got_cap)
{
    const struct ns_name *req = msg_payload_const(m, struct ns_name);
    msg_t r = {.type = OK};
    capaddr_t give = 0;
    err_t err = OK;
    size_t len = strnlen(req->name, NS_NAME_MAX);
    if (m->type != NS_REGISTER && m->type != NS_LOOKUP)
        err = ERR_NOSYS;
    else if (len == 0 || len == NS_NAME_MAX)
        err = ERR_INVAL; /* empty, or no terminator */
    else if (m->type == NS_REGISTER)
        err = do_register(req->name, got_cap);
    else {
        int i = find(req->name);
        err = i < 0 ? ERR_NOENT : OK;
        give = i < 0 ? 0 : names[i].slot;
    }
    if (got_cap)
        (void)cap_delete(take);
    if (err != OK)
        sys_printf("monitor %u: name service: request %u from domain %u refused: %s\n", mon.core,
                   m->type, badge, err_str(err));
    r.type = (uint16_t)err;
    (void)lmp_reply(&r, give);
}
