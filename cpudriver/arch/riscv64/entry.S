/* entry.S — every way into and out of the RISC-V CPU driver: the trap vector,
 * the return to user mode, and the switch onto a core's own tables and stack.
 * sscratch holds this core's kernel stack top while a domain runs, and 0 while
 * the kernel does, which is how the vector tells where a trap came from. */
#include <arch/layout.h>

#define FRAME 288 /* struct regs: x[32], sepc, sstatus, scause, stval */
#define SEPC 256
#define SSTATUS 264
#define SCAUSE 272
#define STVAL 280

    .section .bss
    .balign 16
    .global riscv_kstack
riscv_kstack:
    .skip KSTACK_SIZE
    .global riscv_kstack_top
riscv_kstack_top:

    .text

/* riscv_switch_to_core(root, cb): onto this core's tables and stack, then C. */
    .global riscv_switch_to_core
riscv_switch_to_core:
    li t0, 8
    slli t0, t0, 60
    srli t1, a0, 12
    or t0, t0, t1
    sfence.vma
    csrw satp, t0
    sfence.vma
    la sp, riscv_kstack_top
    mv a0, a1
    li fp, 0
    la t0, riscv_trap_vector
    csrw stvec, t0
    call riscv_core_entry
1:  j 1b

.macro SAVE_GPRS
    sd x1, 1*8(sp)
    sd x3, 3*8(sp)
    sd x4, 4*8(sp)
    sd x5, 5*8(sp)
    sd x6, 6*8(sp)
    sd x7, 7*8(sp)
    sd x8, 8*8(sp)
    sd x9, 9*8(sp)
    sd x10, 10*8(sp)
    sd x11, 11*8(sp)
    sd x12, 12*8(sp)
    sd x13, 13*8(sp)
    sd x14, 14*8(sp)
    sd x15, 15*8(sp)
    sd x16, 16*8(sp)
    sd x17, 17*8(sp)
    sd x18, 18*8(sp)
    sd x19, 19*8(sp)
    sd x20, 20*8(sp)
    sd x21, 21*8(sp)
    sd x22, 22*8(sp)
    sd x23, 23*8(sp)
    sd x24, 24*8(sp)
    sd x25, 25*8(sp)
    sd x26, 26*8(sp)
    sd x27, 27*8(sp)
    sd x28, 28*8(sp)
    sd x29, 29*8(sp)
    sd x30, 30*8(sp)
    sd x31, 31*8(sp)
.endm

/* Restores everything but sp (x2) from the frame at sp. */
.macro RESTORE_GPRS
    ld x1, 1*8(sp)
    ld x3, 3*8(sp)
    ld x4, 4*8(sp)
    ld x5, 5*8(sp)
    ld x6, 6*8(sp)
    ld x7, 7*8(sp)
    ld x8, 8*8(sp)
    ld x9, 9*8(sp)
    ld x10, 10*8(sp)
    ld x11, 11*8(sp)
    ld x12, 12*8(sp)
    ld x13, 13*8(sp)
    ld x14, 14*8(sp)
    ld x15, 15*8(sp)
    ld x16, 16*8(sp)
    ld x17, 17*8(sp)
    ld x18, 18*8(sp)
    ld x19, 19*8(sp)
    ld x20, 20*8(sp)
    ld x21, 21*8(sp)
    ld x22, 22*8(sp)
    ld x23, 23*8(sp)
    ld x24, 24*8(sp)
    ld x25, 25*8(sp)
    ld x26, 26*8(sp)
    ld x27, 27*8(sp)
    ld x28, 28*8(sp)
    ld x29, 29*8(sp)
    ld x30, 30*8(sp)
    ld x31, 31*8(sp)
.endm

    .balign 4
    .global riscv_trap_vector
riscv_trap_vector:
    csrrw sp, sscratch, sp
    beqz sp, from_kernel
    /* From user: sp is the kernel stack top, sscratch the user sp. */
    addi sp, sp, -FRAME
    SAVE_GPRS
    csrr t0, sscratch
    sd t0, 2*8(sp)
    csrw sscratch, zero
    j saved
from_kernel:
    csrrw sp, sscratch, sp          /* back to the kernel sp; sscratch = 0 again */
    addi sp, sp, -FRAME
    SAVE_GPRS
    addi t0, sp, FRAME
    sd t0, 2*8(sp)
saved:
    csrr t0, sepc
    sd t0, SEPC(sp)
    csrr t0, sstatus
    sd t0, SSTATUS(sp)
    csrr t0, scause
    sd t0, SCAUSE(sp)
    csrr t0, stval
    sd t0, STVAL(sp)
    mv a0, sp
    call riscv_trap
    /* Only traps taken in kernel mode (the idle loop) return here. */
    ld t0, SEPC(sp)
    csrw sepc, t0
    ld t0, SSTATUS(sp)
    csrw sstatus, t0
    RESTORE_GPRS
    ld sp, 2*8(sp)
    sret

/* riscv_return_to_user(frame): restores a struct regs and srets from it. */
    .global riscv_return_to_user
riscv_return_to_user:
    la t0, riscv_kstack_top
    csrw sscratch, t0
    mv sp, a0
    ld t0, SEPC(sp)
    csrw sepc, t0
    ld t0, SSTATUS(sp)
    csrw sstatus, t0
    RESTORE_GPRS
    ld sp, 2*8(sp)
    sret
