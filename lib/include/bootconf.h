/* bootconf.h — the boot configuration (platforms/<p>/boot.conf): which modules go
 * into the boot archive and, later, where each server is placed. One statement a
 * line, words separated by blanks, '#' starts a comment:
 *
 *   module NAME PATH    pack the host file PATH into the archive as NAME
 *   place NAME CORE     run domain NAME on core CORE (a number, or "any")
 *
 * The parser needs no allocator, so the CPU drivers and init can use it too. */
#ifndef BOOTCONF_H
#define BOOTCONF_H

#include <stddef.h>

#define BOOTCONF_MAX_MODULES 32
#define BOOTCONF_MAX_PLACES  32
#define BOOTCONF_NAME_MAX    32  /* including the NUL */
#define BOOTCONF_PATH_MAX    160 /* including the NUL */
#define BOOTCONF_CORE_ANY    (-1)

struct bootconf_module {
    char name[BOOTCONF_NAME_MAX];
    char path[BOOTCONF_PATH_MAX];
    int line;
};

struct bootconf_place {
    char name[BOOTCONF_NAME_MAX];
    int core; /* or BOOTCONF_CORE_ANY */
    int line;
};

struct bootconf {
    int module_count;
    struct bootconf_module modules[BOOTCONF_MAX_MODULES];
    int place_count;
    struct bootconf_place places[BOOTCONF_MAX_PLACES];
};

/* Parses len bytes of text. Returns 0, or the 1-based number of the first bad
 * line with *why set to a static description of what is wrong with it. */
int bootconf_parse(const char *text, size_t len, struct bootconf *conf, const char **why);

#endif
