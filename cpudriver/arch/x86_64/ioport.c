/* ioport.c — I/O ports for user-mode drivers (an I/O-port capability's
 * SYS_IO_IN and SYS_IO_OUT). Ports the CPU driver itself needs are never
 * given out: the PIT and the PICs' (timer calibration, masking), the ACPI
 * power-off block and the exit device. */
#include <arch.h>
#include <bootinfo.h>

#include "x86.h"

static bool overlaps(uint64_t base, uint64_t count, uint64_t b, uint64_t n)
{
    return base < b + n && b < base + count;
}

bool arch_ioport_range(uint64_t base, uint64_t count)
{
    if (count == 0 || base > 0xffff || count > 0x10000 - base)
        return false;
    uint16_t pm1a = boot_info()->arch.pm1a_cnt_port;
    return !overlaps(base, count, 0x20, 2) && !overlaps(base, count, 0xa0, 2) &&
           !overlaps(base, count, 0x40, 4) && !overlaps(base, count, 0x61, 1) &&
           !overlaps(base, count, 0xf4, 1) && (pm1a == 0 || !overlaps(base, count, pm1a, 2));
}

bool arch_io_in(uint16_t port, unsigned width, uint32_t *value)
{
    if (width == 1)
        *value = x86_inb(port);
    else if (width == 2)
        __asm__ volatile("inw %1, %w0" : "=a"(*value) : "Nd"(port));
    else
        __asm__ volatile("inl %1, %0" : "=a"(*value) : "Nd"(port));
    return true;
}

bool arch_io_out(uint16_t port, unsigned width, uint32_t value)
{
    if (width == 1)
        x86_outb(port, (uint8_t)value);
    else if (width == 2)
        x86_outw(port, (uint16_t)value);
    else
        __asm__ volatile("outl %0, %1" ::"a"(value), "Nd"(port));
    return true;
}
