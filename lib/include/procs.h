/* procs.h — what programs can ask of the process manager beyond POSIX:
 * starting a program on a chosen core, and reading the process table. Both
 * set errno and return -1 on failure, like the POSIX calls. */
#ifndef PROCS_H
#define PROCS_H

#include <proto/pm.h>
#include <sys/types.h>

#define CORE_ANY PM_CORE_ANY

/* Starts prog (a boot-archive module) on core (or CORE_ANY) with argv and
 * envp (NULL: this process's environment); returns the child's pid. */
pid_t spawn_on(int core, const char *prog, char *const argv[], char *const envp[]);
/* The index-th entry of the process table; -1 with ESRCH past the last. */
int ps_entry(unsigned index, struct pm_proc *out);

/* Connects to the console driver the environment names (CONSOLE) now rather
 * than at the first read or write; -1 with ENODEV if there is none. */
int console_connect(void);
/* Returns once everything written so far, the kernel's lines included, has
 * left the console (before a power-off). */
int console_sync(void);
/* Tells PM which process Ctrl-C on the console interrupts (0: none): a
 * descendant of the caller, or -1 with EPERM. */
int console_set_foreground(pid_t pid);
/* Takes back the frame granted to the console driver (_exit's: memory
 * exported and then only deleted would stay claimed). */
void console_end(void);
/* The same for the frame granted to PM for spawns' arguments. */
void pm_end(void);

#endif
