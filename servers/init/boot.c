/* boot.c — what init asks of its monitor: the start of PM, and power-off. */
#include "init.h"

#include <archive.h>
#include <ns_calls.h>
#include <proc_abi.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

err_t start_pm(unsigned core, const char *any)
{
    struct cap_info me;
    capaddr_t args;
    uintptr_t va = 0;
    err_t err = cap_identify(CAP_SLOT_SELF, &me);
    if (err == OK)
        err = slot_alloc(&args);
    if (err == OK)
        err = va_alloc(SPAWN_BLOB_MAX, &va);
    if (err == OK)
        err = cap_retype(CAP_SLOT_RAM, args, CAP_FRAME, SPAWN_BLOB_MAX, NULL);
    if (err == OK)
        err = frame_map(args, va, 1);
    if (err != OK)
        return err;
    /* argv: pm INIT_CORE.INIT_DOMAIN any=... */
    struct spawn_blob *b = (struct spawn_blob *)va;
    char *s = b->strings;
    size_t room = SPAWN_BLOB_MAX - sizeof *b;
    int n1 = snprintf(s, room, "pm") + 1;
    int n2 = snprintf(s + n1, room - n1, "%u.%u", sys_core_id(), (unsigned)me.base) + 1;
    int n3 = snprintf(s + n1 + n2, room - n1 - n2, "%s", any) + 1;
    if ((size_t)(n1 + n2 + n3) > room)
        return ERR_RANGE; /* cut short: PM would read the wrong cores */
    b->argc = 3;
    b->envc = 0;
    b->bytes = (uint32_t)(n1 + n2 + n3);

    struct ns_spawn req = {.core = core, .module = "pm"};
    struct ns_spawned got;
    return ns_spawn(&req, &got, args, 0);
}

void monitor_poweroff(int status)
{
    err_t err = ns_poweroff(&(struct ns_poweroff){status}, NULL, 0, 0);
    printf("init: the monitor did not power off: %s\n", err_str(err));
}
