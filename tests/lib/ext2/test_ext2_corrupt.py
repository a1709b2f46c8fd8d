"""lib/ext2 on damaged images: each kind of damage gives its own error and
reason, never a crash (ext2util runs under ASan and UBSan) or a hang."""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
import ext2img  # noqa: E402

SB = 1024  # the superblock's byte offset


def image_of(t, block=1024):
    src = os.path.join(t.tmp, "staging")
    ext2img.staging(src, big=300_000)
    image = os.path.join(t.tmp, "fs.img")
    ext2img.mkfs(t, src, image, block=block, size="8M")
    return image


def patch(image, offset, fmt, value):
    with open(image, "r+b") as f:
        f.seek(offset)
        f.write(struct.pack("<" + fmt, value))


def peek(image, offset, fmt):
    with open(image, "rb") as f:
        f.seek(offset)
        return struct.unpack("<" + fmt, f.read(struct.calcsize(fmt)))[0]


def refused(t, image, reason, *op, flags=()):
    """ext2util fails cleanly (exit 1) and names the reason."""
    p = t.run([ext2img.UTIL, *flags, image, *(op or ("mount",))], timeout=60)
    t.check(p.returncode == 1, f"ext2util exited {p.returncode}, expected a clean 1")
    t.check(reason in p.stdout, f"expected '{reason}' in: {p.stdout!r}")


def debugfs_w(t, image, request):
    t.run([ext2img.tool(t, "debugfs"), "-w", "-R", request, image], check_rc=0)


def dir_block(t, image, path):
    out = t.run([ext2img.tool(t, "debugfs"), "-R", f"blocks {path}", image], check_rc=0).stdout
    return int(out.split()[0])


def test_bad_superblock_magic_is_refused(t):
    image = image_of(t)
    patch(image, SB + 56, "H", 0x1234)
    refused(t, image, "bad superblock magic")


def test_file_system_larger_than_device_is_refused(t):
    image = image_of(t)
    patch(image, SB + 4, "I", peek(image, SB + 4, "I") + 1000)
    refused(t, image, "file system is larger than the device")


def test_truncated_device_is_refused(t):
    image = image_of(t)
    os.truncate(image, 4 * 1024 * 1024)
    refused(t, image, "file system is larger than the device")


def test_revision_0_is_refused(t):
    image = image_of(t)
    patch(image, SB + 76, "I", 0)
    refused(t, image, "not revision 1")


def test_block_size_out_of_range_is_refused(t):
    image = image_of(t)
    patch(image, SB + 24, "I", 9)
    refused(t, image, "block size out of range")


def test_group_descriptor_outside_the_device_is_refused(t):
    image = image_of(t)
    patch(image, 2 * 1024 + 8, "I", 0xfffffff0)  # group 0's inode table
    refused(t, image, "group descriptor points outside the device")


def test_incompatible_feature_is_refused_with_its_name(t):
    image = image_of(t)
    patch(image, SB + 96, "I", peek(image, SB + 96, "I") | 0x40)
    refused(t, image, "incompatible feature: extents")


def test_unknown_read_only_feature_mounts_read_only_only(t):
    image = image_of(t)
    patch(image, SB + 100, "I", peek(image, SB + 100, "I") | 0x1000)
    refused(t, image, "mount read-only")
    t.run([ext2img.UTIL, "-r", image, "tree"], check_rc=0)


def test_data_block_past_the_device_is_bad_block_number(t):
    image = image_of(t)
    debugfs_w(t, image, "sif /mid block[0] 999999")
    refused(t, image, "bad block number", "cat", "/mid")


def test_indirect_block_past_the_device_is_bad_block_number(t):
    image = image_of(t)
    debugfs_w(t, image, "sif /big block[IND] 999999")
    refused(t, image, "bad block number", "cat", "/big")
    refused(t, image, "bad block number", "truncate", "/big", "0")


def test_block_in_metadata_is_bad_block_number(t):
    image = image_of(t)
    debugfs_w(t, image, "sif /mid block[1] 2")  # the group descriptor block
    refused(t, image, "bad block number: in a superblock or descriptors", "cat", "/mid")


def test_record_overrunning_its_block_is_refused(t):
    image = image_of(t)
    block = dir_block(t, image, "/a")
    patch(image, block * 1024 + 4, "H", 1028)
    refused(t, image, "directory record length overruns its block", "ls", "/a")


def test_zero_record_length_is_refused(t):
    image = image_of(t)
    block = dir_block(t, image, "/a")
    patch(image, block * 1024 + 12 + 4, "H", 0)  # the record after "."
    refused(t, image, "directory entry with zero record length", "ls", "/a")
    refused(t, image, "directory entry with zero record length", "create", "/a/new")


def test_name_longer_than_its_record_is_refused(t):
    image = image_of(t)
    block = dir_block(t, image, "/a")
    patch(image, block * 1024 + 6, "B", 200)  # "."'s name_len in a 12-byte record
    refused(t, image, "directory name longer than its record", "ls", "/a")


def test_entry_naming_an_inode_out_of_range_is_refused(t):
    image = image_of(t)
    block = dir_block(t, image, "/a")
    patch(image, block * 1024 + 12, "I", 0x7fffffff)
    refused(t, image, "names an inode out of range", "ls", "/a")


def test_directory_that_contains_itself_stays_bounded(t):
    image = image_of(t)
    debugfs_w(t, image, "ln /a /a/self")
    deep = "/a" + "/self" * 3000 + "/b"
    p = t.run([ext2img.UTIL, "-r", image, "stat", deep], timeout=30, check_rc=0)
    t.check(p.stdout.startswith(deep + " type=d"), "the looping path did not resolve")
    refused(t, image, "tree deeper than 64 folders", "tree", flags=("-r",))
    refused(t, image, "a directory cannot move below itself", "rename", "/a", "/a/self/x")


def test_huge_file_size_is_refused_on_read(t):
    image = image_of(t)
    debugfs_w(t, image, "sif /mid size 0xfffffffffff")
    refused(t, image, "file size beyond what the block map addresses", "cat", "/mid")


def test_huge_directory_size_is_refused(t):
    image = image_of(t)
    debugfs_w(t, image, "sif /a size 0x7ffff000")
    refused(t, image, "directory larger than the file system", "ls", "/a")
    refused(t, image, "directory larger than the file system", "stat", "/a/b")


def test_directory_size_past_its_blocks_is_a_hole(t):
    image = image_of(t)
    debugfs_w(t, image, "sif /a size 5120")  # five blocks; it has one
    refused(t, image, "directory has a hole", "ls", "/a")


def test_directory_size_not_in_blocks_is_refused(t):
    image = image_of(t)
    debugfs_w(t, image, "sif /a size 1000")
    refused(t, image, "directory size not a multiple of the block size", "ls", "/a")
