/* arch_info.h — constants that name the hosted platform to common code. The
 * domains it runs are the x86-64 programs, unchanged. */
#ifndef ARCH_ARCH_INFO_H
#define ARCH_ARCH_INFO_H

#define ARCH_NAME        "hosted (x86-64 domains as Linux processes)"
#define ARCH_HW_ID_NAME  "process"
#define ARCH_ELF_MACHINE 62 /* EM_X86_64 */

#define ARCH_FRAME_LINK 0
#define ARCH_FRAME_RA   8

#endif
