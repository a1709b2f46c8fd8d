/* cpu.c — this core's descriptor tables (GDT, TSS, IDT) and system-call MSRs.
 * They are ordinary globals, so each core has its own copy at the same address. */
#include <arch/layout.h>
#include <string.h>

#include "x86.h"

#define MSR_EFER   0xc0000080
#define MSR_STAR   0xc0000081
#define MSR_LSTAR  0xc0000082
#define MSR_SFMASK 0xc0000084
#define EFER_SCE   (1ull << 0)

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct idt_entry {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __attribute__((packed));

struct table_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

extern char x86_kstack_top[];

static uint64_t gdt[7];
static struct tss tss;
static struct idt_entry idt[256];
static uint8_t ist_stack[4096] __attribute__((aligned(16)));

#define IST_CRITICAL 1 /* NMI, double fault, machine check: a known-good stack */

static void gdt_init(void)
{
    gdt[0] = 0;
    gdt[SEG_KCODE / 8] = 0x00af9b000000ffff; /* 64-bit code, DPL 0 */
    gdt[SEG_KDATA / 8] = 0x00cf93000000ffff; /* data, DPL 0 */
    gdt[SEG_UDATA / 8] = 0x00cff3000000ffff; /* data, DPL 3 */
    gdt[SEG_UCODE / 8] = 0x00affb000000ffff; /* 64-bit code, DPL 3 */

    memset(&tss, 0, sizeof tss);
    tss.rsp[0] = (uint64_t)x86_kstack_top;
    tss.ist[IST_CRITICAL - 1] = (uint64_t)(ist_stack + sizeof ist_stack);
    tss.iomap_base = sizeof tss; /* no I/O bitmap: user I/O port access faults */
    uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;
    gdt[SEG_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
                       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[SEG_TSS / 8 + 1] = base >> 32;

    struct table_ptr p = {sizeof gdt - 1, (uint64_t)gdt};
    __asm__ volatile("lgdt %0\n"
                     "pushq %1\n"
                     "leaq 1f(%%rip), %%rax\n"
                     "pushq %%rax\n"
                     "lretq\n"
                     "1:\n"
                     "mov %2, %%ds\n"
                     "mov %2, %%es\n"
                     "mov %2, %%ss\n"
                     "ltr %w3\n"
                     "lldt %w4\n"
                     :
                     : "m"(p), "i"(SEG_KCODE), "r"(SEG_KDATA), "r"(SEG_TSS), "r"(0)
                     : "rax", "memory");
}

static void idt_init(void)
{
    for (int v = 0; v < 256; v++) {
        uint64_t addr = (uint64_t)(x86_trap_stubs + 16 * v);
        idt[v] = (struct idt_entry){
            .offset_lo = addr & 0xffff,
            .selector = SEG_KCODE,
            .ist = (v == 2 || v == 8 || v == 18) ? IST_CRITICAL : 0,
            .type = 0x8e, /* present, DPL 0, interrupt gate: user mode cannot int $n */
            .offset_mid = (addr >> 16) & 0xffff,
            .offset_hi = addr >> 32,
        };
    }
    struct table_ptr p = {sizeof idt - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" ::"m"(p));
}

static void syscall_init(void)
{
    x86_wrmsr(MSR_EFER, x86_rdmsr(MSR_EFER) | EFER_SCE);
    /* sysret loads CS = base + 16 and SS = base + 8 from STAR[63:48]. */
    x86_wrmsr(MSR_STAR, ((uint64_t)(SEG_KDATA | 3) << 48) | ((uint64_t)SEG_KCODE << 32));
    x86_wrmsr(MSR_LSTAR, (uint64_t)x86_syscall_entry);
    x86_wrmsr(MSR_SFMASK, 0x47700); /* clear IF, TF, DF, AC, NT, IOPL on entry */
}

/* SSE for user domains (the kernel itself is built without it). */
static void fpu_init(void)
{
    uint64_t cr0, cr4;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 & ~(1ull << 2)) | (1ull << 1) | (1ull << 5); /* EM off; MP, NE on */
    __asm__ volatile("mov %0, %%cr0" ::"r"(cr0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= (1ull << 9) | (1ull << 10); /* OSFXSR, OSXMMEXCPT */
    __asm__ volatile("mov %0, %%cr4" ::"r"(cr4));
}

void x86_cpu_init(void)
{
    fpu_init();
    gdt_init();
    idt_init();
    syscall_init();
}
