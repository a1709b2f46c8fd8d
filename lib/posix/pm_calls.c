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
static struct grant blob; /* where a spawn's arguments go; granted at the first spawn */

/* The channel to PM, opened on first use; NULL with errno set if there is none. */
static struct chan *channel(void)
{
    if (!connected) {
        if (chan_connect(PM_NAME, &pm, PM_WAIT_NS) != OK) {
            errno = ENOSYS; /* no process manager in this system */
            return NULL;
        }
        connected = true;
    }
    return &pm;
}

/* 0, or -1 with errno set from err. */
static int posix_result(err_t err)
{
    if (err == OK)
        return 0;
    errno = errno_of(err);
    return -1;
}

int _getpid(void)
{
    struct pm_ids ids;
    struct chan *c = channel();
    return c != NULL && posix_result(pm_getpid(c, NULL, &ids)) == 0 ? ids.pid : -1;
}

pid_t getppid(void)
{
    struct pm_ids ids;
    struct chan *c = channel();
    return c != NULL && posix_result(pm_getpid(c, NULL, &ids)) == 0 ? ids.ppid : -1;
}

int _kill(int pid, int sig)
{
    if (sig < 0) {
        errno = EINVAL;
        return -1;
    }
    struct chan *c = channel();
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
    struct chan *c = channel();
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

/* Packs argv and envp into a struct spawn_blob; its size, or 0 if too big. */
static uint32_t pack(uint8_t *blob, char *const argv[], char *const envp[])
{
    struct spawn_blob *b = (struct spawn_blob *)blob;
    uint32_t at = sizeof *b;
    unsigned counts[2] = {0, 0};
    char *const *lists[2] = {argv, envp};
    for (int l = 0; l < 2; l++) {
        for (unsigned i = 0; lists[l] != NULL && lists[l][i] != NULL; i++) {
            size_t len = strlen(lists[l][i]) + 1;
            if (at + len > PM_BLOB_MAX || i >= 0xffff)
                return 0;
            memcpy(blob + at, lists[l][i], len);
            at += (uint32_t)len;
            counts[l]++;
        }
    }
    b->argc = (uint16_t)counts[0];
    b->envc = (uint16_t)counts[1];
    b->bytes = at - sizeof *b;
    return at;
}

pid_t spawn_on(int core, const char *prog, char *const argv[], char *const envp[])
{
    size_t len = prog != NULL ? strlen(prog) : 0;
    if (len == 0 || len >= NS_MODULE_MAX || strchr(prog, '/') != NULL) {
        errno = len >= NS_MODULE_MAX ? ENAMETOOLONG : ENOENT;
        return -1;
    }
    struct chan *c = channel();
    if (c == NULL)
        return -1;
    if (blob.frame == 0 && posix_result(grant_offer(c, PM_BLOB_MAX, &blob)) != 0)
        return -1;
    char *const just_name[] = {(char *)prog, NULL};
    char **env = fd_env_for_child(envp != NULL ? envp : environ); /* what it inherits */
    if (env == NULL)
        return -1;
    uint32_t bytes =
        pack((uint8_t *)blob.va, argv != NULL && argv[0] != NULL ? argv : just_name, env);
    if (bytes == 0) {
        fd_spawned(env, false);
        errno = E2BIG;
        return -1;
    }
    struct pm_spawn s = {.core = core, .bytes = bytes};
    memcpy(s.module, prog, len + 1);
    struct pm_ids child;
    int res = posix_result(pm_spawn(c, &s, &child));
    int saved = errno;
    fd_spawned(env, res == 0);
    errno = saved;
    return res == 0 ? child.pid : -1;
}

int console_set_foreground(pid_t pid)
{
    struct chan *c = channel();
    return c != NULL ? posix_result(pm_foreground(c, &(struct pm_foreground){pid}, NULL)) : -1;
}

void pm_end(void)
{
    if (blob.frame != 0)
        grant_drop(&blob);
}

int ps_entry(unsigned index, struct pm_proc *out)
{
    struct chan *c = channel();
    return c != NULL ? posix_result(pm_ps(c, &(struct pm_ps){index}, out)) : -1;
}
