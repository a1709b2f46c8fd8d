/* fpu.S — saves and restores a domain's floating-point registers. The CPU
 * driver is built for rv64imac (no FPU), so the assembler would refuse fsd/fld:
 * they are spelled out as their encodings (S-type fsd and I-type fld, base a0,
 * offset 8 * n). fcsr is a CSR (number 3) and needs no F extension to reach.
 * The caller has set sstatus.FS so that these do not trap. */

    .text
/* riscv_fpu_save(uint64_t regs[33]): f0-f31, then fcsr. */
    .global riscv_fpu_save
riscv_fpu_save:
    .word 0x00053027  /* fsd f0, 0(a0) */
    .word 0x00153427  /* fsd f1, 8(a0) */
    .word 0x00253827  /* fsd f2, 16(a0) */
    .word 0x00353c27  /* fsd f3, 24(a0) */
    .word 0x02453027  /* fsd f4, 32(a0) */
    .word 0x02553427  /* fsd f5, 40(a0) */
    .word 0x02653827  /* fsd f6, 48(a0) */
    .word 0x02753c27  /* fsd f7, 56(a0) */
    .word 0x04853027  /* fsd f8, 64(a0) */
    .word 0x04953427  /* fsd f9, 72(a0) */
    .word 0x04a53827  /* fsd f10, 80(a0) */
    .word 0x04b53c27  /* fsd f11, 88(a0) */
    .word 0x06c53027  /* fsd f12, 96(a0) */
    .word 0x06d53427  /* fsd f13, 104(a0) */
    .word 0x06e53827  /* fsd f14, 112(a0) */
    .word 0x06f53c27  /* fsd f15, 120(a0) */
    .word 0x09053027  /* fsd f16, 128(a0) */
    .word 0x09153427  /* fsd f17, 136(a0) */
    .word 0x09253827  /* fsd f18, 144(a0) */
    .word 0x09353c27  /* fsd f19, 152(a0) */
    .word 0x0b453027  /* fsd f20, 160(a0) */
    .word 0x0b553427  /* fsd f21, 168(a0) */
    .word 0x0b653827  /* fsd f22, 176(a0) */
    .word 0x0b753c27  /* fsd f23, 184(a0) */
    .word 0x0d853027  /* fsd f24, 192(a0) */
    .word 0x0d953427  /* fsd f25, 200(a0) */
    .word 0x0da53827  /* fsd f26, 208(a0) */
    .word 0x0db53c27  /* fsd f27, 216(a0) */
    .word 0x0fc53027  /* fsd f28, 224(a0) */
    .word 0x0fd53427  /* fsd f29, 232(a0) */
    .word 0x0fe53827  /* fsd f30, 240(a0) */
    .word 0x0ff53c27  /* fsd f31, 248(a0) */
    csrr t0, 0x003
    sd t0, 256(a0)
    ret

/* riscv_fpu_restore(const uint64_t regs[33]) */
    .global riscv_fpu_restore
riscv_fpu_restore:
    .word 0x00053007  /* fld f0, 0(a0) */
    .word 0x00853087  /* fld f1, 8(a0) */
    .word 0x01053107  /* fld f2, 16(a0) */
    .word 0x01853187  /* fld f3, 24(a0) */
    .word 0x02053207  /* fld f4, 32(a0) */
    .word 0x02853287  /* fld f5, 40(a0) */
    .word 0x03053307  /* fld f6, 48(a0) */
    .word 0x03853387  /* fld f7, 56(a0) */
    .word 0x04053407  /* fld f8, 64(a0) */
    .word 0x04853487  /* fld f9, 72(a0) */
    .word 0x05053507  /* fld f10, 80(a0) */
    .word 0x05853587  /* fld f11, 88(a0) */
    .word 0x06053607  /* fld f12, 96(a0) */
    .word 0x06853687  /* fld f13, 104(a0) */
    .word 0x07053707  /* fld f14, 112(a0) */
    .word 0x07853787  /* fld f15, 120(a0) */
    .word 0x08053807  /* fld f16, 128(a0) */
    .word 0x08853887  /* fld f17, 136(a0) */
    .word 0x09053907  /* fld f18, 144(a0) */
    .word 0x09853987  /* fld f19, 152(a0) */
    .word 0x0a053a07  /* fld f20, 160(a0) */
    .word 0x0a853a87  /* fld f21, 168(a0) */
    .word 0x0b053b07  /* fld f22, 176(a0) */
    .word 0x0b853b87  /* fld f23, 184(a0) */
    .word 0x0c053c07  /* fld f24, 192(a0) */
    .word 0x0c853c87  /* fld f25, 200(a0) */
    .word 0x0d053d07  /* fld f26, 208(a0) */
    .word 0x0d853d87  /* fld f27, 216(a0) */
    .word 0x0e053e07  /* fld f28, 224(a0) */
    .word 0x0e853e87  /* fld f29, 232(a0) */
    .word 0x0f053f07  /* fld f30, 240(a0) */
    .word 0x0f853f87  /* fld f31, 248(a0) */
    ld t0, 256(a0)
    csrw 0x003, t0
    ret
