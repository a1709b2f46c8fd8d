/* share.c — exporting and importing frames across cores through this core's
 * monitor (share.h, proto/ns.h NS_EXPORT and NS_IMPORT). */
#include <ns_calls.h>
#include <share.h>

err_t frame_export(capaddr_t frame, struct ns_export *out)
{
    return ns_export(NULL, out, frame, 0);
}

err_t frame_import(unsigned core, uint32_t id, capaddr_t slot, uint64_t *bytes)
{
    struct ns_export q = {.core = core, .id = id}, got;
    err_t err = ns_import(&q, &got, 0, slot);
    if (err == OK && bytes != NULL)
        *bytes = got.bytes;
    return err;
}
