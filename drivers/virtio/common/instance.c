/* instance.c — which device of its kind a driver drives (virtio_drv.h). */
#include <string.h>
#include <virtio_drv.h>

unsigned virtio_instance(int argc, char **argv)
{
    const char *digits = argc > 1 ? argv[1] : argc == 1 ? argv[0] : "";
    if (argc == 1) {
        const char *end = digits + strlen(digits);
        while (end > digits && end[-1] >= '0' && end[-1] <= '9')
            end--;
        digits = end;
    }
    unsigned which = 0;
    for (const char *d = digits; *d >= '0' && *d <= '9' && which < 1000; d++)
        which = which * 10 + (unsigned)(*d - '0');
    return which;
}
