/* sharetest — a frame shared across three cores and revoked at its owner.
 * Without arguments (the owner): makes a frame, exports it, starts an
 * importer on its own core and on the next two, waits until each has mapped
 * the frame and seen its contents, revokes the frame, and checks that every
 * importer then died of a page fault touching it, and that the export is gone.
 * `sharetest import CORE ID INDEX` is an importer. Exits 0 if all held. */
#include <errno.h>
#include <procs.h>
#include <share.h>
#include <signal.h>
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <sys/wait.h>
#include <va_layout.h>

#define MAGIC     0x5a5a5a5au
#define IMPORTERS 3
#define WAIT_NS   20000000000ull
#define NAP_NS    1000000ull

static volatile uint32_t *map_new(capaddr_t frame)
{
    uintptr_t va;
    if (va_alloc(4096, &va) != OK || frame_map(frame, va, 1) != OK)
        return NULL;
    return (volatile uint32_t *)va;
}

static int importer(unsigned core, uint32_t id, unsigned index)
{
    capaddr_t slot;
    volatile uint32_t *w = NULL;
    if (slot_alloc(&slot) == OK && frame_import(core, id, slot, NULL) == OK)
        w = map_new(slot);
    if (w == NULL || w[0] != MAGIC) {
        printf("sharetest: importer %u on core %u could not see the frame\n", index, sys_core_id());
        return 2;
    }
    w[1 + index] = 1;
    /* Touch it until it is taken away: that access faults and ends us. */
    uint64_t deadline = sys_now_ns() + 3 * WAIT_NS;
    while (sys_now_ns() < deadline && w[0] == MAGIC)
        sys_sleep_ns(NAP_NS);
    printf("sharetest: importer %u on core %u still sees the frame\n", index, sys_core_id());
    return 3;
}

static bool all_mapped(volatile uint32_t *w)
{
    uint64_t deadline = sys_now_ns() + WAIT_NS;
    for (;;) {
        unsigned n = 0;
        for (unsigned i = 0; i < IMPORTERS; i++)
            n += w[1 + i] == 1;
        if (n == IMPORTERS)
            return true;
        if (sys_now_ns() > deadline)
            return false;
        sys_sleep_ns(NAP_NS);
    }
}

static int owner(void)
{
    capaddr_t frame, again;
    volatile uint32_t *w = NULL;
    struct ns_export e;
    if (slot_alloc(&frame) != OK || slot_alloc(&again) != OK ||
        cap_retype(CAP_SLOT_RAM, frame, CAP_FRAME, 4096, NULL) != OK ||
        (w = map_new(frame)) == NULL) {
        printf("sharetest: no frame\n");
        return 1;
    }
    w[0] = MAGIC;
    err_t err = frame_export(frame, &e);
    if (err != OK) {
        printf("sharetest: export: %s\n", err_str(err));
        return 1;
    }
    unsigned me = sys_core_id(), n = sys_core_count(), cores[IMPORTERS];
    for (unsigned i = 0; i < IMPORTERS; i++) {
        char c[12], id[12], idx[12];
        cores[i] = (me + i) % n;
        snprintf(c, sizeof c, "%u", e.core);
        snprintf(id, sizeof id, "%u", e.id);
        snprintf(idx, sizeof idx, "%u", i);
        char *args[] = {"sharetest", "import", c, id, idx, NULL};
        if (spawn_on((int)cores[i], "sharetest", args, NULL) < 0) {
            printf("sharetest: spawn on core %u: %s\n", cores[i], strerror(errno));
            return 1;
        }
    }
    if (!all_mapped(w)) {
        printf("sharetest: the importers did not all map the frame\n");
        return 1;
    }
    printf("sharetest: frame of export %u mapped on cores %u %u %u\n", e.id, cores[0], cores[1],
           cores[2]);
    err = cap_revoke(frame);
    printf("sharetest: revoke at the owner: %s\n", err_str(err));
    int faulted = 0;
    for (unsigned i = 0; i < IMPORTERS; i++) {
        int status;
        pid_t pid = wait(&status);
        bool segv = pid > 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
        faulted += segv;
        if (!segv)
            printf("sharetest: an importer ended otherwise (status 0x%x)\n", status);
    }
    err_t gone = frame_import(e.core, e.id, again, NULL);
    printf("sharetest: %d of %d importers faulted touching it; importing it again: %s\n", faulted,
           IMPORTERS, err_str(gone));
    printf("sharetest: the owner's own frame still reads %s\n",
           w[0] == MAGIC ? "the same" : "otherwise");
    return err == OK && faulted == IMPORTERS && gone == ERR_NOENT && w[0] == MAGIC ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "import") == 0)
        return importer((unsigned)atoi(argv[2]), (uint32_t)atoi(argv[3]),
                        (unsigned)atoi(argv[4]) % IMPORTERS);
    return owner();
}
