/* multiboot.h — reads the Multiboot (v1) information QEMU hands the boot core. */
#ifndef ARCH_MULTIBOOT_H
#define ARCH_MULTIBOOT_H

#include <bootinfo.h>

struct multiboot_view {
    const char *why;     /* set when the information is unusable */
    paddr_t used_end;    /* end of everything the loader placed above 1 MiB */
    paddr_t module_phys; /* the boot archive (the first module), 0 if none */
    uint64_t module_size;
};

/* Fills info's RAM ranges and command line from the Multiboot information at
 * mbi_phys (reachable at phys + access). Pure: no globals. */
void multiboot_read(paddr_t mbi_phys, uint64_t access, struct boot_info *info,
                    struct multiboot_view *view);

#endif
