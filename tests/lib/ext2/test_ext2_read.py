"""lib/ext2 reads what the host's mke2fs wrote: every file, folder and link of a
staging tree, at 1 KiB and 4 KiB blocks with 128- and 256-byte inodes."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import ext2img  # noqa: E402


def read_back(t, block, inode):
    src = os.path.join(t.tmp, "staging")
    ext2img.staging(src)
    image = os.path.join(t.tmp, "fs.img")
    ext2img.mkfs(t, src, image, block=block, inode=inode)
    p = t.run([ext2img.UTIL, "-r", image, "tree"], timeout=120, check_rc=0)
    ext2img.compare(t, ext2img.parse_tree(p.stdout), ext2img.folder_tree(src))


def test_reads_staging_tree_1k_blocks_128_byte_inodes(t):
    read_back(t, 1024, 128)


def test_reads_staging_tree_1k_blocks_256_byte_inodes(t):
    read_back(t, 1024, 256)


def test_reads_staging_tree_4k_blocks_128_byte_inodes(t):
    read_back(t, 4096, 128)


def test_reads_staging_tree_4k_blocks_256_byte_inodes(t):
    read_back(t, 4096, 256)


def test_reads_with_the_smallest_cache(t):
    src = os.path.join(t.tmp, "staging")
    ext2img.staging(src, big=300_000)
    image = os.path.join(t.tmp, "fs.img")
    ext2img.mkfs(t, src, image)
    p = t.run([ext2img.UTIL, "-r", "-c", "8", image, "tree"], timeout=120, check_rc=0)
    ext2img.compare(t, ext2img.parse_tree(p.stdout), ext2img.folder_tree(src))


def test_too_small_a_cache_is_refused(t):
    src = os.path.join(t.tmp, "staging")
    os.mkdir(src)
    image = os.path.join(t.tmp, "fs.img")
    ext2img.mkfs(t, src, image, size="4M")
    p = t.run([ext2img.UTIL, "-r", "-c", "7", image, "mount"], check_rc=1)
    t.check("cache memory holds too few blocks" in p.stdout, p.stdout)


def test_sparse_file_reads_zeros_in_its_hole(t):
    src = os.path.join(t.tmp, "staging")
    ext2img.staging(src, big=1000)
    image = os.path.join(t.tmp, "fs.img")
    ext2img.mkfs(t, src, image, block=4096)
    p = t.run([ext2img.UTIL, "-r", image, "cat", "/sparse"], check_rc=0)
    want = b"\0" * 4_000_000 + b"after the hole"
    want += b"\0" * (5_000_000 - len(want))
    t.check(p.stdout == want.decode(),
            "the sparse file did not read back as zeros around its data")
