/* capmisuse — tries every misuse of capabilities it can think of on its own
 * capabilities and memory: each must get an error, and nothing else in the
 * system may notice. Prints one line per check through the console driver
 * (so the last line shows the console still works) and exits with the
 * number of failed checks. */
#include <lmp_abi.h>
#include <ram.h>
#include <stdio.h>
#include <sys.h>
#include <va_layout.h>

#include "slots.h"

uintptr_t VA_MAP;
static int checks, failures;

static void expect(const char *what, err_t got, err_t want)
{
    checks++;
    failures += got != want;
    printf("capmisuse: %s %s (%s)\n", got == want ? "ok" : "FAIL", what, err_str(got));
}

static err_t gone(capaddr_t slot)
{
    struct cap_info info;
    return cap_identify(slot, &info);
}

static err_t same(uint64_t a, uint64_t b) { return a == b ? OK : ERR_INVAL; }

/* Bytes of S_RAM no capability made from it covers. */
static uint64_t ram_free(void)
{
    struct cap_info info;
    return cap_identify(S_RAM, &info) == OK ? info.free : ~0ull;
}

/* Retyping: once while the children live, again once they are gone. */
static void retype_checks(void)
{
    uint64_t p;
    expect("ask the monitor for 1 MiB of RAM", ram_alloc(1 << 20, S_RAM, NULL), OK);
    expect("a program does not learn where its RAM is", cap_retype(S_RAM, S_X, CAP_FRAME, 4096, &p),
           ERR_PERM);
    expect("copy the RAM capability", cap_copy(S_RAM, S_RAM_COPY, CAP_RIGHTS_ALL), OK);
    expect("a copy of RAM cannot retype", cap_retype(S_RAM_COPY, S_X, CAP_FRAME, 4096, NULL),
           ERR_PERM);
    expect("a retype beyond the RAM is refused", cap_retype(S_RAM, S_X, CAP_FRAME, 2 << 20, NULL),
           ERR_NOMEM);
    expect("retype half into a frame", cap_retype(S_RAM, S_F1, CAP_FRAME, 512 << 10, NULL), OK);
    expect("retype the other half", cap_retype(S_RAM, S_F2, CAP_FRAME, 512 << 10, NULL), OK);
    expect("memory with live children is not retyped twice",
           cap_retype(S_RAM, S_X, CAP_FRAME, 4096, NULL), ERR_NOMEM);
    expect("delete the second frame", cap_delete(S_F2), OK);
    expect("its half is free again", same(ram_free(), 512 << 10), OK);
    expect("its memory is retyped again", cap_retype(S_RAM, S_F2, CAP_FRAME, 512 << 10, NULL), OK);
    expect("at the same place: the RAM is all used again", same(ram_free(), 0), OK);
    expect("copy the first frame", cap_copy(S_F1, S_F1_COPY, CAP_RIGHTS_ALL), OK);
    expect("delete the first frame", cap_delete(S_F1), OK);
    expect("a live copy keeps its memory from being retyped",
           cap_retype(S_RAM, S_X, CAP_FRAME, 4096, NULL), ERR_NOMEM);
    expect("delete the copy too", cap_delete(S_F1_COPY), OK);
    expect("then the memory is free", cap_retype(S_RAM, S_F1, CAP_FRAME, 512 << 10, NULL), OK);
    expect("at the same place: the RAM is all used again", same(ram_free(), 0), OK);
}

/* Revoke: needs the right, and takes exactly the descendants. */
static void revoke_checks(void)
{
    expect("a copy without the revoke right",
           cap_copy(S_F1, S_NOREVOKE, CAP_RIGHT_READ | CAP_RIGHT_GRANT), OK);
    expect("cannot revoke", cap_revoke(S_NOREVOKE), ERR_PERM);
    expect("a copy with no rights at all", cap_copy(S_F1, S_NORIGHTS, 0), OK);
    expect("cannot revoke either", cap_revoke(S_NORIGHTS), ERR_PERM);
    expect("nor be copied", cap_copy(S_NORIGHTS, S_X, CAP_RIGHTS_ALL), ERR_PERM);
    expect("copy A of the frame", cap_copy(S_F1, S_A, CAP_RIGHTS_ALL), OK);
    expect("copy A1 of A", cap_copy(S_A, S_A1, CAP_RIGHTS_ALL), OK);
    expect("copy B of the frame", cap_copy(S_F1, S_B, CAP_RIGHTS_ALL), OK);
    expect("revoke A", cap_revoke(S_A), OK);
    expect("A1, made from A, is gone", gone(S_A1), ERR_NOENT);
    expect("A itself stays", gone(S_A), OK);
    expect("its sibling B stays", gone(S_B), OK);
    expect("the frame stays", gone(S_F1), OK);
    expect("map the frame", frame_map(S_F1, VA_MAP, 1), OK);
    *(volatile uint32_t *)VA_MAP = 0x600d;
    expect("revoke the RAM", cap_revoke(S_RAM), OK);
    expect("its frames are gone", gone(S_F1), ERR_NOENT);
    expect("and so are their copies", gone(S_B), ERR_NOENT);
    expect("and the RAM's copy", gone(S_RAM_COPY), ERR_NOENT);
    expect("a revoked frame cannot be mapped", frame_map(S_F1, VA_MAP, 1), ERR_NOENT);
    expect("nor copied", cap_copy(S_F2, S_X, CAP_RIGHTS_ALL), ERR_NOENT);
    expect("the RAM is whole again", cap_retype(S_RAM, S_F1, CAP_FRAME, 1 << 20, NULL), OK);
    expect("delete it", cap_delete(S_F1), OK);
}

