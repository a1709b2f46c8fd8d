/* boot.c — what init asks of its monitor: the boot archive (a read-only frame
 * to read boot.conf and the module list from), the start of PM, power-off. */
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

static struct archive ar;

/* The boot archive's frame, mapped read-only at an address of its own. */
static err_t map_archive(const void **at, uint64_t *bytes)
{
    struct ns_archive got;
    capaddr_t slot;
    struct cap_info info;
    uintptr_t va = 0;
    err_t err = slot_alloc(&slot);
    if (err != OK)
        return err;
    err = ns_archive(NULL, &got, 0, slot);
    if (err == OK)
        err = cap_identify(slot, &info);
    if (err == OK)
        err = va_alloc(info.size, &va);
    if (err == OK)
        err = frame_map(slot, va, 0);
    if (err != OK)
        return err; /* init cannot go on: what it took stays taken */
    *at = (const void *)va;
    *bytes = got.bytes;
    return OK;
}

err_t archive_read_conf(struct bootconf *conf)
{
    const void *at;
    uint64_t bytes;
    err_t err = map_archive(&at, &bytes);
    if (err == OK)
        err = archive_open(&ar, at, bytes);
    struct archive_entry e;
    if (err == OK)
        err = archive_find(&ar, "boot.conf", &e);
    if (err != OK)
        return err;
    /* Tables as large as this configuration needs; init keeps them for good. */
    const char *text = (const char *)e.data;
    bootconf_count(text, e.size, conf);
    conf->modules = calloc(conf->module_cap + 1, sizeof *conf->modules);
    conf->places = calloc(conf->place_cap + 1, sizeof *conf->places);
    conf->services = calloc(conf->service_cap + 1, sizeof *conf->services);
    if (conf->modules == NULL || conf->places == NULL || conf->services == NULL)
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
