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

/* A NUL-terminated copy of len bytes (a path from the configuration's text). */
static char *copy_string(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    if (c != NULL) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
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

    uint8_t *conf_text;
    size_t conf_size;
    if (read_file(conf_path, &conf_text, &conf_size) != 0) {
        fprintf(stderr, "mkbootarchive: %s: %s\n", conf_path, strerror(errno));
        return 1;
    }
    struct bootconf conf;
    bootconf_count((const char *)conf_text, conf_size, &conf);
    conf.modules = calloc(conf.module_cap + 1, sizeof *conf.modules);
    conf.places = calloc(conf.place_cap + 1, sizeof *conf.places);
    conf.services = calloc(conf.service_cap + 1, sizeof *conf.services);
    uint8_t **data = calloc(conf.module_cap + 1, sizeof *data);
    size_t *sizes = calloc(conf.module_cap + 1, sizeof *sizes);
    if (conf.modules == NULL || conf.places == NULL || conf.services == NULL || data == NULL ||
        sizes == NULL) {
        fprintf(stderr, "mkbootarchive: %s: %s\n", conf_path, strerror(ENOMEM));
        return 1;
    }
    const char *why;
    int line = bootconf_parse((const char *)conf_text, conf_size, &conf, &why);
    if (line != 0) {
        fprintf(stderr, "mkbootarchive: %s:%d: %s\n", conf_path, line, why);
        return 1;
    }

    size_t total = archive_entry_space(strlen("boot.conf"), conf_size) +
                   archive_entry_space(strlen(ARCHIVE_TRAILER), 0);
    for (size_t i = 0; i < conf.module_count; i++) {
        const struct bootconf_module *m = &conf.modules[i];
        char *path = copy_string(m->path, m->path_len);
        if (path == NULL || read_file(path, &data[i], &sizes[i]) != 0) {
            fprintf(stderr, "mkbootarchive: %s:%d: module %s: %.*s: %s\n", conf_path, m->line,
                    m->name, (int)m->path_len, m->path, strerror(path ? errno : ENOMEM));
            return 1;
        }
        free(path);
        total += archive_entry_space(strlen(m->name), sizes[i]);
    }

    uint8_t *buf = malloc(total);
    size_t len = 0;
    const char *what = "boot.conf";
    err_t err = buf ? OK : ERR_NOMEM;
    if (err == OK)
        err = archive_write_entry(buf, total, &len, what, conf_text, conf_size, ARCHIVE_MODE_FILE);
    for (size_t i = 0; err == OK && i < conf.module_count; i++) {
        what = conf.modules[i].name;
        err = archive_write_entry(buf, total, &len, what, data[i], sizes[i],
                                  ARCHIVE_MODE_FILE | 0111);
    }
    if (err == OK)
        err = archive_write_trailer(buf, total, &len);
    if (err != OK) {
        /* cpio newc records a file's size in 8 hex digits. */
        fprintf(stderr, "mkbootarchive: packing %s: %s%s\n", what, err_str(err),
                err == ERR_RANGE ? " (a file must be smaller than 4 GiB)" : "");
        return 1;
    }

    FILE *out = fopen(out_path, "wb");
    if (out == NULL || fwrite(buf, 1, len, out) != len || fclose(out) != 0) {
        fprintf(stderr, "mkbootarchive: %s: %s\n", out_path, strerror(errno));
        remove(out_path);
        return 1;
    }
    for (size_t i = 0; i < conf.module_count; i++)
        free(data[i]);
    free(data);
    free(sizes);
    free(conf.modules);
    free(conf.places);
    free(buf);
    free(conf_text);
    return 0;
}
