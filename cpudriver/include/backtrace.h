/* backtrace.h — the call chain of a panic or of a faulting domain, for the
 * report: one line per frame, "PREFIX bt #N PC MODULE+OFFSET", which tools/run
 * turns into function, file and line from the module's ELF file. */
#ifndef BACKTRACE_H
#define BACKTRACE_H

#include "kernel.h"

struct dispatcher;

/* The kernel's chain: pc first (if not 0), then the return addresses found
 * from frame pointer fp, as long as the frames lie on this core's kernel stack
 * and return into kernel text. Reads nothing else. */
void backtrace_kernel(const char *prefix, lvaddr_t pc, lvaddr_t fp);

/* A domain's chain, from its pc and frame pointer: its memory is read only
 * through uaccess_copy_in, so a broken chain ends the walk, never the kernel. */
void backtrace_user(const char *prefix, struct dispatcher *d, uvaddr_t pc, uvaddr_t fp);

#endif
