/* bootconf.h — the boot configuration (platforms/<p>/boot.conf): which modules go
 * into the boot archive and, later, where each server is placed. One statement a
 * line, words separated by blanks, '#' starts a comment:
 *
 *   module NAME PATH    pack the host file PATH into the archive as NAME
 *   place NAME CORE     run domain NAME on core CORE (a number, or "any")
 *
 * The parser needs no allocator, so that any layer can use it: the caller
 * sizes the tables with bootconf_count and hands them in. */
#ifndef BOOTCONF_H
#define BOOTCONF_H

#include <proto/ns.h>
#include <stddef.h>

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

/* The caller fills in the tables and their capacities; the parser the counts. */
struct bootconf {
    struct bootconf_module *modules;
    size_t module_cap, module_count;
    struct bootconf_place *places;
    size_t place_cap, place_count;
};

/* How many module and place lines the text has: the table sizes that
 * bootconf_parse needs for it. Never fails; bad lines are parse's to report. */
void bootconf_count(const char *text, size_t len, size_t *modules, size_t *places);

/* Parses len bytes of text. Returns 0, or the 1-based number of the first bad
 * line with *why set to a static description of what is wrong with it (a
 * table smaller than bootconf_count said is one). */
int bootconf_parse(const char *text, size_t len, struct bootconf *conf, const char **why);

#endif
