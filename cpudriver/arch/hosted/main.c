/* main.c — a hosted core's process. The boot core's is started by tools/run:
 *
 *     cpudriver [--cores N] [--mem MIB] [--cmdline LINE] [--disk IMAGE]... [--gdb NAME]
 *               ARCHIVE
 *
 * It makes the machine's memory (a memory file), loads the boot archive into
 * it, writes the boot info a QEMU boot would have found, and runs core 0.
 * Each --disk is a virtio block device over that image file (vdisk.c):
 * disk0, disk1 and so on. With --gdb NAME the first domain named NAME starts
 * stopped, for gdb to attach (tools/gdb --pid).
 * Every other core's process is started by the boot core's (smp.c) with
 * --core-boot PHYS, the place of its struct core_boot in that memory. */
#include <arch.h>
#include <bootinfo.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hosted.h"

int hosted_ram_fd = -1;
uint8_t *hosted_ram;
uint64_t hosted_ram_bytes;

struct hosted_machine *hosted_machine(void) { return arch_phys_to_virt(HOSTED_MACHINE_PHYS); }

struct hosted_doorbell *hosted_doorbell(coreid_t core)
{
    return arch_phys_to_virt(HOSTED_DOORBELL_PHYS(core));
}

const char *hosted_sibling(const char *name)
{
    static char path[PATH_MAX];
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return name;
    self[n] = '\0';
    snprintf(path, sizeof path, "%s/%s", dirname(self), name);
    return path;
}

static NORETURN void usage(const char *why)
{
    fprintf(stderr,
            "cpudriver: %s\nusage: cpudriver [--cores N] [--mem MIB] [--cmdline LINE] "
            "[--disk IMAGE]... [--gdb NAME] ARCHIVE\n",
            why);
    exit(2);
}

static void map_ram(void)
{
    hosted_ram = mmap(NULL, hosted_ram_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, hosted_ram_fd, 0);
    if (hosted_ram == MAP_FAILED) {
        fprintf(stderr, "cpudriver: cannot map the machine's memory: %s\n", strerror(errno));
        exit(1);
    }
}

static uint64_t monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* Reads the archive to phys; its size, or 0 (and a message) if it cannot. */
static uint64_t load_archive(const char *path, paddr_t phys, uint64_t room)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "cpudriver: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    if ((uint64_t)st.st_size > room) {
        fprintf(stderr, "cpudriver: %s: %lld bytes do not fit in the machine's memory\n", path,
                (long long)st.st_size);
        exit(1);
    }
    uint64_t done = 0;
    while (done < (uint64_t)st.st_size) {
        ssize_t n = read(fd, hosted_ram + phys + done, (size_t)st.st_size - done);
        if (n <= 0) {
            fprintf(stderr, "cpudriver: %s: cannot read it\n", path);
            exit(1);
        }
        done += (uint64_t)n;
    }
    close(fd);
    return done;
}

static unsigned number(const char *s, unsigned lo, unsigned hi, const char *what)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
        char why[96];
        snprintf(why, sizeof why, "%s must be %u..%u", what, lo, hi);
        usage(why);
    }
    return (unsigned)v;
}

