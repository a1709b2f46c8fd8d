/* io.c (RISC-V) — device register accesses. Device registers are I/O to the
 * memory model, which orders them against memory accesses only through
 * fences: a write goes after earlier memory writes (fence w,o: descriptors
 * before the kick), a read before later memory reads (fence i,r: the used
 * ring after the interrupt status), as Linux's writel and readl do. */
#include <virtio_io.h>

#define BEFORE_WRITE() __asm__ volatile("fence w,o" ::: "memory")
#define AFTER_READ()   __asm__ volatile("fence i,r" ::: "memory")

uint8_t vio_read8(const volatile void *reg)
{
    uint8_t v = *(const volatile uint8_t *)reg;
    AFTER_READ();
    return v;
}

uint16_t vio_read16(const volatile void *reg)
{
    uint16_t v = *(const volatile uint16_t *)reg;
    AFTER_READ();
    return v;
}

uint32_t vio_read32(const volatile void *reg)
{
    uint32_t v = *(const volatile uint32_t *)reg;
    AFTER_READ();
    return v;
}

void vio_write8(volatile void *reg, uint8_t v)
{
    BEFORE_WRITE();
    *(volatile uint8_t *)reg = v;
}

void vio_write16(volatile void *reg, uint16_t v)
{
    BEFORE_WRITE();
    *(volatile uint16_t *)reg = v;
}

void vio_write32(volatile void *reg, uint32_t v)
{
    BEFORE_WRITE();
    *(volatile uint32_t *)reg = v;
}
