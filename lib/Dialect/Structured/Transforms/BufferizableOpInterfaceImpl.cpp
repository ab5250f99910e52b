//===- BufferizableOpInterfaceImpl.cpp - Bufferization of ops -------------===//
//
// One-shot bufferization of structured ops: each tensor op becomes the same
// op on buffers, writing into the buffer of its `outs` operand.
//
//===----------------------------------------------------------------------===//

#include "structured/Dialect/Structured/Transforms/BufferizableOpInterfaceImpl.h"

#include "structured/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::structured;

namespace {
template <typename OpTy>
struct StructuredOpBufferization
    : public DstBufferizableOpInterfaceExternalModel<
          StructuredOpBufferization<OpTy>, OpTy> {
  /// The result overwrites the destination, so only the inputs are read; an
  /// out-of-place destination therefore needs no copy of its old contents.
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &) const {
    return !cast<DestinationStyleOpInterface>(op).isDpsInit(&operand);
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto dps = cast<DestinationStyleOpInterface>(op);
    if (dps.hasPureBufferSemantics())
      return success();
    if (!dps.hasPureTensorSemantics())
      return op->emitOpError("expected operands of one kind: tensors or "
                             "memrefs");

    SmallVector<Value> buffers;
    for (OpOperand &operand : op->getOpOperands()) {
      FailureOr<Value> buffer =
          getBuffer(rewriter, operand.get(), options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
    }
    rewriter.setInsertionPoint(op);
    OperationState bufferized(op->getLoc(), op->getName(), buffers, TypeRange{},
                              op->getAttrs());
    rewriter.create(bufferized);
    SmallVector<Value> initBuffers;
    for (OpOperand &init : dps.getDpsInitsMutable())
      initBuffers.push_back(buffers[init.getOperandNumber()]);
    replaceOpWithBufferizedValues(rewriter, op, initBuffers);
    return success();
  }
};

template <typename... OpTys> static void attachModels(MLIRContext *context) {
  (OpTys::template attachInterface<StructuredOpBufferization<OpTys>>(*context),
   ...);
}
} // namespace

void structured::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, StructuredDialect *) {
    attachModels<BlockDiagOp, PermuteOp, MonarchOp, BTTOp, BTTMoEOp,
                 EinsumLinearOp, PolyEvalOp, PolyInterpOp, CausalConvOp>(
        context);
  });
}
