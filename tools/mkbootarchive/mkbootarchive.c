/* mkbootarchive — builds a boot archive (cpio newc) from a boot configuration.
 *
 *   mkbootarchive -o OUT CONFIG
 *
 * CONFIG is a platform's boot.conf. Its "module NAME PATH" lines name the files
 * to pack (PATH relative to the current directory); the configuration itself is
 * packed too, as "boot.conf", for the system to read at boot. */
#include <archive.h>
#include <bootconf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *bigger = realloc(buf, cap *= 2);
            if (bigger == NULL)
                free(buf);
            buf = bigger;
        }
    }
    int bad = ferror(f) || buf == NULL;
    fclose(f);
    if (bad) {
        free(buf);
        errno = bad && buf == NULL ? ENOMEM : EIO;
        return -1;
    }
    *data = buf;
    *size = len;
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: mkbootarchive -o OUT CONFIG\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[1], "-o") != 0)
        return usage();
    const char *out_path = argv[2], *conf_path = argv[3];

    struct bootconf conf;
    uint8_t *conf_text;
    size_t conf_size;
    if (read_file(conf_path, &conf_text, &conf_size) != 0) {
        fprintf(stderr, "mkbootarchive: %s: %s\n", conf_path, strerror(errno));
        return 1;
    }
    const char *why;
    int line = bootconf_parse((const char *)conf_text, conf_size, &conf, &why);
    if (line != 0) {
        fprintf(stderr, "mkbootarchive: %s:%d: %s\n", conf_path, line, why);
        return 1;
    }

    uint8_t *data[BOOTCONF_MAX_MODULES];
    size_t sizes[BOOTCONF_MAX_MODULES];
    size_t total = archive_entry_space(strlen("boot.conf"), conf_size) +
                   archive_entry_space(strlen(ARCHIVE_TRAILER), 0);
    for (int i = 0; i < conf.module_count; i++) {
        if (read_file(conf.modules[i].path, &data[i], &sizes[i]) != 0) {
            fprintf(stderr, "mkbootarchive: %s:%d: module %s: %s: %s\n", conf_path,
                    conf.modules[i].line, conf.modules[i].name, conf.modules[i].path,
                    strerror(errno));
            return 1;
        }
        total += archive_entry_space(strlen(conf.modules[i].name), sizes[i]);
    }

    uint8_t *buf = malloc(total);
    size_t len = 0;
    err_t err = buf ? OK : ERR_NOMEM;
    if (err == OK)
        err = archive_write_entry(buf, total, &len, "boot.conf", conf_text, conf_size,
                                  ARCHIVE_MODE_FILE);
    for (int i = 0; err == OK && i < conf.module_count; i++)
        err = archive_write_entry(buf, total, &len, conf.modules[i].name, data[i], sizes[i],
                                  ARCHIVE_MODE_FILE | 0111);
    if (err == OK)
        err = archive_write_trailer(buf, total, &len);
    if (err != OK) {
        fprintf(stderr, "mkbootarchive: building the archive: %s\n", err_str(err));
        return 1;
    }

    FILE *out = fopen(out_path, "wb");
    if (out == NULL || fwrite(buf, 1, len, out) != len || fclose(out) != 0) {
        fprintf(stderr, "mkbootarchive: %s: %s\n", out_path, strerror(errno));
        remove(out_path);
        return 1;
    }
    for (int i = 0; i < conf.module_count; i++)
        free(data[i]);
    free(buf);
    free(conf_text);
    return 0;
}
