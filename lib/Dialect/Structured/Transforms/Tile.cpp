//===- Tile.cpp - Tile structured ops through the TilingInterface ---------===//

#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "llvm/Support/InterleavedRange.h"

namespace mlir {
namespace structured {
#define GEN_PASS_DEF_STRUCTUREDTILE
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"
} // namespace structured
} // namespace mlir

using namespace mlir;
using namespace mlir::structured;

namespace {

struct StructuredTilePass
    : structured::impl::StructuredTileBase<StructuredTilePass> {
  using Base::Base;

  void runOnOperation() override {
    scf::SCFTilingOptions::LoopType loopType;
    if (loop == "forall") {
      loopType = scf::SCFTilingOptions::LoopType::ForallOp;
    } else if (loop == "for") {
      loopType = scf::SCFTilingOptions::LoopType::ForOp;
    } else {
      getOperation()->emitError()
          << "unknown loop kind '" << loop << "'; expected 'forall' or 'for'";
      return signalPassFailure();
    }

    SmallVector<std::pair<TilingInterface, SmallVector<int64_t>>> work;
    WalkResult walk = getOperation()->walk([&](TilingInterface op) {
      if (!isa<StructuredDialect>(op->getDialect()))
        return WalkResult::advance();
      SmallVector<int64_t> sizes;
      if (Attribute raw = op->getAttr(kTileSizesAttrName)) {
        auto attr = dyn_cast<DenseI64ArrayAttr>(raw);
        if (!attr) {
          op->emitOpError() << "'" << kTileSizesAttrName
                            << "' must be an array<i64>, got " << raw;
          return WalkResult::interrupt();
        }
        sizes.assign(attr.asArrayRef().begin(), attr.asArrayRef().end());
      } else if (!tileSizes.empty()) {
        sizes.assign(tileSizes.begin(), tileSizes.end());
      } else {
        return WalkResult::advance();
      }
      size_t loops = op.getLoopIteratorTypes().size();
      if (sizes.size() > loops || llvm::any_of(sizes, [](int64_t size) {
            return size < 0;
          })) {
        op->emitOpError() << "has " << loops
                          << " loops to tile but got tile sizes ["
                          << llvm::interleaved(sizes) << "]";
        return WalkResult::interrupt();
      }
      work.emplace_back(op, std::move(sizes));
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    IRRewriter rewriter(&getContext());
    for (auto &[op, sizes] : work) {
      op->removeAttr(kTileSizesAttrName);
      if (llvm::all_of(sizes, [](int64_t size) { return size == 0; }))
        continue;
      scf::SCFTilingOptions options;
      options.setLoopType(loopType);
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled =
          scf::tileUsingSCF(rewriter, op, options);
      if (failed(tiled)) {
        op->emitOpError("could not be tiled by [")
            << llvm::interleaved(sizes) << "]";
        return signalPassFailure();
      }
      if (op->getNumResults())
        rewriter.replaceOp(op, tiled->replacements);
      else
        rewriter.eraseOp(op);
    }
  }
};

} // namespace
