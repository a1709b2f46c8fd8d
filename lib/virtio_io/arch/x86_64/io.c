/* io.c (x86-64) — device register accesses. Uncached memory on x86 is
 * strongly ordered with every other access, so a compiler barrier is all the
 * ordering that is needed. */
#include <virtio_io.h>

#define BARRIER() __asm__ volatile("" ::: "memory")

uint8_t vio_read8(const volatile void *reg)
{
    BARRIER();
    uint8_t v = *(const volatile uint8_t *)reg;
    BARRIER();
    return v;
}

uint16_t vio_read16(const volatile void *reg)
{
    BARRIER();
    uint16_t v = *(const volatile uint16_t *)reg;
    BARRIER();
    return v;
}

uint32_t vio_read32(const volatile void *reg)
{
    BARRIER();
    uint32_t v = *(const volatile uint32_t *)reg;
    BARRIER();
    return v;
}

void vio_write8(volatile void *reg, uint8_t v)
{
    BARRIER();
    *(volatile uint8_t *)reg = v;
    BARRIER();
}

void vio_write16(volatile void *reg, uint16_t v)
{
    BARRIER();
    *(volatile uint16_t *)reg = v;
    BARRIER();
}

void vio_write32(volatile void *reg, uint32_t v)
{
    BARRIER();
    *(volatile uint32_t *)reg = v;
    BARRIER();
}
