/* du [-s] [PATH...] — prints the disk space used under each PATH ("." when
 * none) in blocks of 1024 bytes (st_blocks / 2, rounded up), as `du -k`
 * does: "SIZE<tab>PATH" for every directory, a directory after what it holds,
 * and for each PATH; with -s only for each PATH. Symbolic links are not
 * followed, and a file with several links (or a directory met twice) counts
 * once. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool summary;
static int status;

/* The files already counted, by (device, inode): a hash table with linear
 * probing, kept at most half full. */
struct id {
    dev_t dev;
    ino_t ino;
    bool used;
};
static struct id *seen;
static size_t seen_size, seen_count;

static size_t slot_of(dev_t dev, ino_t ino, size_t size)
{
    return ((size_t)ino ^ (size_t)dev * 31) & (size - 1);
}

/* Records the file; false if it was already there (or memory ran out, when
 * counting it again is the lesser harm). */
static bool first_time(dev_t dev, ino_t ino)
{
    if (2 * (seen_count + 1) > seen_size) {
        size_t size = seen_size ? 2 * seen_size : 256;
        struct id *table = calloc(size, sizeof *table);
        if (!table)
            return true;
        for (size_t i = 0; i < seen_size; i++) {
            if (!seen[i].used)
                continue;
            size_t j = slot_of(seen[i].dev, seen[i].ino, size);
            while (table[j].used)
                j = (j + 1) & (size - 1);
            table[j] = seen[i];
        }
        free(seen);
        seen = table;
        seen_size = size;
    }
    size_t j = slot_of(dev, ino, seen_size);
    for (; seen[j].used; j = (j + 1) & (seen_size - 1)) {
        if (seen[j].dev == dev && seen[j].ino == ino)
            return false;
    }
    seen[j] = (struct id){dev, ino, true};
    seen_count++;
    return true;
}

static void fail(const char *path)
{
    fprintf(stderr, "du: %s: %s\n", path, strerror(errno));
    status = 1;
}

/* Returns the 512-byte blocks under path, printing directories on the way. */
static unsigned long walk(const char *path, bool top)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        fail(path);
        return 0;
    }
    if ((S_ISDIR(st.st_mode) || st.st_nlink > 1) && !first_time(st.st_dev, st.st_ino))
        return 0;
    unsigned long blocks = (unsigned long)st.st_blocks;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        if (!d)
            fail(path);
        while (d && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *child = malloc(strlen(path) + strlen(e->d_name) + 2);
            if (!child) {
                errno = ENOMEM;
                fail(path);
                break;
            }
            sprintf(child, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
            blocks += walk(child, false);
            free(child);
        }
        if (d)
            closedir(d);
    }
    if (top || (S_ISDIR(st.st_mode) && !summary))
        printf("%lu\t%s\n", (blocks + 1) / 2, path);
    return blocks;
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "sk")) != -1) {
        if (opt == 's') {
            summary = true;
        } else if (opt != 'k') {
            fprintf(stderr, "usage: du [-sk] [PATH...]\n");
            return 2;
        }
    }
    if (optind == argc)
        walk(".", true);
    for (int i = optind; i < argc; i++)
        walk(argv[i], true);
    return fflush(stdout) == 0 ? status : 1;
}
