/* arch_info.h — constants that name this architecture to common code. */
#ifndef ARCH_ARCH_INFO_H
#define ARCH_ARCH_INFO_H

#define ARCH_NAME        "riscv64"
#define ARCH_HW_ID_NAME  "hart" /* what the hardware calls a core */
#define ARCH_ELF_MACHINE 243    /* EM_RISCV */

#endif
