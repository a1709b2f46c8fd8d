/* pm_calls.c — the process calls as messages to the process manager, MINIX
 * style: getpid() is a call to PM. The channel to PM is opened on first use. */
#include <chan.h>
#include <errno.h>
#include <procs.h>
#include <signal.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define PM_WAIT_NS 30000000000ull

_Static_assert(PM_ENOENT == ENOENT && PM_ESRCH == ESRCH && PM_E2BIG == E2BIG &&
                   PM_ECHILD == ECHILD && PM_EAGAIN == EAGAIN && PM_EFAULT == EFAULT &&
                   PM_EINVAL == EINVAL && PM_ENOSYS == ENOSYS && PM_EPERM == EPERM,
               "PM's errno values are newlib's");

static struct chan pm;
static bool connected;

/* Sends m to PM and waits for the answer; -1 with errno set on failure. */
static int pm_call(msg_t *m, msg_t *r)
{
    if (!connected) {
        if (chan_connect(PM_NAME, &pm, PM_WAIT_NS) != OK) {
            errno = ENOSYS; /* no process manager in this system */
            return -1;
        }
        connected = true;
    }
    if (chan_call(&pm, m, r) != OK) {
        errno = EIO;
        return -1;
    }
    if (r->type != 0) {
        errno = r->type;
        return -1;
    }
    return 0;
}

int _getpid(void)
{
    msg_t m = {.type = PM_GETPID}, r;
    return pm_call(&m, &r) == 0 ? msg_payload(&r, struct pm_ids)->pid : -1;
}

pid_t getppid(void)
{
    msg_t m = {.type = PM_GETPID}, r;
    return pm_call(&m, &r) == 0 ? msg_payload(&r, struct pm_ids)->ppid : -1;
}

int _kill(int pid, int sig)
{
    msg_t m = {.type = PM_KILL}, r;
    *msg_payload(&m, struct pm_kill) = (struct pm_kill){pid, (uint32_t)sig};
    if (sig < 0) {
        errno = EINVAL;
        return -1;
    }
    return pm_call(&m, &r);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    if (options & ~WNOHANG) {
        errno = EINVAL;
        return -1;
    }
    msg_t m = {.type = PM_WAIT}, r;
    *msg_payload(&m, struct pm_wait) = (struct pm_wait){pid, (options & WNOHANG) ? PM_WNOHANG : 0};
    if (pm_call(&m, &r) != 0)
        return -1;
    const struct pm_waited *w = msg_payload_const(&r, struct pm_waited);
    /* The <sys/wait.h> encoding: status in bits 8-15, or the signal in 0-6. */
    if (status != NULL && w->pid != 0)
        *status = w->signal != 0 ? (int)(w->signal & 0x7f) : (w->status & 0xff) << 8;
    return w->pid;
}

pid_t _wait(int *status) { return waitpid(-1, status, 0); }

/* newlib's wrappers call these names on some targets, the underscored ones on
 * others. */
pid_t wait(int *status) __attribute__((alias("_wait")));
int getpid(void) __attribute__((alias("_getpid")));
int kill(int pid, int sig) __attribute__((alias("_kill")));

/* Sends the blob to PM in pieces. */
static int stage(const uint8_t *blob, uint32_t bytes)
{
    for (uint32_t off = 0; off < bytes; off += PM_ARGS_DATA) {
        msg_t m = {.type = PM_ARGS}, r;
        struct pm_args *a = msg_payload(&m, struct pm_args);
        a->offset = off;
        a->len = bytes - off < PM_ARGS_DATA ? bytes - off : PM_ARGS_DATA;
        memcpy(a->data, blob + off, a->len);
        if (pm_call(&m, &r) != 0)
            return -1;
    }
    return 0;
}

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
    static uint8_t blob[PM_BLOB_MAX];
    size_t len = prog != NULL ? strlen(prog) : 0;
    if (len == 0 || len >= NS_MODULE_MAX || strchr(prog, '/') != NULL) {
        errno = len >= NS_MODULE_MAX ? ENAMETOOLONG : ENOENT;
        return -1;
    }
    char *const just_name[] = {(char *)prog, NULL};
    uint32_t bytes = pack(blob, argv != NULL && argv[0] != NULL ? argv : just_name,
                          envp != NULL ? envp : environ);
    if (bytes == 0) {
        errno = E2BIG;
        return -1;
    }
    if (stage(blob, bytes) != 0)
        return -1;
    msg_t m = {.type = PM_SPAWN}, r;
    struct pm_spawn *s = msg_payload(&m, struct pm_spawn);
    s->core = core;
    s->bytes = bytes;
    memcpy(s->module, prog, len + 1);
    return pm_call(&m, &r) == 0 ? msg_payload(&r, struct pm_ids)->pid : -1;
}

int ps_entry(unsigned index, struct pm_proc *out)
{
    msg_t m = {.type = PM_PS}, r;
    msg_payload(&m, struct pm_ps)->index = index;
    if (pm_call(&m, &r) != 0)
        return -1;
    *out = *msg_payload(&r, struct pm_proc);
    return 0;
}
