/* fs_fuzz.c — libFuzzer target: FS's handlers (servers/fs) over its RAM file
 * system, every message of the input from one of four clients whose grants
 * hold the paths and data (harness.h). The file system lives on from input
 * to input, as FS does from client to client, within its budget.
 * Run: build/host-fuzz/tests/servers/fuzz/fs_fuzz -max_total_time=60 */
#include "harness.h"
#include "serve.h"

#include <ram.h>
#include <stdlib.h>
#include <string.h>

static const struct srv_op ops[] = {SRV_OPS(FS_MESSAGES)};
struct srv fs_srv = {.name = FS_NAME,
                     SRV_TABLE(ops),
                     .state_bytes = sizeof(struct client),
                     .grant_max = FUZZ_GRANT_BYTES,
                     .left = fs_client_left};

/* No disk answers: a mount of one finds none. */
err_t ext2fs_attach(const char *disk, uint64_t deadline_ns, const char *at)
{
    (void)disk, (void)deadline_ns, (void)at;
    return ERR_NOENT;
}

/* 64 MiB on each core: the RAM file systems may take half of it. */
err_t ram_info(unsigned core, struct ns_meminfo *info)
{
    (void)core;
    *info = (struct ns_meminfo){.total = 64u << 20, .free = 64u << 20};
    return OK;
}

/* As FS's main: a RAM root with /tmp (a second RAM file system) and /mnt. */
static void start(void)
{
    if (ramfs_attach(NULL) != OK)
        abort();
    static const char *const dirs[] = {"/tmp", "/mnt"};
    for (unsigned i = 0; i < 2; i++) {
        struct vfs_where w;
        uint32_t ino;
        if (vfs_lookup(dirs[i], strlen(dirs[i]), false, &w) != OK || w.found ||
            w.dir.m->ops->mkdir(w.dir.m->fs, w.dir.ino, w.name, w.len, 0777, &ino) != OK)
            abort();
    }
    if (ramfs_attach("/tmp") != OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool started;
    if (!started) {
        start();
        started = true;
    }
    fuzz_serve_input(&(struct fuzz_server){.srv = &fs_srv}, data, size);
    return 0;
}
