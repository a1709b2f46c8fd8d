/* dt_fuzz.c — libFuzzer target: dt_read on any bytes returns an error or a
 * consistent result, and never touches memory outside them. */
#include <dt.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct dt_machine m;
    if (dt_read(data, size, &m) != OK)
        return 0;
    if (m.hart_count == 0 || m.hart_count > DT_MAX_HARTS || m.mem_count == 0 ||
        m.timebase_hz == 0 || m.bootargs[DT_BOOTARGS_MAX - 1] != '\0')
        abort();
    return 0;
}
