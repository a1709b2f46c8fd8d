/* bootload.h — the boot configuration as a program reads it while the system
 * runs: boot.conf from the boot archive, which the monitor lends read-only
 * (init reads the placement from it, RS its service table). For programs on
 * the C library. */
#ifndef BOOTLOAD_H
#define BOOTLOAD_H

#include <bootconf.h>
#include <err.h>
#include <stdbool.h>

/* Maps the boot archive and parses its boot.conf into tables as large as it
 * needs (kept for good); a bad line is printed with its number. */
MUST_CHECK err_t bootload_conf(struct bootconf *conf);
/* Whether the boot archive holds module name (after bootload_conf). */
bool bootload_has(const char *name);

#endif
