/* ram.c — RAM on demand from this core's monitor (proto/ns.h NS_RAM), and
 * what each core's monitor has left (NS_MEMINFO). */
#include <lmp.h>
#include <proto/ns.h>
#include <ram.h>

err_t ram_alloc(uint64_t bytes, capaddr_t slot, uint64_t *base)
{
    msg_t m = MSG(NS_RAM), r;
    msg_payload(&m, struct ns_ram)->bytes = bytes;
    err_t err = lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, slot);
    if (err == OK)
        err = (err_t)r.type;
    if (err == OK && base != NULL)
        *base = msg_payload(&r, struct ns_ram)->base;
    return err;
}

err_t ram_info(unsigned core, struct ns_meminfo *info)
{
    msg_t m = MSG(NS_MEMINFO), r;
    msg_payload(&m, struct ns_meminfo_ask)->core = core;
    err_t err = lmp_call(CAP_SLOT_MONITOR, &m, &r, 0, 0);
    if (err == OK)
        err = (err_t)r.type;
    if (err == OK)
        *info = *msg_payload(&r, struct ns_meminfo);
    return err;
}
