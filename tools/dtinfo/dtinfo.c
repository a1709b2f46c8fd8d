/* dtinfo — prints what the CPU driver reads from a device tree blob:
 *   dtinfo FILE.dtb
 * One "key value" line each; exits 1 with the reason if the tree is refused.
 * The tests compare its output with dtc's view of the same blob. */
#include <dt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dtinfo FILE.dtb\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    /* An exactly-sized copy, so that a read past the end is caught by ASan. */
    uint8_t *blob = malloc(n ? n : 1);
    memcpy(blob, buf, n);
    static struct dt_machine m;
    err_t err = dt_read(blob, n, &m);
    if (err != OK) {
        printf("error %s: %s\n", err_str(err), m.why);
        free(blob);
        return 1;
    }
    printf("harts %u:", m.hart_count);
    for (uint32_t i = 0; i < m.hart_count; i++)
        printf(" %u", m.harts[i]);
    printf("\ntimebase %llu\n", (unsigned long long)m.timebase_hz);
    for (uint32_t i = 0; i < m.mem_count; i++)
        printf("memory 0x%llx 0x%llx\n", (unsigned long long)m.mem[i].base,
               (unsigned long long)m.mem[i].size);
    for (uint32_t i = 0; i < m.reserved_count; i++)
        printf("reserved 0x%llx 0x%llx\n", (unsigned long long)m.reserved[i].base,
               (unsigned long long)m.reserved[i].size);
    printf("uart 0x%llx shift %u\n", (unsigned long long)m.uart_base, m.uart_reg_shift);
    printf("test 0x%llx\n", (unsigned long long)m.test_base);
    printf("uart irq %u\n", m.uart_irq);
    printf("plic 0x%llx\n", (unsigned long long)m.plic_base);
    printf("plic s-contexts:");
    for (uint32_t i = 0; i < m.hart_count; i++) {
        if (m.plic_s_context[i] == DT_NO_CONTEXT)
            printf(" %u=none", m.harts[i]);
        else
            printf(" %u=%u", m.harts[i], m.plic_s_context[i]);
    }
    printf("\n");
    printf("initrd 0x%llx 0x%llx\n", (unsigned long long)m.initrd_start,
           (unsigned long long)m.initrd_end);
    printf("bootargs %s\n", m.bootargs);
    for (uint32_t i = 0; i < m.bus_count; i++) {
        const struct bus_region *b = &m.bus[i];
        if (b->kind == BUS_PCIE_ECAM)
            printf("pcie 0x%llx 0x%llx buses %u-%u\n", (unsigned long long)b->base,
                   (unsigned long long)b->size, b->first_bus, b->last_bus);
        else
            printf("virtio-mmio 0x%llx 0x%llx irq %u\n", (unsigned long long)b->base,
                   (unsigned long long)b->size, b->irq);
    }
    free(blob);
    return 0;
}
