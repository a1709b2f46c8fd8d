/* transport_test.c — lib/virtio's transports against a simulated device
 * (sim_device.c): the PCI capability walk, with lists that loop, point
 * outside configuration space or lack a structure; structures past the end
 * of their BAR; negotiation with devices that are not modern or refuse the
 * features; queue set-up and notification on PCI and MMIO; legacy and empty
 * MMIO slots; and configuration reads the device changes under. */
#include <virtio.h>

#include "sim_device.h"
#include "test.h"

#define FEATURE_BLK_SIZE (1ull << 6)
#define FEATURE_RO       (1ull << 5)

static volatile uint8_t *bars[6];
static uint64_t bar_bytes[6];

static err_t pci_attach(struct virtio_dev *dev)
{
    struct virtio_pci_caps caps;
    err_t err = virtio_pci_caps_read(sim.cfg, sizeof sim.cfg, &caps);
    if (err != OK)
        return err;
    bars[4] = sim.bar;
    bar_bytes[4] = SIM_BAR_BYTES;
    return virtio_pci_attach(dev, &caps, bars, bar_bytes);
}

TEST(pci_capabilities_name_every_structure)
{
    sim_pci_layout();
    struct virtio_pci_caps caps;
    CHECK_EQ(virtio_pci_caps_read(sim.cfg, sizeof sim.cfg, &caps), OK);
    CHECK(caps.common.bar == 4 && caps.common.offset == 0 && caps.isr.offset == 0x1000);
    CHECK(caps.device.offset == 0x2000 && caps.notify.offset == 0x3000);
    CHECK_EQ(caps.notify_multiplier, 4);
}

TEST(pci_capability_lists_that_loop_or_stray_are_refused)
{
    sim_pci_layout();
    struct virtio_pci_caps caps;
    sim.cfg[0x7c + 1] = 0x40; /* the last points back at the first */
    CHECK_EQ(virtio_pci_caps_read(sim.cfg, sizeof sim.cfg, &caps), ERR_BADHDR);
    sim.cfg[0x7c + 1] = 0xfc; /* too near the end for a capability */
    CHECK_EQ(virtio_pci_caps_read(sim.cfg, sizeof sim.cfg, &caps), ERR_BADHDR);
    sim.cfg[0x7c + 1] = 0x10; /* inside the header */
    CHECK_EQ(virtio_pci_caps_read(sim.cfg, sizeof sim.cfg, &caps), ERR_BADHDR);
    sim.cfg[0x68 + 1] = 0; /* the chain ends before the notification area */
    CHECK_EQ(virtio_pci_caps_read(sim.cfg, sizeof sim.cfg, &caps), ERR_NOENT);
    sim.cfg[0x06] = 0; /* no list at all */
    CHECK_EQ(virtio_pci_caps_read(sim.cfg, sizeof sim.cfg, &caps), ERR_NOENT);
}

TEST(a_structure_past_the_end_of_its_bar_is_refused)
{
    sim_pci_layout();
    sim_pci_cap(0x68, 0x7c, 4, 4, 0x3800, 0x1000); /* device config runs past 16 KiB */
    struct virtio_dev dev;
    CHECK_EQ(pci_attach(&dev), ERR_RANGE);
    sim_pci_cap(0x68, 0x7c, 4, 2, 0x2000, 0x1000); /* in a BAR that is not mapped */
    CHECK_EQ(pci_attach(&dev), ERR_RANGE);
}

TEST(a_device_that_is_not_modern_is_refused_and_marked_failed)
{
    sim_pci_layout();
    struct virtio_dev dev;
    CHECK_EQ(pci_attach(&dev), OK);
    sim.offered = FEATURE_BLK_SIZE;
    CHECK_EQ(virtio_start(&dev, FEATURE_BLK_SIZE), ERR_NOSYS);
    CHECK(sim.status & VIRTIO_STATUS_FAILED);
}

