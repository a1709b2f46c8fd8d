/* spawn.c — starting a program (procs.h: spawn_on). A name the boot archive
 * holds starts from there: the servers and drivers the boot needs before FS
 * is up, which RS may start again while FS is down. Any other program is a
 * file: a name with a '/' is its path, a bare name is looked for in each
 * folder of PATH ("/bin" without one). Its bytes go into the frame granted to
 * PM, after the arguments, and PM has the monitors start that image. */
#include "posix.h"

#include <archive.h>
#include <errno.h>
#include <fcntl.h>
#include <grant.h>
#include <ns_calls.h>
#include <proc_abi.h>
#include <procs.h>
#include <proto/pm.h>
#include <proto_chan.h>
#include <slot_alloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/stat.h>
#include <unistd.h>
#include <va_layout.h>

extern char **environ;

PROTO_CHAN_CALLS(PM_MESSAGES)

static struct grant blob; /* a spawn's arguments, then a program's image; granted at the first */

/* Whether the boot archive has a module of this name. The archive's frame is
 * mapped read-only at the first question. */
static bool in_archive(const char *name)
{
    static struct archive ar;
    static int state; /* 0: not mapped yet, 1: mapped, -1: none to be had */
    if (state == 0) {
        state = -1;
        struct ns_archive got;
        struct cap_info info;
        capaddr_t slot;
        uintptr_t va;
        if (slot_alloc(&slot) == OK && ns_archive(NULL, &got, 0, slot) == OK &&
            cap_identify(slot, &info) == OK && va_alloc(info.size, &va) == OK &&
            frame_map(slot, va, 0) == OK && archive_open(&ar, (const void *)va, got.bytes) == OK)
            state = 1;
    }
    struct archive_entry e;
    return state == 1 && archive_find(&ar, name, &e) == OK;
}

/* Packs argv and envp into a struct spawn_blob; its size, or 0 if too big. */
static uint32_t pack(uint8_t *out, char *const argv[], char *const envp[])
{
    struct spawn_blob *b = (struct spawn_blob *)out;
    uint32_t at = sizeof *b;
    unsigned counts[2] = {0, 0};
    char *const *lists[2] = {argv, envp};
    for (int l = 0; l < 2; l++) {
        for (unsigned i = 0; lists[l] != NULL && lists[l][i] != NULL; i++) {
            size_t len = strlen(lists[l][i]) + 1;
            if (at + len > PM_BLOB_MAX || i >= 0xffff)
                return 0;
            memcpy(out + at, lists[l][i], len);
            at += (uint32_t)len;
            counts[l]++;
        }
    }
    b->argc = (uint16_t)counts[0];
    b->envc = (uint16_t)counts[1];
    b->bytes = at - sizeof *b;
    return at;
}

/* The grant to PM, with room for an image of bytes after the arguments. */
static int grant_room(struct chan *pm, uint64_t bytes)
{
    uint64_t need = PM_BLOB_MAX + bytes;
    if (blob.frame != 0 && blob.bytes >= need)
        return 0;
    if (blob.frame != 0)
        grant_drop(&blob);
    return posix_result(grant_offer(pm, need, &blob));
}

/* Opens the program prog names: a path, or a bare name in PATH's folders. */
static int open_program(const char *prog)
{
    if (strchr(prog, '/') != NULL)
        return open(prog, O_RDONLY | O_CLOEXEC);
    const char *path = getenv("PATH");
    if (path == NULL || path[0] == '\0')
        path = "/bin";
    int saved = ENOENT;
    for (const char *dir = path;; dir++) {
        const char *end = strchr(dir, ':');
        size_t len = end != NULL ? (size_t)(end - dir) : strlen(dir);
        char *full = malloc(len + strlen(prog) + 2);
        if (full == NULL)
            return -1;
        memcpy(full, len != 0 ? dir : ".", len != 0 ? len : 1);
        full[len != 0 ? len : 1] = '\0';
        strcat(full, "/");
        strcat(full, prog);
        int fd = open(full, O_RDONLY | O_CLOEXEC);
        free(full);
        if (fd >= 0)
            return fd;
        if (errno != ENOENT && errno != ENOTDIR)
            saved = errno; /* one that exists but cannot be read says more */
        if (end == NULL)
            break;
        dir = end;
    }
    errno = saved;
    return -1;
}

/* The program's file read into the grant after the arguments; its size,
 * or 0 with errno set. */
static uint32_t load_program(struct chan *pm, const char *prog)
{
    int fd = open_program(prog);
    if (fd < 0)
        return 0;
    struct stat st;
    uint32_t size = 0;
    if (fstat(fd, &st) != 0)
        goto out;
    if (S_ISDIR(st.st_mode) || !(st.st_mode & 0111)) {
        errno = EACCES; /* a folder, or a file nobody may run */
        goto out;
    }
    if (st.st_size <= 0 || (uint64_t)st.st_size > PM_IMAGE_MAX) {
        errno = st.st_size <= 0 ? ENOEXEC : E2BIG;
        goto out;
    }
    if (grant_room(pm, (uint64_t)st.st_size) != 0)
        goto out;
    uint8_t *to = (uint8_t *)blob.va + PM_BLOB_MAX;
    off_t at = 0;
    while (at < st.st_size) {
        ssize_t n = read(fd, to + at, (size_t)(st.st_size - at));
        if (n <= 0) {
            if (n == 0)
                errno = EIO; /* it shrank while we read */
            goto out;
        }
        at += n;
    }
    size = (uint32_t)st.st_size;
out:;
    int saved = errno;
    close(fd);
    errno = saved;
    return size;
}

pid_t spawn_on(int core, const char *prog, char *const argv[], char *const envp[])
{
    size_t len = prog != NULL ? strlen(prog) : 0;
    if (len == 0) {
        errno = ENOENT;
        return -1;
    }
    struct chan *c = pm_chan();
    if (c == NULL)
        return -1;
    struct pm_spawn s = {.core = core};
    bool module = strchr(prog, '/') == NULL && len < NS_MODULE_MAX && in_archive(prog);
    if (module) {
        if (blob.frame == 0 && grant_room(c, 0) != 0)
            return -1;
        memcpy(s.module, prog, len + 1);
    } else {
        if ((s.image = load_program(c, prog)) == 0)
            return -1;
        /* Its name in ps is the file's name, cut to what a message holds. */
        const char *base = strrchr(prog, '/') != NULL ? strrchr(prog, '/') + 1 : prog;
        strncpy(s.module, base[0] != '\0' ? base : prog, NS_MODULE_MAX - 1);
    }
    char *const just_name[] = {(char *)prog, NULL};
    char **env = fd_env_for_child(envp != NULL ? envp : environ); /* what it inherits */
    if (env == NULL)
        return -1;
    s.bytes = pack((uint8_t *)blob.va, argv != NULL && argv[0] != NULL ? argv : just_name, env);
    if (s.bytes == 0) {
        fd_spawned(env, false);
        errno = E2BIG;
        return -1;
    }
    struct pm_ids child;
    int res = posix_result(pm_spawn(c, &s, &child));
    int saved = errno;
    fd_spawned(env, res == 0);
    errno = saved;
    return res == 0 ? child.pid : -1;
}

void pm_end(void)
{
    if (blob.frame != 0)
        grant_drop(&blob);
}
