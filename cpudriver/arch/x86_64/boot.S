/* boot.S — the boot core's first instructions. QEMU's Multiboot loader enters
 * boot_entry32 in 32-bit protected mode with paging off. This switches to long
 * mode with bootstrap page tables (first GiB identity-mapped and at
 * KERNEL_VBASE) and calls x86_boot_bsp(mbi) in C, which builds the real ones. */
#include <arch/layout.h>

#define MB_MAGIC 0x1badb002
#define MB_FLAGS ((1 << 0) | (1 << 1) | (1 << 16)) /* align modules, memory map, a.out kludge */
#define MB_LOADER_MAGIC 0x2badb002

    .section .multiboot, "a"
    .balign 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long mb_header                 /* header_addr */
    .long __image_start_phys        /* load_addr */
    .long __image_end_phys          /* load_end_addr */
    .long __image_end_phys          /* bss_end_addr: the image has no bss to clear */
    .long boot_entry32              /* entry_addr */

    .section .boot.text, "ax"
    .code32
    .global boot_entry32
boot_entry32:
    cli
    mov $boot_stack_top, %esp
    cmp $MB_LOADER_MAGIC, %eax
    jne not_multiboot
    mov %ebx, boot_mbi

    /* Long mode and NX are required. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    bt $29, %edx
    jnc no_long_mode
    bt $20, %edx
    jnc no_long_mode

    /* Bootstrap tables: boot_pd maps the first GiB with 2 MiB pages; it is
     * reachable both at 0 (identity, for the jump) and at KERNEL_VBASE. */
    mov $boot_pd, %edi
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax                  /* present, writable, 2 MiB page */
    mov %eax, (%edi, %ecx, 8)
    movl $0, 4(%edi, %ecx, 8)
    inc %ecx
    cmp $512, %ecx
    jne 1b
    movl $(boot_pdpt_low + 3), boot_pml4
    movl $(boot_pdpt_high + 3), boot_pml4 + 511 * 8
    movl $(boot_pd + 3), boot_pdpt_low
    movl $(boot_pd + 3), boot_pdpt_high + 510 * 8

    mov %cr4, %eax
    or $(1 << 5), %eax              /* PAE */
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx           /* EFER */
    rdmsr
    or $((1 << 8) | (1 << 11)), %eax /* LME, NXE */
    wrmsr
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16) | 1), %eax /* PG, WP, PE */
    mov %eax, %cr0
    lgdt boot_gdt_ptr
    ljmp $SEG_KCODE, $boot_entry64

not_multiboot:
    mov $msg_not_multiboot, %esi
    jmp fail32
no_long_mode:
    mov $msg_no_long_mode, %esi
fail32:
    mov $0x3f8, %dx
2:  lodsb
    test %al, %al
    jz 3f
    out %al, %dx
    jmp 2b
3:  mov $0xf4, %dx                  /* isa-debug-exit: report failure */
    mov $1, %al
    out %al, %dx
4:  hlt
    jmp 4b

    .code64
boot_entry64:
    mov $SEG_KDATA, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    /* Run on the bootstrap stack's high alias: the identity map goes away. */
    movabs $KERNEL_VBASE, %rax
    mov $boot_stack_top, %esp
    add %rax, %rsp
    mov boot_mbi, %edi
    movabs $x86_boot_bsp, %rax
    call *%rax
5:  hlt
    jmp 5b

    .section .boot.data, "aw"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit kernel code */
    .quad 0x00cf92000000ffff        /* 0x10: kernel data */
boot_gdt_ptr:
    .word boot_gdt_ptr - boot_gdt - 1
    .long boot_gdt
boot_mbi:
    .long 0
msg_not_multiboot:
    .asciz "boot: not started by a Multiboot loader\n"
msg_no_long_mode:
    .asciz "boot: this CPU lacks long mode or NX; the CPU driver needs both\n"

    .section .boot.bss, "aw", @nobits
    .balign 4096
    .global boot_pml4
boot_pml4:
    .skip 4096
boot_pdpt_low:
    .skip 4096
boot_pdpt_high:
    .skip 4096
boot_pd:
    .skip 4096
boot_stack:
    .skip 16384
boot_stack_top:
