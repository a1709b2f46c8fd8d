/* world.c — the capabilities and memory sysfuzz owns and lets its calls
 * damage, and how it rebuilds them. What it never offers to a destructive
 * call (delete, revoke, rights taken away, a capability moved away, a slot
 * written): its dispatcher (slot 1), its first RAM (slot 3, which its C
 * library's heap came from), its monitor endpoint (slot 5), the slots
 * cspace_grow uses (6, 7), and every slot its C library holds (the console
 * channel): losing any of them would only end the fuzzer, which tests
 * nothing of the kernel. */
#include <lmp.h>
#include <lmp_abi.h>
#include <ram.h>
#include <slot_alloc.h>
#include <string.h>
#include <va_layout.h>

#include "fuzz.h"

static err_t make_frame(capaddr_t ram, capaddr_t *slot, uint64_t bytes)
{
    err_t err = slot_alloc(slot);
    if (err == OK)
        err = cap_retype(ram, *slot, CAP_FRAME, bytes, NULL);
    return err;
}

err_t world_init(struct world *w)
{
    capaddr_t keep_ram;
    err_t err = OK;
    for (unsigned i = 0; i < SCRATCH_SLOTS && err == OK; i++)
        err = slot_alloc(&w->scratch[i]);
    if (err == OK)
        err = slot_alloc(&w->ram);
    if (err == OK)
        err = ram_alloc(RAM_BYTES, w->ram, NULL);
    if (err == OK)
        err = slot_alloc(&w->ep);
    if (err == OK)
        err = ep_mint(0x5f, w->ep);
    /* The buffers come from RAM of their own, which no call can reach. */
    if (err == OK)
        err = slot_alloc(&keep_ram);
    if (err == OK)
        err = ram_alloc(BUF_BYTES + VA_PAGE, keep_ram, NULL);
    if (err == OK)
        err = make_frame(keep_ram, &w->buf_cap, BUF_BYTES);
    if (err == OK)
        err = make_frame(keep_ram, &w->text_cap, VA_PAGE);
    if (err == OK)
        err = va_alloc(5 * VA_PAGE + MAP_AREA, &w->region);
    if (err != OK)
        return err;
    w->buf = (uint8_t *)w->region;
    w->hole = w->region + BUF_BYTES;
    w->text = (const char *)(w->hole + VA_PAGE);
    w->map_area = w->region + 5 * VA_PAGE; /* the page after text stays unmapped */
    /* Lines of 64 characters: whatever part of it SYS_PRINT gets is readable. */
    char lines[VA_PAGE];
    for (unsigned i = 0; i < VA_PAGE; i++)
        lines[i] = i % 64 == 63 ? '\n' : (char)('a' + (i / 64) % 26);
    if ((err = frame_write(w->text_cap, 0, lines, sizeof lines)) != OK ||
        (err = frame_map(w->buf_cap, w->region, 1)) != OK ||
        (err = frame_map(w->text_cap, (uintptr_t)w->text, 0)) != OK)
        return err;
    char cmdline[512];
    struct sys_result c = sys_cmdline(cmdline, sizeof cmdline);
    w->cmdline_len = c.err == OK ? c.value : 0;
    return OK;
}

void world_reset(struct world *w)
{
    for (unsigned i = 0; i < SCRATCH_SLOTS; i++)
        (void)cap_delete(w->scratch[i]);
    (void)cap_delete(CAP_SLOT_KERNEL); /* empty here; a call may have filled them */
    (void)cap_delete(CAP_SLOT_BOOT_FRAME);
    (void)cap_revoke(w->ram);
}

static bool is(capaddr_t slot, enum cap_type type)
{
    struct cap_info info;
    return cap_identify(slot, &info) == OK && info.type == type;
}

bool world_intact(const struct world *w, const char **what)
{
    *what = !is(CAP_SLOT_SELF, CAP_DISPATCHER)    ? "its dispatcher capability is gone"
            : !is(CAP_SLOT_RAM, CAP_RAM)          ? "its RAM capability is gone"
            : !is(CAP_SLOT_MONITOR, CAP_ENDPOINT) ? "its monitor endpoint is gone"
            : !is(w->ram, CAP_RAM)                ? "its fuzzing RAM is gone"
            : !is(w->buf_cap, CAP_FRAME)          ? "its buffer's frame is gone"
                                                  : NULL;
    return *what == NULL;
}
