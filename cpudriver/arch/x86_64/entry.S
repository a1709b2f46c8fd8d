/* entry.S — every way into and out of the x86-64 CPU driver: trap and interrupt
 * stubs, the syscall instruction's entry, the return to user mode, and the
 * switch onto a core's own page tables and stack. The kernel stack and the
 * scratch word below are in .bss, so each core has its own at the same address. */
#include <arch/layout.h>

#define VEC_SYSCALL 0x100

    .section .bss
    .balign 16
    .global x86_kstack
x86_kstack:
    .skip KSTACK_SIZE
    .global x86_kstack_top
x86_kstack_top:
user_rsp_scratch:
    .skip 8

/* The general registers, in the order struct regs lists them (backwards). */
.macro PUSH_GPRS
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
.endm

    .text

/* x86_switch_to_core(pml4, cb): onto this core's tables and stack, then C. */
    .global x86_switch_to_core
x86_switch_to_core:
    mov %rdi, %cr3
    lea x86_kstack_top(%rip), %rsp
    mov %rsi, %rdi
    xor %ebp, %ebp
    call x86_core_entry
    ud2

/* Interrupt and exception stubs: 16 bytes each, vector n at x86_trap_stubs + 16n.
 * Each makes the frame uniform (an error code slot, then the vector). */
    .balign 16
    .global x86_trap_stubs
x86_trap_stubs:
    vec = 0
    .rept 256
    .balign 16
    .if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    .else
    pushq $0
    .endif
    pushq $vec
    jmp trap_common
    vec = vec + 1
    .endr

trap_common:
    PUSH_GPRS
    mov %rsp, %rdi
    cld
    call x86_trap
    /* Only traps taken in kernel mode (the idle loop) return here. */
    jmp restore_frame

/* syscall: rcx = user rip, r11 = user rflags, interrupts already masked. */
    .global x86_syscall_entry
x86_syscall_entry:
    mov %rsp, user_rsp_scratch(%rip)
    lea x86_kstack_top(%rip), %rsp
    pushq $(SEG_UDATA | 3)
    pushq user_rsp_scratch(%rip)
    push %r11
    pushq $(SEG_UCODE | 3)
    push %rcx
    pushq $0
    pushq $VEC_SYSCALL
    PUSH_GPRS
    mov %rsp, %rdi
    cld
    call x86_syscall
    ud2

/* x86_return_to_user(frame): restores a struct regs and irets from it. */
    .global x86_return_to_user
x86_return_to_user:
    mov %rdi, %rsp
restore_frame:
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp
    iretq
