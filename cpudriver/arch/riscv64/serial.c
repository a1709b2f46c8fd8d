/* serial.c — the ns16550a UART the device tree names. Only the boot core's
 * console path writes it, so lines never interleave and no lock is shared. */
#include <arch.h>
#include <bootinfo.h>

static volatile uint8_t *reg(unsigned r)
{
    const struct boot_info *info = boot_info();
    return (volatile uint8_t *)arch_phys_to_virt(info->arch.uart_phys) +
           (r << info->arch.uart_reg_shift);
}

static void put(char c)
{
    for (int spin = 0; spin < 100000 && !(*reg(5) & 0x20); spin++)
        ;
    *reg(0) = (uint8_t)c;
}

void arch_serial_write(const char *s, size_t len)
{
    if (boot_info()->arch.uart_phys == 0)
        return;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            put('\r');
        put(s[i]);
    }
}
