/* syscalls.c — what newlib asks of its system (it is built without its own
 * system calls): exit, sleeping; the heap is heap.c's.
 * Console input and output are in console.c, the process calls go to PM
 * (pm_calls.c); everything else says ENOSYS until the servers that provide it
 * exist. */
#include <errno.h>
#include <procs.h>
#include <slot_alloc.h>
#include <stdint.h>
#include <sys.h>
#include <sys/stat.h>
#include <unistd.h>
#include <va_layout.h>

/* errno is newlib's per-thread one (<errno.h>): the reentrant wrappers leave
 * it alone when a call sets it, and calls made directly see it too. */

int _close(int fd)
{
    (void)fd;
    return 0;
}

int _fstat(int fd, struct stat *st)
{
    if (fd < 0 || fd > 2) {
        errno = EBADF;
        return -1;
    }
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd) { return fd >= 0 && fd <= 2; }

off_t _lseek(int fd, off_t off, int whence)
{
    (void)fd, (void)off, (void)whence;
    errno = ESPIPE;
    return -1;
}

void _exit(int status)
{
    console_end();
    pm_end();
    sys_exit(status);
}

/* crt0 ends a program through __crt_exit; with newlib that is exit(), which
 * flushes stdio and runs atexit handlers first. */
void exit(int status);
void __crt_exit(int status) { exit(status); }

/* crt0 hands over the environment before main. */
extern char **environ;
void __crt_init(char **envp);
void __crt_init(char **envp) { environ = envp; }

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

/* newlib's reentrant wrappers call these names on some targets and the
 * underscored ones on others: both lead to the same code. */
int close(int fd) __attribute__((alias("_close")));
int fstat(int fd, struct stat *st) __attribute__((alias("_fstat")));
int isatty(int fd) __attribute__((alias("_isatty")));
off_t lseek(int fd, off_t off, int whence) __attribute__((alias("_lseek")));
