/* acpi.c — finds the cores (MADT), PCI Express configuration space (MCFG) and
 * the power-off register (FADT, DSDT \_S5)
 * from the ACPI tables the firmware left in memory. A table whose checksum is
 * wrong is ignored and reported, never trusted. */
#include <arch.h>
#include <string.h>

#include "x86.h"

struct sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_revision, creator, creator_revision;
} __attribute__((packed));

#define MAX_TABLE_BYTES (1u << 20)

static bool checksum_ok(const void *p, size_t len)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += ((const uint8_t *)p)[i];
    return sum == 0;
}

static const uint8_t *find_rsdp(void)
{
    /* The EBDA's first KiB, then the BIOS area 0xe0000-0xfffff, on 16-byte bounds. */
    paddr_t ebda = (paddr_t)(*(const uint16_t *)arch_phys_to_virt(0x40e)) << 4;
    paddr_t ranges[2][2] = {{ebda, ebda + 1024}, {0xe0000, 0x100000}};
    for (int r = 0; r < 2; r++) {
        if (ranges[r][0] == 0)
            continue;
        for (paddr_t p = ranges[r][0]; p + 20 <= ranges[r][1]; p += 16) {
            const uint8_t *v = arch_phys_to_virt(p);
            if (memcmp(v, "RSD PTR ", 8) == 0 && checksum_ok(v, 20))
                return v;
        }
    }
    return NULL;
}

static const struct sdt_header *table_at(paddr_t p)
{
    if (p == 0)
        return NULL;
    const struct sdt_header *h = arch_phys_to_virt(p);
    if (h->length < sizeof *h || h->length > MAX_TABLE_BYTES)
        return NULL;
    if (!checksum_ok(h, h->length)) {
        char sig[5] = {h->signature[0], h->signature[1], h->signature[2], h->signature[3], 0};
        kprintf("acpi: table %s at 0x%lx has a bad checksum; ignored\n", sig, (unsigned long)p);
        return NULL;
    }
    return h;
}

static const struct sdt_header *find_table(const uint8_t *rsdp, const char sig[4])
{
    uint8_t revision = rsdp[15];
    paddr_t root = *(const uint32_t *)(rsdp + 16);
    size_t entry = 4;
    if (revision >= 2 && *(const uint64_t *)(rsdp + 24) != 0) {
        root = *(const uint64_t *)(rsdp + 24); /* XSDT: 64-bit entries */
        entry = 8;
    }
    const struct sdt_header *rt = table_at(root);
    if (rt == NULL)
        return NULL;
    size_t count = (rt->length - sizeof *rt) / entry;
    const uint8_t *entries = (const uint8_t *)(rt + 1);
    for (size_t i = 0; i < count; i++) {
        paddr_t p = entry == 8 ? *(const uint64_t *)(entries + 8 * i)
                               : *(const uint32_t *)(entries + 4 * i);
        const struct sdt_header *h = table_at(p);
        if (h != NULL && memcmp(h->signature, sig, 4) == 0)
            return h;
    }
    return NULL;
}

static void add_core(struct boot_info *info, uint32_t apic_id, uint32_t boot_id)
{
    if (apic_id == boot_id)
        return; /* the boot core is core 0, already listed */
    for (uint32_t i = 0; i < info->core_count; i++) {
        if (info->hw_ids[i] == apic_id)
            return;
    }
    if (info->core_count == MAX_CORES) {
        kprintf("acpi: more than %d cores; the rest stay off\n", MAX_CORES);
        return;
    }
    info->hw_ids[info->core_count++] = apic_id;
}

static void read_madt(const struct sdt_header *madt, struct boot_info *info)
{
    const uint8_t *p = (const uint8_t *)madt + sizeof *madt + 8; /* skip LAPIC addr, flags */
    const uint8_t *end = (const uint8_t *)madt + madt->length;
    info->arch.lapic_phys = *(const uint32_t *)((const uint8_t *)madt + sizeof *madt);
    uint32_t boot_id = info->hw_ids[0];
    while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
        if (p[0] == 0 && p[1] >= 8 && (*(const uint32_t *)(p + 4) & 3))
            add_core(info, p[3], boot_id); /* processor local APIC, enabled or online-capable */
        else if (p[0] == 9 && p[1] >= 16 && (*(const uint32_t *)(p + 8) & 3))
            add_core(info, *(const uint32_t *)(p + 4), boot_id); /* x2APIC */
        else if (p[0] == 1 && p[1] >= 12 && info->arch.ioapic_phys == 0) {
            info->arch.ioapic_phys = *(const uint32_t *)(p + 4); /* I/O APIC */
            info->arch.ioapic_gsi_base = *(const uint32_t *)(p + 8);
        } else if (p[0] == 2 && p[1] >= 10 && p[2] == 0 && p[3] < 16) {
            uint32_t gsi = *(const uint32_t *)(p + 4); /* ISA interrupt source override */
            if (gsi < 256) {
                info->arch.isa_gsi[p[3]] = (uint8_t)gsi;
                info->arch.isa_flags[p[3]] = *(const uint16_t *)(p + 8);
            }
        }
        p += p[1];
    }
}

