//===- KernelBuilder.h - Index arithmetic of the GPU kernels ----*- C++ -*-===//
//
// The index arithmetic that the kernel emitters of convert-structured-to-gpu
// (the block-matmul stages, the cluster Monarch and the FFT kernels) write
// into launch bodies, and the dynamic shared memory they carve tiles from.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_LIB_CONVERSION_STRUCTUREDTOGPU_KERNELBUILDER_H
#define STRUCTURED_LIB_CONVERSION_STRUCTUREDTOGPU_KERNELBUILDER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir::structured {

/// Builds index constants and unsigned index arithmetic at `b`'s insertion
/// point.
class KernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, int64_t y) {
    return arith::MulIOp::create(b, loc, x, index(y));
  }
  Value div(Value x, int64_t y) {
    return arith::DivUIOp::create(b, loc, x, index(y));
  }
  Value rem(Value x, int64_t y) {
    return arith::RemUIOp::create(b, loc, x, index(y));
  }
  Value min(Value x, Value y) { return arith::MinUIOp::create(b, loc, x, y); }
  Value less(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  /// The launch's dynamic shared memory as bytes.
  Value dynamicSharedMemory() {
    return gpu::DynamicSharedMemoryOp::create(
        b, loc,
        MemRefType::get({ShapedType::kDynamic}, b.getI8Type(), AffineMap(),
                        workgroupSpace()));
  }
  Attribute workgroupSpace() {
    return gpu::AddressSpaceAttr::get(
        b.getContext(), gpu::GPUDialect::getWorkgroupAddressSpace());
  }

protected:
  OpBuilder &b;
  Location loc;
};

} // namespace mlir::structured

#endif // STRUCTURED_LIB_CONVERSION_STRUCTUREDTOGPU_KERNELBUILDER_H
