/* ram.c — RAM on demand from this core's monitor (proto/ns.h NS_RAM), and
 * what each core's monitor has left (NS_MEMINFO). */
#include <ns_calls.h>
#include <ram.h>

err_t ram_alloc(uint64_t bytes, capaddr_t slot, uint64_t *base)
{
    struct ns_ram q = {.bytes = bytes}, got;
    err_t err = ns_ram(&q, &got, 0, slot);
    if (err == OK && base != NULL)
        *base = got.base;
    return err;
}

err_t ram_info(unsigned core, struct ns_meminfo *info)
{
    struct ns_meminfo_ask q = {.core = core};
    return ns_meminfo(&q, info, 0, 0);
}
