/* capfill — fills its capability space to the last slot: copies of one frame
 * into every slot the slot allocator hands out, the space growing by CNodes
 * made of its own RAM, until the allocator says there is no space. Then it
 * deletes them all. Exits 0 if the space held CSPACE_MAX_SLOTS slots and the
 * last request got a clean ERR_NOSPACE. */
#include <slot_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys.h>

int main(void)
{
    capaddr_t frame, s;
    if (slot_alloc(&frame) != OK || cap_retype(CAP_SLOT_RAM, frame, CAP_FRAME, 4096, NULL) != OK) {
        printf("capfill: no frame to copy\n");
        return 1;
    }
    capaddr_t *held = malloc(CSPACE_MAX_SLOTS * sizeof *held);
    if (held == NULL) {
        printf("capfill: no memory for the list of slots\n");
        return 1;
    }
    unsigned n = 0;
    err_t err;
    while ((err = slot_alloc(&s)) == OK) {
        err_t copied = cap_copy(frame, s, CAP_RIGHTS_ALL);
        if (copied != OK) {
            printf("capfill: copy into slot %u: %s\n", (unsigned)s, err_str(copied));
            return 1;
        }
        held[n++] = s;
    }
    printf("capfill: %u copies held, the space full at %u slots (%s)\n", n, (unsigned)slot_limit(),
           err_str(err));
    for (unsigned i = 0; i < n; i++) {
        (void)cap_delete(held[i]);
        slot_free(held[i]);
    }
    free(held);
    struct cap_info info;
    bool frame_alive = cap_identify(frame, &info) == OK;
    printf("capfill: all deleted; the frame %s\n", frame_alive ? "stays" : "is gone");
    return slot_limit() == CSPACE_MAX_SLOTS && err == ERR_NOSPACE && frame_alive ? 0 : 1;
}
