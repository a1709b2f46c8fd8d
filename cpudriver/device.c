/* device.c — what user-mode drivers use to reach their device: the console's
 * description for the monitor that hands out its capabilities, and I/O ports
 * (x86) through an I/O-port capability, one access per call. */
#include <arch.h>
#include <bootinfo.h>
#include <cap.h>
#include <device.h>
#include <syscall.h>

static struct sysret_value ret(err_t e, uint64_t v) { return (struct sysret_value){e, v}; }

/* (kernel, struct console_device *): which UART the console is, for a monitor. */
struct sysret_value device_sys_console(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return ret(err, 0);
    struct console_device dev = {0};
    if (!arch_console_device(&dev))
        return ret(ERR_NOENT, 0);
    err = uaccess_copy_out(d, a[1], &dev, sizeof dev);
    return ret(err, 0);
}

/* (kernel, index, struct bus_region *): where a bus driver looks for devices. */
struct sysret_value device_sys_bus(struct dispatcher *d, const uint64_t a[6])
{
    struct cap *k;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_KERNEL, 0, &k);
    if (err != OK)
        return ret(err, 0);
    const struct boot_info *info = boot_info();
    if (a[1] >= info->bus_count)
        return ret(ERR_NOENT, 0);
    return ret(uaccess_copy_out(d, a[2], &info->bus[a[1]], sizeof info->bus[0]), 0);
}

bool device_bus_range(paddr_t base, uint64_t bytes)
{
    const struct boot_info *info = boot_info();
    for (uint32_t i = 0; i < info->bus_count; i++) {
        const struct bus_region *b = &info->bus[i];
        if (base >= b->base && bytes <= b->size && base - b->base <= b->size - bytes)
            return true;
    }
    return false;
}

/* The port, if the capability covers all width bytes of it. */
static err_t port_of(struct dispatcher *d, const uint64_t a[6], uint32_t rights, uint16_t *port)
{
    struct cap *io;
    err_t err = cap_get(d, (capaddr_t)a[0], CAP_IOPORT, rights, &io);
    if (err != OK)
        return err;
    uint64_t p = a[1], width = a[2];
    if (width != 1 && width != 2 && width != 4)
        return ERR_INVAL;
    if (p < io->base || p - io->base >= io->size || width > io->size - (p - io->base))
        return ERR_PERM;
    *port = (uint16_t)p;
    return OK;
}

struct sysret_value device_sys_io_in(struct dispatcher *d, const uint64_t a[6])
{
    uint16_t port;
    err_t err = port_of(d, a, CAP_RIGHT_READ, &port);
    uint32_t v = 0;
    if (err == OK && !arch_io_in(port, (unsigned)a[2], &v))
        err = ERR_NOSYS;
    return ret(err, v);
}

struct sysret_value device_sys_io_out(struct dispatcher *d, const uint64_t a[6])
{
    uint16_t port;
    err_t err = port_of(d, a, CAP_RIGHT_WRITE, &port);
    if (err == OK && a[3] > UINT32_MAX)
        err = ERR_INVAL;
    if (err == OK && !arch_io_out(port, (unsigned)a[2], (uint32_t)a[3]))
        err = ERR_NOSYS;
    return ret(err, 0);
}
