/* arch_info.h — constants that name this architecture to common code. */
#ifndef ARCH_ARCH_INFO_H
#define ARCH_ARCH_INFO_H

#define ARCH_NAME        "riscv64"
#define ARCH_HW_ID_NAME  "hart" /* what the hardware calls a core */
#define ARCH_ELF_MACHINE 243    /* EM_RISCV */

/* A frame, from its frame pointer (s0, the stack pointer on entry): the
 * return address just below it, the caller's s0 below that. */
#define ARCH_FRAME_LINK (-16)
#define ARCH_FRAME_RA   (-8)

#endif
