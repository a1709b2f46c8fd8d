/* fs_client.c — the channel to FS, opened and granted a frame on first use
 * (and again after FS died and was restarted), and the working directory: FS knows only absolute
 * paths, so a relative one is joined to the working directory here. The directory is kept as a
 * clean absolute path ("." and ".." taken out by name, as a shell's `cd` does), and passed on to
 * programs this one starts as PWD. */
#include "posix.h"

#include <errmap.h>
#include <errno.h>
#include <grant.h>
#include <limits.h>
#include <proto_chan.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FS_WAIT_NS 30000000000ull

PROTO_CHAN_CALLS(FS_MESSAGES)

static struct chan fs;
static struct grant grant;
static int state; /* 0: not tried, 1: connected, -1: there is no FS */
static char *cwd;

struct chan *fs_chan(void)
{
    if (state == 0) {
        err_t err = chan_connect(FS_NAME, &fs, FS_WAIT_NS);
        if (err == ERR_NOENT) {
            state = -1; /* no file system server in this system */
        } else if (err != OK) {
            errno = errno_of(err); /* too many channels, no memory: not for good */
            return NULL;
        } else if ((err = grant_offer(&fs, FS_GRANT_DATA + FS_DATA_MAX, &grant)) == OK) {
            state = 1;
        } else {
            chan_drop(&fs);
            errno = errno_of(err);
            return NULL;
        }
    }
    if (state == 1)
        return &fs;
    errno = ENOSYS;
    return NULL;
}

uint8_t *fs_grant(void) { return (uint8_t *)grant.va; }

void fs_end(void)
{
    if (state == 1)
        grant_drop(&grant);
}

int fs_result(err_t err)
{
    if (err == OK)
        return 0;
    if (err == ERR_DEAD && state == 1) {
        /* FS ended (RS starts a new one): this call failed, the next one
         * connects again. Open files were the old FS's: they are EBADF now. */
        grant_drop(&grant);
        chan_drop(&fs);
        state = 0;
        errno = EIO;
        return -1;
    }
    errno = errno_of(err);
    return -1;
}

const char *fs_cwd(void)
{
    if (cwd == NULL) {
        const char *pwd = getenv("PWD");
        cwd = strdup(pwd != NULL && pwd[0] == '/' ? pwd : "/");
    }
    return cwd != NULL ? cwd : "/";
}

int fs_path_put(const char *path, unsigned which, struct fs_path *out)
{
    if (path == NULL || path[0] == '\0') {
        errno = ENOENT;
        return -1;
    }
    const char *dir = path[0] == '/' ? "" : fs_cwd();
    size_t dlen = strlen(dir), plen = strlen(path);
    bool slash = dlen > 0 && dir[dlen - 1] != '/';
    size_t len = dlen + slash + plen;
    if (len > FS_PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (fs_chan() == NULL)
        return -1;
    char *at = (char *)fs_grant() + FS_GRANT_PATHS + which * FS_PATH_MAX;
    memcpy(at, dir, dlen);
    if (slash)
        at[dlen] = '/';
    memcpy(at + dlen + slash, path, plen);
    *out = (struct fs_path){(uint32_t)(at - (char *)fs_grant()), (uint32_t)len};
    return 0;
}

/* path joined to the working directory, with ".", ".." and repeated slashes
 * taken out; NULL with errno. */
static char *clean(const char *path)
{
    const char *base = path[0] == '/' ? "" : fs_cwd();
    size_t cap = strlen(base) + strlen(path) + 2;
    char *out = malloc(cap);
    if (out == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    size_t len = 0;
    for (int part = 0; part < 2; part++) {
        const char *p = part == 0 ? base : path;
        while (*p != '\0') {
            while (*p == '/')
                p++;
            const char *end = p;
            while (*end != '\0' && *end != '/')
                end++;
            size_t n = (size_t)(end - p);
            if (n == 2 && p[0] == '.' && p[1] == '.') {
                while (len > 0 && out[len - 1] != '/')
                    len--;
                if (len > 0)
                    len--; /* the slash before the last name */
            } else if (n > 0 && !(n == 1 && p[0] == '.')) {
                out[len++] = '/';
                memcpy(out + len, p, n);
                len += n;
            }
            p = end;
        }
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = '\0';
    return out;
}

int chdir(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    char *to = clean(path);
    if (to == NULL)
        return -1;
    free(cwd);
    cwd = to;
    (void)setenv("PWD", cwd, 1); /* what programs started from here begin in */
    return 0;
}

char *getcwd(char *buf, size_t size)
{
    const char *dir = fs_cwd();
    size_t len = strlen(dir) + 1;
    if (buf == NULL) {
        size = size == 0 ? len : size;
        if (size < len) {
            errno = ERANGE;
            return NULL;
        }
        if ((buf = malloc(size)) == NULL) {
            errno = ENOMEM;
            return NULL;
        }
    } else if (size == 0) {
        errno = EINVAL;
        return NULL;
    } else if (size < len) {
        errno = ERANGE;
        return NULL;
    }
    memcpy(buf, dir, len);
    return buf;
}
