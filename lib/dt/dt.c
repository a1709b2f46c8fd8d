/* dt.c — reads a device tree into struct dt_machine (see dt.h). */
#include <dt.h>
#include <libfdt.h>
#include <string.h>

static err_t fail(struct dt_machine *m, err_t err, const char *why)
{
    m->why = why;
    return err;
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
    uint64_t v = 0;
    for (int i = 0; i < cells; i++)
        v = (v << 32) | fdt32_to_cpu(p[i]);
    return v;
}

/* The first (address, size) pair of a node's reg, using its parent's cells. */
static int reg_first(const void *fdt, int node, uint64_t *base, uint64_t *size)
{
    int parent = fdt_parent_offset(fdt, node);
    int ac = parent >= 0 ? fdt_address_cells(fdt, parent) : 2;
    int sc = parent >= 0 ? fdt_size_cells(fdt, parent) : 1;
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    if (reg == NULL || ac < 1 || ac > 2 || sc < 0 || sc > 2 || len < (ac + sc) * 4)
        return -1;
    *base = read_cells(reg, ac);
    *size = read_cells(reg + ac, sc);
    return 0;
}

static bool status_okay(const void *fdt, int node)
{
    int len;
    const char *s = fdt_getprop(fdt, node, "status", &len);
    return s == NULL || (len >= 4 && strncmp(s, "okay", 4) == 0) ||
           (len >= 2 && strncmp(s, "ok", 2) == 0);
}

static void add_range(struct dt_range *ranges, uint32_t *count, uint64_t base, uint64_t size)
{
    if (*count < DT_MAX_RANGES && size > 0) {
        ranges[*count].base = base;
        ranges[*count].size = size;
        (*count)++;
    }
}

static err_t read_memory(const void *fdt, struct dt_machine *m)
{
    int root_ac = fdt_address_cells(fdt, 0), root_sc = fdt_size_cells(fdt, 0);
    if (root_ac < 1 || root_ac > 2 || root_sc < 1 || root_sc > 2)
        return fail(m, ERR_INVAL, "unsupported #address-cells or #size-cells at the root");
    for (int node =
             fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof "memory");
         node >= 0; node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory",
                                                         sizeof "memory")) {
        int len;
        const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
        int entry = (root_ac + root_sc) * 4;
        for (int off = 0; reg != NULL && off + entry <= len; off += entry) {
            const fdt32_t *p = reg + off / 4;
            add_range(m->mem, &m->mem_count, read_cells(p, root_ac),
                      read_cells(p + root_ac, root_sc));
        }
    }
    if (m->mem_count == 0)
        return fail(m, ERR_INVAL, "no memory node");

    for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
        uint64_t base, size;
        if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
            add_range(m->reserved, &m->reserved_count, base, size);
    }
    int rsv = fdt_path_offset(fdt, "/reserved-memory");
    if (rsv >= 0) {
        int child;
        fdt_for_each_subnode(child, fdt, rsv)
        {
            uint64_t base, size;
            if (reg_first(fdt, child, &base, &size) == 0)
                add_range(m->reserved, &m->reserved_count, base, size);
        }
    }
    return OK;
}

static err_t read_cpus(const void *fdt, struct dt_machine *m)
{
    int cpus = fdt_path_offset(fdt, "/cpus");
    if (cpus < 0)
        return fail(m, ERR_INVAL, "no /cpus node");
    int len;
    const fdt32_t *tb = fdt_getprop(fdt, cpus, "timebase-frequency", &len);
    if (tb == NULL || (len != 4 && len != 8))
        return fail(m, ERR_INVAL, "no timebase-frequency in /cpus");
    m->timebase_hz = read_cells(tb, len / 4);
    if (m->timebase_hz == 0)
        return fail(m, ERR_INVAL, "timebase-frequency is zero");

    int cpu;
    fdt_for_each_subnode(cpu, fdt, cpus)
    {
        const char *type = fdt_getprop(fdt, cpu, "device_type", &len);
        if (type == NULL || len < 4 || strncmp(type, "cpu", 4) != 0)
            continue;
        if (!status_okay(fdt, cpu) || fdt_getprop(fdt, cpu, "mmu-type", NULL) == NULL)
            continue; /* disabled, or an M-mode-only hart */
        const fdt32_t *reg = fdt_getprop(fdt, cpu, "reg", &len);
        if (reg == NULL || len < 4)
            return fail(m, ERR_INVAL, "a cpu node without reg");
        if (m->hart_count < DT_MAX_HARTS)
            m->harts[m->hart_count++] = fdt32_to_cpu(reg[len / 4 - 1]);
    }
    if (m->hart_count == 0)
        return fail(m, ERR_INVAL, "no usable cpu in /cpus");
    return OK;
}

static uint64_t first_compatible(const void *fdt, const char *compat, uint32_t *reg_shift)
{
    int node = fdt_node_offset_by_compatible(fdt, -1, compat);
    while (node >= 0 && !status_okay(fdt, node))
        node = fdt_node_offset_by_compatible(fdt, node, compat);
    uint64_t base, size;
    if (node < 0 || reg_first(fdt, node, &base, &size) != 0)
        return 0;
    if (reg_shift != NULL) {
        int len;
        const fdt32_t *rs = fdt_getprop(fdt, node, "reg-shift", &len);
        *reg_shift = rs != NULL && len == 4 && fdt32_to_cpu(*rs) < 4 ? fdt32_to_cpu(*rs) : 0;
    }
    return base;
}

