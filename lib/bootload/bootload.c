/* bootload.c — boot.conf from the boot archive (bootload.h). */
#include <archive.h>
#include <bootload.h>
#include <ns_calls.h>
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
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
        return err; /* the caller cannot go on: what it took stays taken */
    *at = (const void *)va;
    *bytes = got.bytes;
    return OK;
}

err_t bootload_conf(struct bootconf *conf)
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
        printf("boot.conf:%d: %s\n", line, why);
        return ERR_INVAL;
    }
    return OK;
}

bool bootload_has(const char *name)
{
    struct archive_entry e;
    return archive_find(&ar, name, &e) == OK;
}
