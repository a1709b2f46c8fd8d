/* paths.c — the paths of a request, out of the client's grant and looked up
 * (what every handler of a name starts with), and what goes when a client
 * does (serve.h). */
#include "serve.h"

#include <string.h>

char path_a[FS_PATH_MAX + 1], path_b[FS_PATH_MAX + 1];

err_t path_in(const struct srv_client *c, struct fs_path p, char *buf)
{
    if (p.len == 0 || p.len > FS_PATH_MAX)
        return p.len == 0 ? ERR_INVAL : ERR_LONGNAME;
    err_t err = srv_grant_read(c, p.offset, buf, p.len);
    if (err != OK)
        return err;
    buf[p.len] = '\0';
    return memchr(buf, '\0', p.len) != NULL ? ERR_INVAL : OK;
}

err_t lookup(const struct srv_client *c, struct fs_path p, char *buf, bool follow,
             struct vfs_where *w)
{
    err_t err = path_in(c, p, buf);
    return err != OK ? err : vfs_lookup(buf, p.len, follow, w);
}

uint16_t type_of(struct vnode v)
{
    struct ext2_stat st;
    return v.m->ops->stat(v.m->fs, v.ino, &st) == OK ? st.mode & EXT2_S_IFMT : 0;
}

void fs_client_left(struct srv *s, struct srv_client *c)
{
    (void)s;
    who(c)->waiting = false;
    of_release(&who(c)->h);
}