/* The node's first interrupt specifier cell (its PLIC source), or 0. */
static uint32_t first_interrupt(const void *fdt, const char *compat)
{
    int node = fdt_node_offset_by_compatible(fdt, -1, compat);
    while (node >= 0 && !status_okay(fdt, node))
        node = fdt_node_offset_by_compatible(fdt, node, compat);
    int len;
    const fdt32_t *irq = node >= 0 ? fdt_getprop(fdt, node, "interrupts", &len) : NULL;
    return irq != NULL && len >= 4 ? fdt32_to_cpu(irq[0]) : 0;
}

#define IRQ_S_EXTERNAL 9 /* the cause number a PLIC context for S-mode names */

/* The PLIC's interrupts-extended lists its contexts in order as (phandle of a
 * hart's interrupt controller, cause) pairs; the S-mode one of each hart is the
 * context the CPU driver on that hart claims interrupts from. */
static void read_plic_contexts(const void *fdt, int plic, struct dt_machine *m)
{
    for (uint32_t i = 0; i < DT_MAX_HARTS; i++)
        m->plic_s_context[i] = DT_NO_CONTEXT;
    int len;
    const fdt32_t *ie = plic >= 0 ? fdt_getprop(fdt, plic, "interrupts-extended", &len) : NULL;
    if (ie == NULL || len < 8)
        return;
    for (int ctx = 0; ctx < len / 8; ctx++) {
        if (fdt32_to_cpu(ie[2 * ctx + 1]) != IRQ_S_EXTERNAL)
            continue;
        int intc = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(ie[2 * ctx]));
        int cpu = intc >= 0 ? fdt_parent_offset(fdt, intc) : -1;
        int reg_len;
        const fdt32_t *reg = cpu >= 0 ? fdt_getprop(fdt, cpu, "reg", &reg_len) : NULL;
        if (reg == NULL || reg_len < 4)
            continue;
        uint32_t hart = fdt32_to_cpu(reg[reg_len / 4 - 1]);
        for (uint32_t h = 0; h < m->hart_count; h++) {
            if (m->harts[h] == hart && m->plic_s_context[h] == DT_NO_CONTEXT)
                m->plic_s_context[h] = (uint32_t)ctx;
        }
    }
}

static err_t read_chosen(const void *fdt, struct dt_machine *m)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen < 0)
        return OK;
    int len;
    const char *args = fdt_getprop(fdt, chosen, "bootargs", &len);
    if (args != NULL && len > 0) {
        size_t n = strnlen(args, (size_t)len);
        if (n >= DT_BOOTARGS_MAX)
            n = DT_BOOTARGS_MAX - 1;
        memcpy(m->bootargs, args, n);
        m->bootargs[n] = '\0';
    }
    const fdt32_t *start = fdt_getprop(fdt, chosen, "linux,initrd-start", &len);
    int end_len;
    const fdt32_t *end = fdt_getprop(fdt, chosen, "linux,initrd-end", &end_len);
    if (start != NULL && end != NULL) {
        if ((len != 4 && len != 8) || (end_len != 4 && end_len != 8))
            return fail(m, ERR_INVAL, "malformed linux,initrd-start or -end");
        m->initrd_start = read_cells(start, len / 4);
        m->initrd_end = read_cells(end, end_len / 4);
        if (m->initrd_end < m->initrd_start)
            return fail(m, ERR_INVAL, "linux,initrd-end is before linux,initrd-start");
    }
    return OK;
}

err_t dt_read(const void *fdt, size_t size, struct dt_machine *m)
{
    memset(m, 0, sizeof *m);
    if (fdt == NULL || size < sizeof(struct fdt_header))
        return fail(m, ERR_TRUNCATED, "too small to hold a device tree header");
    if (fdt_magic(fdt) != FDT_MAGIC)
        return fail(m, ERR_BADMAGIC, "not a flattened device tree (bad magic)");
    if (fdt_totalsize(fdt) > size)
        return fail(m, ERR_TRUNCATED, "the tree claims more bytes than it was given");
    if (fdt_check_header(fdt) != 0)
        return fail(m, ERR_BADHDR, "malformed device tree header");
    /* libfdt reads tags and reservations in place as 32- and 64-bit words, so
     * the blocks must sit where the specification puts them. */
    if ((uintptr_t)fdt % 8 != 0 || fdt_off_mem_rsvmap(fdt) % 8 != 0 ||
        fdt_off_dt_struct(fdt) % 4 != 0)
        return fail(m, ERR_BADHDR, "device tree blocks are not aligned as the specification asks");
    m->tree_size = fdt_totalsize(fdt);
    err_t err;
    if ((err = read_memory(fdt, m)) != OK || (err = read_cpus(fdt, m)) != OK ||
        (err = read_chosen(fdt, m)) != OK)
        return err;
    m->uart_base = first_compatible(fdt, "ns16550a", &m->uart_reg_shift);
    m->test_base = first_compatible(fdt, "sifive,test0", NULL);
    m->uart_irq = first_interrupt(fdt, "ns16550a");
    const char *plic_compat = "riscv,plic0";
    m->plic_base = first_compatible(fdt, plic_compat, NULL);
    if (m->plic_base == 0) {
        plic_compat = "sifive,plic-1.0.0";
        m->plic_base = first_compatible(fdt, plic_compat, NULL);
    }
    read_plic_contexts(fdt, fdt_node_offset_by_compatible(fdt, -1, plic_compat), m);
    dt_read_buses(fdt, m);
    return OK;
}