/* Slots it does not hold, and mappings that do not fit. */
static void slot_and_map_checks(void)
{
    expect("delete an empty slot", cap_delete(S_X), ERR_NOENT);
    expect("delete a slot past the space", cap_delete(CSPACE_MAX_SLOTS + 5), ERR_INVAL);
    expect("name a slot in a CNode it never added", gone(CNODE_SLOTS * 9 + 1), ERR_INVAL);
    expect("copy into a slot past the space", cap_copy(S_RAM, CSPACE_MAX_SLOTS, CAP_RIGHTS_ALL),
           ERR_INVAL);
    expect("copy into a full slot", cap_copy(S_RAM, CAP_SLOT_SELF, CAP_RIGHTS_ALL), ERR_NOSPACE);
    expect("a two-page frame", cap_retype(S_RAM, S_F2, CAP_FRAME, 8192, NULL), OK);
    expect("cannot be mapped over the IPC buffer", frame_map(S_F2, IPC_BUFFER_VA - 4096, 1),
           ERR_INVAL);
    expect("nor at address 0", frame_map(S_F2, 0, 1), ERR_INVAL);
    expect("nor at an odd address", frame_map(S_F2, VA_MAP + 12, 1), ERR_INVAL);
    expect("but where it fits", frame_map(S_F2, VA_MAP, 1), OK);
    expect("only once per capability", frame_map(S_F2, VA_MAP + 0x10000, 1), ERR_INVAL);
    expect("delete it (unmaps it)", cap_delete(S_F2), OK);
}

/* CNodes: the capability space grows only with the domain's own RAM. */
static void cnode_checks(void)
{
    capaddr_t first = 0;
    expect("a CNode of the wrong size", cap_retype(S_RAM, S_CNODE, CAP_CNODE, 4096, NULL),
           ERR_INVAL);
    expect("a CNode", cap_retype(S_RAM, S_CNODE, CAP_CNODE, CNODE_BYTES, NULL), OK);
    expect("a frame is no CNode", cspace_add_cnode(S_RAM, 7, &first), ERR_PERM);
    expect("root entry 0 is taken by birth", cspace_add_cnode(S_CNODE, 0, &first), ERR_INVAL);
    expect("root entries end", cspace_add_cnode(S_CNODE, CSPACE_L1_SLOTS, &first), ERR_INVAL);
    expect("a CNode cannot be copied", cap_copy(S_CNODE, S_X, CAP_RIGHTS_ALL), ERR_INVAL);
    expect("add it as root entry 7", cspace_add_cnode(S_CNODE, 7, &first), OK);
    expect("its slots start at 7 * 256", same(first, 7 * CNODE_SLOTS), OK);
    expect("its old slot is empty", gone(S_CNODE), ERR_NOENT);
    expect("use a slot in it", cap_copy(S_RAM, first + 3, CAP_RIGHTS_ALL), OK);
    expect("a second CNode", cap_retype(S_RAM, S_CNODE, CAP_CNODE, CNODE_BYTES, NULL), OK);
    expect("cannot take a used entry", cspace_add_cnode(S_CNODE, 7, &first), ERR_NOSPACE);
    expect("drop it", cap_delete(S_CNODE), OK);
    expect("revoke the RAM: the CNode goes", cap_revoke(S_RAM), OK);
    expect("and its slots with it", gone(first + 3), ERR_INVAL);
    /* A RAM capability kept in a CNode made of that RAM cannot revoke it:
     * its own slot would go in the middle. */
    expect("another CNode", cap_retype(S_RAM, S_CNODE, CAP_CNODE, CNODE_BYTES, NULL), OK);
    expect("as entry 8", cspace_add_cnode(S_CNODE, 8, &first), OK);
    expect("copy the RAM into it", cap_copy(S_RAM, first, CAP_RIGHTS_ALL), OK);
    expect("delete the original: the copy takes its place", cap_delete(S_RAM), OK);
    expect("it can retype", cap_retype(first, S_X, CAP_FRAME, 4096, NULL), OK);
    expect("revoking it would delete itself", cap_revoke(first), ERR_BUSY);
    expect("its frame stays", gone(S_X), OK);
}

/* Someone else's memory: revoking this domain's capabilities of a channel
 * page takes nothing from the server at the other end. */
static void shared_checks(void)
{
    unsigned frames = 0;
    for (capaddr_t s = CAP_SLOT_FIRST_FREE; s < CNODE_SLOTS; s++) {
        struct cap_info info;
        if (s >= S_FIRST || cap_identify(s, &info) != OK || info.type != CAP_FRAME)
            continue;
        frames++;
        (void)cap_copy(s, S_X2, CAP_RIGHT_READ | CAP_RIGHT_GRANT);
        err_t a = cap_revoke(S_X2);
        (void)cap_delete(S_X2);
        err_t b = cap_revoke(s);
        if (a != ERR_PERM || b != OK)
            expect("revoke a frame it was given", a != ERR_PERM ? a : b, OK);
    }
    expect("revoke every frame it was given (channel pages)", frames > 0 ? OK : ERR_NOENT, OK);
}

int main(void)
{
    if (va_alloc(1 << 20, &VA_MAP) != OK) {
        printf("capmisuse: no address space to map frames in\n");
        return 1;
    }
    printf("capmisuse: starting\n");
    retype_checks();
    revoke_checks();
    slot_and_map_checks();
    cnode_checks();
    shared_checks();
    printf("capmisuse: %d/%d checks passed; the console still works\n", checks - failures, checks);
    return failures;
}
