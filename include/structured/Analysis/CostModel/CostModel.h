//===- CostModel.h - Cost models for tile selection -------------*- C++ -*-===//
//
// A cost model maps the features of one structured op under one candidate
// kernel configuration to a predicted cost; tile selection evaluates the
// candidates and keeps the cheapest. The analytical model below needs no
// data; a learned model plugs in through the same interface.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_ANALYSIS_COSTMODEL_COSTMODEL_H
#define STRUCTURED_ANALYSIS_COSTMODEL_COSTMODEL_H

#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>

namespace mlir {
class Operation;

namespace structured {

/// What the models know about the machine.
struct TargetDescription {
  /// f32 elements per vector register.
  int64_t vectorWidth = 16;
  int64_t vectorRegisters = 32;
  int64_t l2Bytes = 2 * 1024 * 1024;
  int64_t threads = 1;
  /// Vector fused multiply-adds and loads (vector or broadcast) issued per
  /// cycle by the register-tile loop (measured on a Xeon with AVX-512: the
  /// loop sustains about one load per cycle next to its FMAs).
  double fmaPerCycle = 2;
  double loadsPerCycle = 1;
  /// Bytes per cycle and core from beyond L2.
  double memoryBytesPerCycle = 8;

  /// The host: vector width from its CPU features, thread count from the
  /// number of hardware threads.
  static TargetDescription host();
};

/// One two-stage (or, for blockdiag, one-stage) batched small-matrix map
/// under one kernel configuration. Stage s computes `blocks` products of a
/// `rows × depth` weight matrix with the batch.
struct KernelFeatures {
  /// Flattened batch size; std::nullopt when dynamic.
  std::optional<int64_t> batch;
  int64_t inFeatures = 0, intermediateFeatures = 0, outFeatures = 0;
  int64_t stageBlocks[2] = {0, 0};
  int64_t stageRows[2] = {0, 0};
  int64_t stageDepth[2] = {0, 0};
  int64_t elementBytes = 4;
  /// btt_moe: ceil(R / K). A batch tile gives each expert about this
  /// fraction of its rows (1 for the other ops).
  int64_t expertSparsity = 1;
  // The configuration.
  int64_t batchTile = 0;
  int64_t lanes = 0;
  int64_t rowBlock = 0;

  /// Bytes of the per-group buffers one stage touches (its input and output
  /// buffer), the larger of the two stages.
  int64_t stageWorkingSetBytes() const;
};

/// Features in, predicted cost out (arbitrary units, lower is better;
/// +infinity for configurations that cannot run well, e.g. register spills).
class CostModel {
public:
  virtual ~CostModel();
  virtual double predictCost(const KernelFeatures &features) const = 0;
};

/// Cycle estimate from issue rates (FMA and load ports per register tile),
/// copy costs of packing, cache spill of the group buffers and the balance
/// of batch tiles over threads.
class AnalyticalCostModel : public CostModel {
public:
  explicit AnalyticalCostModel(TargetDescription target) : target(target) {}
  double predictCost(const KernelFeatures &features) const override;

private:
  TargetDescription target;
};

/// Whether `op` is a blockdiag, monarch or btt that
/// `convert-structured-to-vector` lowers once it is on buffers: f32, f16 or
/// bf16 elements, static feature sizes and static weights. These are the ops
/// the models describe.
bool hasBatchVectorLowering(Operation *op);

/// The problem part of the features of a blockdiag, monarch or btt op, or
/// std::nullopt for other ops and ops without static features and weights.
std::optional<KernelFeatures> getKernelProblem(Operation *op);

/// The cheapest configuration of `problem` under `model` among lanes in
/// {1, 2, 3, 4} vectors, row blocks that fit in the registers, and batch
/// tiles that split the batch over the threads.
KernelFeatures selectKernelConfiguration(const CostModel &model,
                                         const KernelFeatures &problem,
                                         const TargetDescription &target);

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_ANALYSIS_COSTMODEL_COSTMODEL_H
