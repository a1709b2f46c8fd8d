/* layout.h — the RISC-V (Sv39) CPU driver's address-space layout, for C and
 * assembly. Must agree with platforms/riscv64-virt/kernel.ld. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define RAM_BASE        0x80000000         /* where the virt machine's RAM starts */
#define KERNEL_VBASE    0xffffffff80000000 /* + (physical - RAM_BASE): the image */
#define CORE_DATA_VBASE 0xffffffffc0000000 /* this core's private .data/.bss */
#define DIRECT_VBASE    0xffffffc000000000 /* + physical: all RAM and MMIO */
#define USER_TOP        0x0000004000000000 /* user addresses are below this */
#define USER_STACK_TOP  0x0000003ffff00000
#define BOOTSTRAP_GIB   8 /* identity-mapped while starting */

#define KSTACK_SIZE  16384
#define HANDOFF_SIZE 8192 /* a starting hart's core_boot, then its first stack */

#endif
