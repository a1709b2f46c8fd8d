/* share.c — exporting and importing frames across cores through this core's
 * monitor (share.h, proto/ns.h NS_EXPORT and NS_IMPORT). */
#include <lmp.h>
#include <share.h>

err_t frame_export(capaddr_t frame, struct ns_export *out)
{
    msg_t m = MSG(NS_EXPORT), r;
    err_t err = lmp_call(CAP_SLOT_MONITOR, &m, &r, frame, 0);
    if (err == OK)
        err = (err_t)r.type;
    if (err == OK)
        *out = *msg_payload(&r, struct ns_export);
    return err;
}

err_t frame_import(unsigned core, uint32_t id, capaddr_t slot, uint64_t *bytes)
{
    msg_t m = MSG(NS_IMPORT), r;
    *msg_payload(&m, struct ns_export) = (struct ns_export){.core = core, .id = id};
    err_t err = lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, slot);
    if (err == OK)
        err = (err_t)r.type;
    if (err == OK && bytes != NULL)
        *bytes = msg_payload(&r, struct ns_export)->bytes;
    return err;
}
