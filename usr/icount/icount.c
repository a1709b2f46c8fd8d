/* icount [ROUNDS [PEER_CORE]] — instructions per operation, for tools/bench
 * icount, which boots it under QEMU's -icount shift=0 with single-threaded
 * TCG: there one nanosecond of QEMU's clock is one instruction of some core,
 * and the counts are the same from run to run. Elsewhere its figures are
 * cycles or nothing in particular. Prints "icount OP MIN MEAN" for each
 * operation, the loop's own instructions taken off: MIN the fewest of one
 * run, MEAN the mean of ROUNDS (200; spawns a tenth of that). A benchsrv on
 * this core answers the LMP calls, one on PEER_CORE (default the next core)
 * the UMP calls. The program spawned from a file is /bin/true, or, booted
 * without a root disk (as the benchmark boots it: a disk's reads end when the
 * host has done them, which would move every later count), the archive's
 * true written to /tmp, in RAM. */
#include <archive.h>
#include <fcntl.h>
#include <ns_calls.h>
#include <procs.h>
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys.h>
#include <sys/stat.h>
#include <unistd.h>
#include <va_layout.h>

#include "count.h"
#include "ops.h"

#define OPS_MAX 16

/* Printed at the end: the console driver's own work while a line goes out
 * would be counted in the figures of whatever ran meanwhile. */
struct result {
    const char *name;
    struct count c;
};
static struct result results[OPS_MAX];
static unsigned nresults;

static void measure(const char *name, void (*op)(void *), void *arg, unsigned n)
{
    if (nresults < OPS_MAX)
        results[nresults++] = (struct result){name, count_op(op, arg, n)};
}

static int calls(unsigned rounds, unsigned peer)
{
    struct chan local, remote;
    int local_pid = server_start(sys_core_id(), &local);
    if (local_pid < 0)
        return 1;
    measure("lmp-call", op_chan_call, &local, rounds);
    server_stop(&local, local_pid);
    int remote_pid = server_start(peer, &remote);
    if (remote_pid < 0)
        return 1;
    measure("ump-call", op_chan_call, &remote, rounds);
    server_stop(&remote, remote_pid);
    return 0;
}

/* A file holding a program for the spawn through FS; NULL if none can be had. */
static const char *program_file(void)
{
    static const char *const in_bin = "/bin/true", *const in_tmp = "/tmp/true";
    struct stat st;
    if (stat(in_bin, &st) == 0)
        return in_bin;
    struct ns_archive got;
    struct cap_info info;
    struct archive ar;
    struct archive_entry e;
    capaddr_t slot;
    uintptr_t va;
    if (slot_alloc(&slot) != OK || ns_archive(NULL, &got, 0, slot) != OK ||
        cap_identify(slot, &info) != OK || va_alloc(info.size, &va) != OK ||
        frame_map(slot, va, 0) != OK || archive_open(&ar, (const void *)va, got.bytes) != OK ||
        archive_find(&ar, "archived_true", &e) != OK)
        return NULL;
    int fd = open(in_tmp, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0)
        return NULL;
    bool whole = write(fd, e.data, e.size) == (ssize_t)e.size;
    return close(fd) == 0 && whole ? in_tmp : NULL;
}

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 200;
    unsigned peer = argc > 2 ? (unsigned)atoi(argv[2]) : sys_core_id() + 1;
    peer %= sys_core_count();
    struct sys_ops s;
    struct ump_pair pair;
    if (rounds == 0 || argc > 3 || peer == sys_core_id()) {
        printf("usage: icount [ROUNDS [PEER_CORE]] (a peer core other than this one)\n");
        return 2;
    }
    if (sys_ops_init(&s) != 0 || ump_pair_init(&pair) != 0) {
        printf("icount: no memory\n");
        return 1;
    }
    printf("icount: on core %u, peer core %u, %u rounds\n", sys_core_id(), peer, rounds);
    (void)console_sync(); /* the boot's lines too */
    measure("nops-400", op_nops, NULL, rounds);
    measure("sys-core-id", op_core_id, NULL, rounds);
    measure("sys-yield", op_yield, NULL, rounds);
    measure("sys-cap-identify", op_cap_identify, &s, rounds);
    measure("sys-cap-copy-delete", op_copy_delete, &s, rounds);
    measure("sys-frame-copy-map-delete", op_copy_map_delete, &s, rounds);
    measure("sys-cap-retype-delete", op_retype_delete, &s, rounds);
    measure("ump-send-recv", op_ump_send_recv, &pair, rounds);
    if (calls(rounds, peer) != 0)
        return 1;
    measure("pm-getpid", op_getpid, NULL, rounds);
    unsigned spawns = rounds / 10 ? rounds / 10 : 1;
    measure("spawn-archive", op_spawn_wait, "archived_true", spawns);
    const char *file = program_file();
    if (file == NULL) {
        printf("icount: no program file to spawn: neither /bin/true nor the archive's\n");
        return 1;
    }
    measure("spawn-bin", op_spawn_wait, (void *)file, spawns);
    /* (newlib is built with nano formatting: no %ll; long is 64 bits here) */
    for (unsigned i = 0; i < nresults; i++)
        printf("icount %s %lu %lu\n", results[i].name, (unsigned long)results[i].c.min,
               (unsigned long)results[i].c.mean);
    return 0;
}
