/* table.c — tables that grow into frames (table.h). */
#include <ram.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <table.h>
#include <va_layout.h>

static err_t default_frame(uint64_t bytes, capaddr_t slot)
{
    err_t err = cap_retype(CAP_SLOT_RAM, slot, CAP_FRAME, bytes, NULL);
    if (err != ERR_NOMEM)
        return err;
    capaddr_t ram;
    if (slot_alloc(&ram) != OK)
        return ERR_NOSPACE;
    err = ram_alloc(bytes, ram, NULL);
    if (err == OK)
        err = cap_retype(ram, slot, CAP_FRAME, bytes, NULL);
    (void)cap_delete(ram); /* the frame keeps the memory */
    slot_free(ram);
    return err;
}

err_t table_fit(struct table *t, uint32_t n)
{
    if (n <= t->cap)
        return OK;
    uint64_t bytes = t->bytes ? 2 * t->bytes : VA_PAGE;
    while (bytes / t->elem < n)
        bytes *= 2;
    capaddr_t frame;
    uintptr_t va;
    err_t err = slot_alloc(&frame);
    if (err != OK)
        return err;
    err = (t->make_frame ? t->make_frame : default_frame)(bytes, frame);
    if (err == OK && (err = va_alloc(bytes, &va)) == OK && (err = frame_map(frame, va, 1)) != OK)
        va_free(va, bytes);
    if (err != OK) {
        (void)cap_delete(frame);
        slot_free(frame);
        return err;
    }
    if (t->bytes != 0) {
        memcpy((void *)va, t->items, t->bytes);
        (void)cap_delete(t->frame); /* unmaps it */
        slot_free(t->frame);
        va_free((uintptr_t)t->items, t->bytes);
    }
    t->items = (void *)va; /* the rest is zeroed by the retype */
    t->frame = frame;
    t->bytes = bytes;
    t->cap = (uint32_t)(bytes / t->elem);
    return OK;
}

void table_release(struct table *t)
{
    if (t->bytes == 0)
        return;
    (void)cap_delete(t->frame); /* unmaps it */
    slot_free(t->frame);
    va_free((uintptr_t)t->items, t->bytes);
    *t = (struct table){.elem = t->elem, .make_frame = t->make_frame};
}
