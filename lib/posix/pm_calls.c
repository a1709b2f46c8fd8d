/* pm_calls.c — the process calls as messages to the process manager, MINIX
 * style: getpid() is a call to PM. The channel to PM is opened on first use. */
#include "posix.h"

#include <errmap.h>
#include <errno.h>
#include <grant.h>
#include <procs.h>
#include <proto_chan.h>
#include <signal.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define PM_WAIT_NS 30000000000ull

PROTO_CHAN_CALLS(PM_MESSAGES)

static struct chan pm;
static bool connected;

struct chan *pm_chan(void)
{
    if (!connected) {
        err_t err = chan_connect(PM_NAME, &pm, PM_WAIT_NS);
        if (err != OK) {
            /* No name: no process manager in this system. Anything else
             * (too many channels, no memory) is said as itself. */
            errno = err == ERR_NOENT ? ENOSYS : errno_of(err);
            return NULL;
        }
        connected = true;
    }
    return &pm;
}

int posix_result(err_t err)
{
    if (err == OK)
        return 0;
    errno = errno_of(err);
    return -1;
}

int _getpid(void)
{
    struct pm_ids ids;
    struct chan *c = pm_chan();
    return c != NULL && posix_result(pm_getpid(c, NULL, &ids)) == 0 ? ids.pid : -1;
}

pid_t getppid(void)
{
    struct pm_ids ids;
    struct chan *c = pm_chan();
    return c != NULL && posix_result(pm_getpid(c, NULL, &ids)) == 0 ? ids.ppid : -1;
}

int _kill(int pid, int sig)
{
    if (sig < 0) {
        errno = EINVAL;
        return -1;
    }
    struct chan *c = pm_chan();
    return c != NULL ? posix_result(pm_kill(c, &(struct pm_kill){pid, (uint32_t)sig}, NULL)) : -1;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    if (options & ~WNOHANG) {
        errno = EINVAL;
        return -1;
    }
    struct pm_wait w = {pid, (options & WNOHANG) ? PM_WNOHANG : 0};
    struct pm_waited got;
    struct chan *c = pm_chan();
    if (c == NULL || posix_result(pm_wait(c, &w, &got)) != 0)
        return -1;
    /* The <sys/wait.h> encoding: status in bits 8-15, or the signal in 0-6. */
    if (status != NULL && got.pid != 0)
        *status = got.signal != 0 ? (int)(got.signal & 0x7f) : (got.status & 0xff) << 8;
    return got.pid;
}

pid_t _wait(int *status) { return waitpid(-1, status, 0); }

/* newlib's wrappers call these names on some targets, the underscored ones on
 * others. */
pid_t wait(int *status) __attribute__((alias("_wait")));
int getpid(void) __attribute__((alias("_getpid")));
int kill(int pid, int sig) __attribute__((alias("_kill")));

int console_set_foreground(pid_t pid)
{
    struct chan *c = pm_chan();
    return c != NULL ? posix_result(pm_foreground(c, &(struct pm_foreground){pid}, NULL)) : -1;
}

int ps_entry(unsigned index, struct pm_proc *out)
{
    struct chan *c = pm_chan();
    return c != NULL ? posix_result(pm_ps(c, &(struct pm_ps){index}, out)) : -1;
}
