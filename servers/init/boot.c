/* boot.c — what init asks of its monitor: the boot archive (a read-only frame
 * to read boot.conf and the module list from), the start of PM, power-off. */
#include "init.h"

#include <archive.h>
#include <lmp.h>
#include <proc_abi.h>
#include <proto/ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#define ARCHIVE_SLOT 10
#define ARCHIVE_VA   0x50000000ul
#define ARGS_SLOT    11
#define ARGS_VA      0x48000000ul

static struct archive ar;

err_t archive_read_conf(struct bootconf *conf)
{
    msg_t m = {.type = NS_ARCHIVE}, r;
    err_t err = lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, ARCHIVE_SLOT);
    if (err == OK)
        err = (err_t)r.type;
    if (err == OK)
        err = frame_map(ARCHIVE_SLOT, ARCHIVE_VA, 0);
    if (err == OK)
        err = archive_open(&ar, (const void *)ARCHIVE_VA, *msg_payload(&r, uint64_t));
    struct archive_entry e;
    if (err == OK)
        err = archive_find(&ar, "boot.conf", &e);
    if (err != OK)
        return err;
    /* Tables as large as this configuration needs; init keeps them for good. */
    const char *text = (const char *)e.data;
    bootconf_count(text, e.size, &conf->module_cap, &conf->place_cap);
    conf->modules = calloc(conf->module_cap + 1, sizeof *conf->modules);
    conf->places = calloc(conf->place_cap + 1, sizeof *conf->places);
    if (conf->modules == NULL || conf->places == NULL)
        return ERR_NOMEM;
    const char *why;
    int line = bootconf_parse(text, e.size, conf, &why);
    if (line != 0) {
        printf("init: boot.conf:%d: %s\n", line, why);
        return ERR_INVAL;
    }
    return OK;
}

bool archive_has(const char *name)
{
    struct archive_entry e;
    return archive_find(&ar, name, &e) == OK;
}

err_t start_pm(unsigned core, const char *any)
{
    struct cap_info me;
    err_t err = cap_identify(CAP_SLOT_SELF, &me);
    if (err == OK)
        err = cap_retype(CAP_SLOT_RAM, ARGS_SLOT, CAP_FRAME, SPAWN_BLOB_MAX, NULL);
    if (err == OK)
        err = frame_map(ARGS_SLOT, ARGS_VA, 1);
    if (err != OK)
        return err;
    /* argv: pm INIT_CORE.INIT_DOMAIN any=... */
    struct spawn_blob *b = (struct spawn_blob *)ARGS_VA;
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

    msg_t m = {.type = NS_SPAWN}, r;
    struct ns_spawn *req = msg_payload(&m, struct ns_spawn);
    req->core = core;
    strcpy(req->module, "pm");
    err = lmp_call(CAP_SLOT_MONITOR, &m, &r, ARGS_SLOT, 0);
    return err == OK ? (err_t)r.type : err;
}

void monitor_poweroff(int status)
{
    msg_t m = {.type = NS_POWEROFF}, r;
    msg_payload(&m, struct ns_poweroff)->status = status;
    err_t err = lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, 0);
    if (err == OK)
        err = (err_t)r.type;
    printf("init: the monitor did not power off: %s\n", err_str(err));
}
