/* syscalls.c — what newlib asks of its system (it is built without its own
 * system calls): starting and exiting, sleeping; the heap is heap.c's.
 * Descriptors are fd.c's, the file calls go to FS (files.c, dir.c), the
 * console's to its driver (console.c), the process calls to PM (pm_calls.c). */
#include "posix.h"

#include <errno.h>
#include <procs.h>
#include <slot_alloc.h>
#include <stdint.h>
#include <stdio.h>
#include <sys.h>
#include <sys/stat.h>
#include <unistd.h>
#include <va_layout.h>

/* errno is newlib's per-thread one (<errno.h>): the reentrant wrappers leave
 * it alone when a call sets it, and calls made directly see it too. */

/* These are here, with _exit and the start, because newlib's stdio calls
 * them: a program that uses stdio links this file, and with it __crt_exit,
 * which flushes stdio at the end (lib/sys has a weak one that does not). */
int _close(int fd) { return fd_close(fd); }
int close(int fd) __attribute__((alias("_close")));
int _isatty(int fd) { return fd_isatty(fd); }
int isatty(int fd) __attribute__((alias("_isatty")));

void _exit(int status)
{
    console_end();
    pm_end();
    fs_end();
    sys_exit(status);
}

/* crt0 ends a program through __crt_exit; with newlib that is exit(), which
 * flushes stdio and runs atexit handlers first. */
void exit(int status);
void __crt_exit(int status) { exit(status); }

/* crt0 hands over the environment before main. */
extern char **environ;
void __crt_init(char **envp);
void __crt_init(char **envp)
{
    environ = envp;
    fd_init(envp);
    /* A line at a time, not a piece of a format at a time: lines from
     * programs on several cores then never interleave on the console
     * (POSIX asks only that stderr not be fully buffered). */
    setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
}

unsigned sleep(unsigned seconds)
{
    sys_sleep_ns((uint64_t)seconds * 1000000000ull);
    return 0;
}

int usleep(useconds_t us)
{
    sys_sleep_ns((uint64_t)us * 1000ull);
    return 0;
}
