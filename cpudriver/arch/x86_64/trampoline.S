/* trampoline.S — where an application processor starts after INIT-SIPI-SIPI: in
 * real mode at TRAMPOLINE_PHYS. The boot core copies this page there and fills
 * in the words at the end (one core starts at a time), then sends the SIPI.
 * The code goes real -> protected -> long mode on the bootstrap tables (which
 * map the first GiB at 0 and at KERNEL_VBASE) and jumps to the kernel, which
 * moves onto the core's own tables and stack (x86_switch_to_core). */
#include <arch/layout.h>

#define T(label) (TRAMPOLINE_PHYS + (label - trampoline_start))

    .section .trampoline, "a"
    .code16
    .global trampoline_start
trampoline_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    lgdtl T(tramp_gdt_ptr)
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $0x18, $T(tramp32)

    .code32
tramp32:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %cr4, %eax
    or $(1 << 5), %eax              /* PAE */
    mov %eax, %cr4
    mov T(tramp_cr3), %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx           /* EFER: LME, NXE */
    rdmsr
    or $((1 << 8) | (1 << 11)), %eax
    wrmsr
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16)), %eax /* PG, WP */
    mov %eax, %cr0
    ljmp $0x08, $T(tramp64)

    .code64
tramp64:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov T(tramp_pml4), %rdi
    mov T(tramp_cb), %rsi
    mov T(tramp_entry), %rax
    jmp *%rax

    .balign 8
tramp_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff        /* 0x10: data */
    .quad 0x00cf9a000000ffff        /* 0x18: 32-bit code */
tramp_gdt_ptr:
    .word tramp_gdt_ptr - tramp_gdt - 1
    .long T(tramp_gdt)
    .balign 8
    .global tramp_cr3, tramp_pml4, tramp_cb, tramp_entry
tramp_cr3:
    .quad 0     /* bootstrap tables, below 4 GiB */
tramp_pml4:
    .quad 0     /* the core's own tables */
tramp_cb:
    .quad 0     /* its struct core_boot, as a kernel virtual address */
tramp_entry:
    .quad 0     /* x86_switch_to_core */
    .global trampoline_end
trampoline_end:
