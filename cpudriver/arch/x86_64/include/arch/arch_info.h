/* arch_info.h — constants that name this architecture to common code. */
#ifndef ARCH_ARCH_INFO_H
#define ARCH_ARCH_INFO_H

#define ARCH_NAME        "x86_64"
#define ARCH_HW_ID_NAME  "APIC id" /* what the hardware calls a core */
#define ARCH_ELF_MACHINE 62        /* EM_X86_64 */

/* A frame, from its frame pointer (rbp): the caller's rbp, then the return address. */
#define ARCH_FRAME_LINK 0
#define ARCH_FRAME_RA   8

#endif