/* SLP_TYPa of \_S5 from the DSDT's AML: Name(_S5_, Package(){a, b, ...}). */
static void read_s5(const struct sdt_header *dsdt, struct boot_info *info)
{
    const uint8_t *p = (const uint8_t *)(dsdt + 1);
    const uint8_t *end = (const uint8_t *)dsdt + dsdt->length;
    for (; p + 8 < end; p++) {
        if (memcmp(p, "_S5_", 4) != 0 || p[4] != 0x12)
            continue;
        const uint8_t *q = p + 5;
        q += ((*q >> 6) & 3) + 1; /* PkgLength */
        q++;                      /* NumElements */
        if (q + 1 >= end)
            return;
        if (*q == 0x0a) /* BytePrefix */
            info->arch.slp_typ_s5 = q[1];
        else if (*q <= 1) /* ZeroOp / OneOp */
            info->arch.slp_typ_s5 = *q;
        return;
    }
}

/* PCI Express configuration space (ECAM) from MCFG: an allocation of 16 bytes
 * per segment after 8 reserved; segment 0 is the one this system reads. */
static void read_mcfg(const struct sdt_header *mcfg, struct boot_info *info)
{
    const uint8_t *p = (const uint8_t *)mcfg + sizeof *mcfg + 8;
    const uint8_t *end = (const uint8_t *)mcfg + mcfg->length;
    for (; p + 16 <= end && info->bus_count < BUS_REGIONS_MAX; p += 16) {
        uint64_t base = *(const uint64_t *)p;
        uint16_t segment = *(const uint16_t *)(p + 8);
        uint8_t first = p[10], last = p[11];
        if (segment != 0 || last < first || (base & 0xfffff) != 0)
            continue;
        info->bus[info->bus_count++] = (struct bus_region){
            .kind = BUS_PCIE_ECAM,
            .base = base + ((uint64_t)first << 20),
            .size = (uint64_t)(last - first + 1) << 20,
            .first_bus = first,
            .last_bus = last,
        };
    }
}

/* Where the firmware put BARs, and which lines PCI interrupts use. Both are in
 * the DSDT's AML (PCI0's _CRS and _PRT), which this kernel does not run; on
 * q35 the 32-bit window runs from the end of ECAM up to the I/O APIC, and
 * PCI INTx lines are the I/O APIC's pins 16-23 (PIRQA-H). */
static void pci_window(struct boot_info *info)
{
    for (uint32_t i = 0; i < info->bus_count; i++) {
        struct bus_region *b = &info->bus[i];
        uint64_t end = b->base + b->size, top = info->arch.ioapic_phys;
        if (b->kind != BUS_PCIE_ECAM || b->first_bus != 0 || top <= end || top > (4ull << 30))
            continue;
        b->window_base = end;
        b->window_pages = (uint32_t)((top - end) >> 12);
        b->irq = 16;
        b->irq_count = 8;
    }
}

void acpi_discover(struct boot_info *info)
{
    info->core_count = 1;
    info->hw_ids[0] = lapic_id();
    info->arch.lapic_phys = 0xfee00000;
    for (uint8_t i = 0; i < 16; i++)
        info->arch.isa_gsi[i] = i; /* identity unless an override says otherwise */
    const uint8_t *rsdp = find_rsdp();
    if (rsdp == NULL) {
        kprintf("acpi: no RSDP found; running on the boot core alone\n");
        return;
    }
    const struct sdt_header *madt = find_table(rsdp, "APIC");
    if (madt != NULL)
        read_madt(madt, info);
    else
        kprintf("acpi: no MADT; running on the boot core alone\n");

    const struct sdt_header *mcfg = find_table(rsdp, "MCFG");
    if (mcfg != NULL)
        read_mcfg(mcfg, info);
    pci_window(info);

    const struct sdt_header *fadt = find_table(rsdp, "FACP");
    if (fadt != NULL && fadt->length >= 68) {
        info->arch.pm1a_cnt_port = (uint16_t) * (const uint32_t *)((const uint8_t *)fadt + 64);
        paddr_t dsdt = *(const uint32_t *)((const uint8_t *)fadt + 40);
        if (fadt->length >= 148 && *(const uint64_t *)((const uint8_t *)fadt + 140) != 0)
            dsdt = *(const uint64_t *)((const uint8_t *)fadt + 140);
        const struct sdt_header *d = table_at(dsdt);
        if (d != NULL)
            read_s5(d, info);
    }
}
