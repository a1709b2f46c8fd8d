/* boot.S — how a hart enters the RISC-V CPU driver, MMU off, in S-mode.
 *
 * _start: the boot hart, from OpenSBI: a0 = hart id, a1 = device tree. It
 * identity-maps the first BOOTSTRAP_GIB GiB and maps the first GiB of RAM at
 * KERNEL_VBASE with gigapages, turns on Sv39 and calls riscv_boot_bsp in C.
 * riscv_ap_entry: every other hart, from SBI HSM hart_start: a0 = hart id,
 * a1 = its hand-off area (struct core_boot, then a small stack). */
#include <arch/layout.h>

#define PTE_GIGA_RWX 0xcf /* V R W X A D */

    .section .boot.text, "ax"
    .global _start
_start:
    csrw sie, zero
    csrw sscratch, zero
    /* Only the first hart here boots the system. OpenSBI 1.1's hart_start
     * marks a hart startable before it stores the address to start it at, so
     * a hart that wakes in between comes here, with the boot arguments, instead
     * of riscv_ap_entry: it takes the hand-off the boot hart published. */
    la t0, boot_claimed
    li t1, 1
    amoswap.w.aqrl t1, t1, (t0)
    bnez t1, misdirected
    la sp, boot_stack_top
    mv s0, a0
    mv s1, a1

    /* boot_root[i] = gigapage i (identity) for i < BOOTSTRAP_GIB, and
     * boot_root[510] = the first GiB of RAM (the KERNEL_VBASE alias). */
    la t0, boot_root
    li t1, 0
    li t2, BOOTSTRAP_GIB
1:  slli t3, t1, 28                 /* (i << 30) >> 12 << 10 */
    ori t3, t3, PTE_GIGA_RWX
    slli t4, t1, 3
    add t4, t0, t4
    sd t3, 0(t4)
    addi t1, t1, 1
    blt t1, t2, 1b
    li t3, (RAM_BASE >> 12) << 10
    ori t3, t3, PTE_GIGA_RWX
    li t4, 510 * 8
    add t4, t0, t4
    sd t3, 0(t4)

    call enable_bootstrap_mmu

    /* Into C in the upper half: riscv_boot_bsp(hart, dtb) returns only if
     * another hart should boot instead (the boothart= option). */
    mv a0, s0
    mv a1, s1
    ld t0, addr_boot_bsp
    jalr t0
    /* a0 = the hart to hand over to: start it at _start, then stop this one. */
    mv t5, a0
    la t0, boot_claimed
    amoswap.w.aqrl zero, zero, (t0)     /* the next hart at _start is the boot hart */
    li a7, 0x48534d                 /* HSM */
    li a6, 0                        /* hart_start(hart, _start, dtb) */
    mv a0, t5
    la a1, _start
    mv a2, s1
    ecall
    li a7, 0x48534d
    li a6, 1                        /* hart_stop() */
    ecall
2:  wfi
    j 2b

misdirected:
    la t0, boot_handoff
1:  ld a1, 0(t0)
    beqz a1, 1b
    /* fall through: a0 is still this hart's id */

    .global riscv_ap_entry
riscv_ap_entry:
    csrw sie, zero
    csrw sscratch, zero
    li t0, HANDOFF_SIZE
    add sp, a1, t0
    mv s1, a1
    call enable_bootstrap_mmu
    mv a0, s1
    ld t0, addr_ap_boot
    jr t0

enable_bootstrap_mmu:
    la t0, boot_root
    srli t0, t0, 12
    li t1, 8
    slli t1, t1, 60
    or t0, t0, t1
    sfence.vma
    csrw satp, t0
    sfence.vma
    ret

    .section .boot.data, "aw"
    .balign 8
addr_boot_bsp:
    .dword riscv_boot_bsp
addr_ap_boot:
    .dword riscv_ap_boot

    .balign 8
    .global boot_handoff
boot_handoff:
    .dword 0                        /* the hand-off area of the hart starting now */
boot_claimed:
    .word 0

    .section .boot.bss, "aw", @nobits
    .balign 4096
    .global boot_root
boot_root:
    .skip 4096
boot_stack:
    .skip 16384
boot_stack_top:
