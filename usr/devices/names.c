/* names.c — words for the numbers the bus driver reports: PCI class codes and
 * virtio device types (virtio 1.1, 5). Only the common ones; the rest print
 * as numbers. */
#include "devices.h"

#include <stddef.h>

const char *virtio_type_name(uint32_t type)
{
    static const char *const names[] = {
        [1] = "network", [2] = "block",   [3] = "console",      [4] = "entropy",
        [5] = "balloon", [8] = "SCSI",    [9] = "9P",           [16] = "GPU",
        [18] = "input",  [19] = "socket", [26] = "file system",
    };
    if (type < sizeof names / sizeof names[0] && names[type] != NULL)
        return names[type];
    return "device";
}

const char *pci_class_name(uint8_t class_code, uint8_t subclass)
{
    static const struct {
        uint8_t class_code, subclass;
        const char *name;
    } names[] = {
        {0x01, 0x00, "SCSI controller"}, {0x01, 0x01, "IDE controller"},
        {0x01, 0x06, "SATA controller"}, {0x01, 0x08, "NVMe controller"},
        {0x01, 0x80, "storage"},         {0x02, 0x00, "Ethernet controller"},
        {0x03, 0x00, "VGA controller"},  {0x04, 0x03, "audio device"},
        {0x06, 0x00, "host bridge"},     {0x06, 0x01, "ISA bridge"},
        {0x06, 0x04, "PCI bridge"},      {0x07, 0x00, "serial controller"},
        {0x0c, 0x03, "USB controller"},  {0x0c, 0x05, "SMBus"},
        {0x00, 0xff, "device"},          {0xff, 0x00, "device"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].class_code == class_code && names[i].subclass == subclass)
            return names[i].name;
    }
    return "device";
}
