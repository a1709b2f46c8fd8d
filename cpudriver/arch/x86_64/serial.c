/* serial.c — the 16550 UART at 0x3f8. Only the boot core's console path writes
 * it (other cores send their lines to the boot core), so output never
 * interleaves mid-line and no lock is shared. */
#include <arch.h>
#include <bootinfo.h>

#include "x86.h"

#define COM1 0x3f8

void serial_init(void)
{
    x86_outb(COM1 + 1, 0x00); /* no interrupts */
    x86_outb(COM1 + 3, 0x80); /* DLAB */
    x86_outb(COM1 + 0, 0x01); /* 115200 baud */
    x86_outb(COM1 + 1, 0x00);
    x86_outb(COM1 + 3, 0x03); /* 8N1 */
    x86_outb(COM1 + 2, 0xc5); /* FIFO on, transmit side cleared; typed-ahead input stays */
    x86_outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static void put(char c)
{
    for (int spin = 0; spin < 100000 && !(x86_inb(COM1 + 5) & 0x20); spin++)
        x86_pause();
    x86_outb(COM1, (uint8_t)c);
}

void arch_serial_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            put('\r');
        put(s[i]);
    }
}

/* COM1 for its user-mode driver: eight ports and ISA IRQ 4 (as its GSI). */
bool arch_console_device(struct console_device *out)
{
    *out = (struct console_device){
        .access = DEV_IOPORT, .base = COM1, .size = 8, .irq = boot_info()->arch.isa_gsi[4]};
    return true;
}
