/* layout.h — the x86-64 CPU driver's address-space layout, for C and assembly.
 * Must agree with platforms/x86_64-qemu/kernel.ld. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define KERNEL_VBASE    0xffffffff80000000 /* + physical: the kernel image */
#define CORE_DATA_VBASE 0xffffffffc0000000 /* this core's private .data/.bss */
#define DIRECT_VBASE    0xffff800000000000 /* + physical: all RAM and low MMIO */
#define USER_TOP        0x0000800000000000 /* user addresses are below this */
#define USER_STACK_TOP  0x00007ffffff00000

#define TRAMPOLINE_PHYS 0x8000 /* where APs start in real mode (SIPI vector 0x08) */

#define SEG_KCODE 0x08
#define SEG_KDATA 0x10
#define SEG_UDATA 0x18 /* user SS for sysret: STAR base 0x10 + 8 */
#define SEG_UCODE 0x20 /* user CS for sysret: STAR base 0x10 + 16 */
#define SEG_TSS   0x28

#define KSTACK_SIZE 16384

#endif
