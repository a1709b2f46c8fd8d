/* bootconf.h — the boot configuration (platforms/<p>/boot.conf): which modules go
 * into the boot archive and, later, where each server is placed. One statement a
 * line, words separated by blanks, '#' starts a comment:
 *
 *   module NAME PATH    pack the host file PATH into the archive as NAME
 *   program NAME PATH   put the host file PATH into the root image as /bin/NAME
 *                       (the build does; the system only checks the line)
 *   place NAME CORE     run domain NAME on core CORE (a number, or "any")
 *   service NAME KEY=VALUE...
 *                       NAME is a driver or server RS starts and watches:
 *     restart=always|never  whether RS starts it again when it dies (always)
 *     heartbeat=MS          RS pings it this often; two missed: restarted (0: no pings)
 *     limit=N               restarts in a row, each after a longer delay, before RS
 *                           gives up (BOOTCONF_LIMIT_DEFAULT)
 *     backoff=MS            the first of those delays; each next one doubles it
 *     registers=NAME        the name it serves under (for pings and `service`)
 *     devices=DEV,DEV...    the devices its monitor lets it take (console, bus)
 *     start=boot|manual     whether RS starts it at boot, or only when told (boot)
 *
 * The parser needs no allocator, so that any layer can use it: the caller
 * sizes the tables with bootconf_count and hands them in. */
#ifndef BOOTCONF_H
#define BOOTCONF_H

#include <proto/ns.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A module's name travels in spawn messages, so it is bounded by them. */
#define BOOTCONF_NAME_MAX NS_MODULE_MAX /* including the NUL */
#define BOOTCONF_CORE_ANY (-1)

struct bootconf_module {
    char name[BOOTCONF_NAME_MAX];
    const char *path; /* into the parsed text: path_len bytes, no NUL */
    size_t path_len;
    int line;
};

struct bootconf_place {
    char name[BOOTCONF_NAME_MAX];
    int core; /* or BOOTCONF_CORE_ANY */
    int line;
};

#define BOOTCONF_LIMIT_DEFAULT   5
#define BOOTCONF_BACKOFF_DEFAULT 100 /* ms */
#define BOOTCONF_DEVICES_MAX     64  /* devices=...'s list, including the NUL */

struct bootconf_service {
    char name[BOOTCONF_NAME_MAX];      /* its module */
    char registers[BOOTCONF_NAME_MAX]; /* "" if it serves no name */
    char devices[BOOTCONF_DEVICES_MAX];
    bool restart;
    bool manual;           /* start=manual */
    uint32_t heartbeat_ms; /* 0: none */
    uint32_t limit;
    uint32_t backoff_ms;
    int line;
};

/* The caller fills in the tables and their capacities; the parser the counts. */
struct bootconf {
    struct bootconf_module *modules;
    size_t module_cap, module_count;
    struct bootconf_place *places;
    size_t place_cap, place_count;
    struct bootconf_service *services;
    size_t service_cap, service_count;
};

/* How many module, place and service lines the text has: the table sizes
 * that bootconf_parse needs for it (the caps of conf). Never fails; bad lines
 * are parse's to report. */
void bootconf_count(const char *text, size_t len, struct bootconf *conf);

/* The service entry of name, or NULL. */
const struct bootconf_service *bootconf_service(const struct bootconf *conf, const char *name);
/* Whether the service may take device (a word of its devices= list). */
bool bootconf_service_has_device(const struct bootconf_service *s, const char *device);

/* Parses len bytes of text. Returns 0, or the 1-based number of the first bad
 * line with *why set to a static description of what is wrong with it (a
 * table smaller than bootconf_count said is one). */
int bootconf_parse(const char *text, size_t len, struct bootconf *conf, const char **why);

#endif