TEST(negotiation_takes_version_1_and_only_what_is_wanted_and_offered)
{
    sim_pci_layout();
    struct virtio_dev dev;
    CHECK_EQ(pci_attach(&dev), OK);
    sim.status = 0x55; /* whatever it was, a reset comes first */
    sim.offered = VIRTIO_F_VERSION_1 | FEATURE_BLK_SIZE | FEATURE_RO;
    CHECK_EQ(virtio_start(&dev, FEATURE_BLK_SIZE | (1ull << 9)), OK);
    CHECK_EQ(sim.accepted, VIRTIO_F_VERSION_1 | FEATURE_BLK_SIZE);
    CHECK_EQ(dev.features, sim.accepted);
    CHECK_EQ(sim.status,
             VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    virtio_ready(&dev);
    CHECK(sim.status & VIRTIO_STATUS_DRIVER_OK);
}

TEST(a_device_that_refuses_the_features_is_marked_failed)
{
    sim_pci_layout();
    struct virtio_dev dev;
    CHECK_EQ(pci_attach(&dev), OK);
    sim.offered = VIRTIO_F_VERSION_1;
    sim.refuse_features = true;
    CHECK_EQ(virtio_start(&dev, 0), ERR_NOSYS);
    CHECK(sim.status & VIRTIO_STATUS_FAILED);
}

static _Alignas(64) uint8_t ring[8192];

TEST(pci_queues_get_their_rings_and_kicks_go_to_their_own_address)
{
    sim_pci_layout();
    struct virtio_dev dev;
    struct virtq q;
    CHECK_EQ(pci_attach(&dev), OK);
    sim.offered = VIRTIO_F_VERSION_1;
    CHECK_EQ(virtio_start(&dev, 0), OK);
    CHECK_EQ(virtq_init(&q, 64, ring, 0x100000), OK);
    CHECK_EQ(virtio_queue_setup(&dev, 1, &q), OK);
    CHECK(sim.q[1].enabled && sim.q[1].size == 64);
    CHECK(sim.q[1].desc == q.desc_pa && sim.q[1].driver == q.avail_pa &&
          sim.q[1].device == q.used_pa);
    virtio_notify(&dev, 1);
    CHECK(sim.notified[1] == 1 && sim.notified[0] == 0);
    CHECK_EQ(virtio_queue_setup(&dev, SIM_QUEUES, &q), ERR_NOENT);
    sim.q[0].size_max = 32;
    CHECK_EQ(virtio_queue_setup(&dev, 0, &q), ERR_RANGE);                /* shorter than the ring */
    sim.q[0] = (struct sim_queue){.size_max = 128, .notify_off = 0x400}; /* past the area */
    CHECK_EQ(virtio_queue_setup(&dev, 0, &q), ERR_RANGE);
}

TEST(pci_interrupt_status_is_read_once)
{
    sim_pci_layout();
    struct virtio_dev dev;
    CHECK_EQ(pci_attach(&dev), OK);
    sim.irq_status = 1;
    CHECK_EQ(virtio_isr(&dev), 1);
    CHECK_EQ(virtio_isr(&dev), 0);
}

TEST(mmio_legacy_empty_and_foreign_slots_are_told_apart)
{
    struct virtio_dev dev;
    uint32_t type;
    sim.mmio_version = 1, sim.mmio_type = 2;
    CHECK_EQ(virtio_mmio_attach(&dev, sim.mmio, sizeof sim.mmio, &type), ERR_NOSYS);
    sim.mmio_version = 2, sim.mmio_type = 0;
    CHECK_EQ(virtio_mmio_attach(&dev, sim.mmio, sizeof sim.mmio, &type), ERR_NOENT);
    CHECK_EQ(virtio_mmio_attach(&dev, sim.cfg, sizeof sim.cfg, &type), ERR_BADMAGIC);
    CHECK_EQ(virtio_mmio_attach(&dev, sim.mmio, 0x80, &type), ERR_BADMAGIC);
}

TEST(mmio_version_2_negotiates_sets_up_queues_and_acknowledges_interrupts)
{
    struct virtio_dev dev;
    struct virtq q;
    uint32_t type;
    sim_pci_layout(); /* for the queues' sizes */
    sim.mmio_version = 2, sim.mmio_type = 2;
    sim.offered = VIRTIO_F_VERSION_1 | FEATURE_BLK_SIZE;
    CHECK_EQ(virtio_mmio_attach(&dev, sim.mmio, sizeof sim.mmio, &type), OK);
    CHECK_EQ(type, 2);
    CHECK_EQ(virtio_start(&dev, FEATURE_BLK_SIZE), OK);
    CHECK_EQ(sim.accepted, VIRTIO_F_VERSION_1 | FEATURE_BLK_SIZE);
    CHECK_EQ(virtq_init(&q, 128, ring, 0x80000000), OK);
    CHECK_EQ(virtio_queue_setup(&dev, 0, &q), OK);
    CHECK(sim.q[0].enabled && sim.q[0].size == 128 && sim.q[0].desc == 0x80000000);
    CHECK(sim.q[0].device == q.used_pa);
    CHECK_EQ(virtio_queue_setup(&dev, 0, &q), ERR_BUSY); /* it is live already */
    virtio_notify(&dev, 0);
    CHECK_EQ(sim.notified[0], 1);
    sim.irq_status = 3;
    CHECK_EQ(virtio_isr(&dev), 3);
    CHECK(sim.irq_acked == 3 && sim.irq_status == 0);
}

TEST(configuration_is_read_again_while_the_device_changes_it)
{
    struct virtio_dev dev;
    uint32_t type;
    sim.mmio_version = 2, sim.mmio_type = 2;
    CHECK_EQ(virtio_mmio_attach(&dev, sim.mmio, sizeof sim.mmio, &type), OK);
    uint64_t capacity = 0x123456789abull, got;
    memcpy(sim.mmio + 0x100, &capacity, 8);
    sim.generation_bumps = 3;
    CHECK_EQ(virtio_config_read64(&dev, 0, &got), OK);
    CHECK_EQ(got, capacity);
    CHECK_EQ(sim.generation_bumps, 0);
    uint32_t word;
    CHECK_EQ(virtio_config_read32(&dev, 2, &word), ERR_RANGE); /* unaligned */
    CHECK_EQ(virtio_config_read32(&dev, 4096 - 0x100, &word), ERR_RANGE);
    CHECK_EQ(virtio_config_read64(&dev, 4096 - 0x100 - 4, &got), ERR_RANGE);
}