/* The boot core: the machine, as a boot loader and firmware would leave it. */
static NORETURN void boot_core(int argc, char **argv)
{
    unsigned cores = 4, mem_mib = 0, disks = 0;
    const char *cmdline = "", *archive = NULL, *disk[VDISK_MAX], *gdb = "";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cores") == 0 && i + 1 < argc)
            cores = number(argv[++i], 1, MAX_CORES, "--cores");
        else if (strcmp(argv[i], "--mem") == 0 && i + 1 < argc)
            mem_mib = number(argv[++i], 64, 1u << 20, "--mem (MiB)");
        else if (strcmp(argv[i], "--cmdline") == 0 && i + 1 < argc)
            cmdline = argv[++i];
        else if (strcmp(argv[i], "--disk") == 0 && i + 1 < argc && disks < VDISK_MAX)
            disk[disks++] = argv[++i];
        else if (strcmp(argv[i], "--gdb") == 0 && i + 1 < argc)
            gdb = argv[++i];
        else if (argv[i][0] != '-' && archive == NULL)
            archive = argv[i];
        else
            usage("unknown option");
    }
    if (archive == NULL)
        usage("no boot archive");
    if (strlen(cmdline) >= BOOT_CMDLINE_MAX)
        usage("the command line is too long");
    if (strlen(gdb) >= sizeof((struct boot_info *)0)->arch.gdb_domain)
        usage("--gdb: the name is too long");
    if (mem_mib == 0) /* as tools/run gives QEMU */
        mem_mib = cores * 6 + 256 > 768 ? cores * 6 + 256 : 768;

    hosted_ram_bytes = HOSTED_RAM_BASE + ((uint64_t)mem_mib << 20);
    hosted_ram_fd = memfd_create("machine", 0); /* inherited by every core and domain */
    if (hosted_ram_fd < 0 || ftruncate(hosted_ram_fd, (off_t)hosted_ram_bytes) != 0) {
        fprintf(stderr, "cpudriver: cannot make the machine's memory: %s\n", strerror(errno));
        exit(1);
    }
    map_ram();
    for (unsigned i = 0; i < disks; i++) {
        if (!vdisk_attach(i, disk[i]))
            exit(1);
    }

    /* RAM: the boot info, the archive, core 0's kernel data, then free. */
    paddr_t info_phys = HOSTED_RAM_BASE;
    paddr_t archive_phys = info_phys + ALIGN_UP(sizeof(struct boot_info), PAGE_SIZE);
    uint64_t archive_size =
        load_archive(archive, archive_phys, hosted_ram_bytes - archive_phys - (16ull << 20));
    paddr_t region = ALIGN_UP(archive_phys + archive_size, PAGE_SIZE);

    struct boot_info *info = arch_phys_to_virt(info_phys);
    info->core_count = cores;
    for (unsigned i = 0; i < cores; i++)
        info->hw_ids[i] = i;
    info->archive_phys = archive_phys;
    info->archive_size = archive_size;
    memcpy(info->cmdline, cmdline, strlen(cmdline) + 1);
    info->ram_count = 1;
    info->ram[0] = (struct boot_ram){HOSTED_RAM_BASE, hosted_ram_bytes - HOSTED_RAM_BASE};
    info->timer_hz = 1000000000ull;
    vdisk_describe(info);
    info->arch.boot_ns = monotonic_ns();
    info->arch.ram_bytes = hosted_ram_bytes;
    strcpy(info->arch.gdb_domain, gdb);

    struct core_boot cb = {
        .id = 0,
        .info = info_phys,
        .region_base = region,
        .region_end = region + PAGE_SIZE,
        .data_phys = region,
        .mem_base = region + PAGE_SIZE,
        .mem_end = hosted_ram_bytes,
    };
    uart_start();
    hosted_run(&cb);
}

/* Another core: its struct core_boot is at --core-boot PHYS of the memory
 * file the boot core's process left it (--ram-fd, --ram-bytes). */
static NORETURN void other_core(int argc, char **argv)
{
    if (argc != 7 || strcmp(argv[3], "--ram-fd") != 0 || strcmp(argv[5], "--ram-bytes") != 0)
        usage("--core-boot PHYS --ram-fd FD --ram-bytes BYTES");
    paddr_t cb_phys = strtoull(argv[2], NULL, 0);
    hosted_ram_fd = atoi(argv[4]);
    hosted_ram_bytes = strtoull(argv[6], NULL, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* the machine ends with the boot core */
    map_ram();
    struct core_boot cb;
    memcpy(&cb, arch_phys_to_virt(cb_phys), sizeof cb);
    __atomic_store_n(&hosted_doorbell(cb.id)->started, 1, __ATOMIC_RELEASE);
    hosted_run(&cb);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--core-boot") == 0)
        other_core(argc, argv);
    boot_core(argc, argv);
}
