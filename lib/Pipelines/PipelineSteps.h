//===- PipelineSteps.h - Steps shared by the pipelines ----------*- C++ -*-===//
//
// Internal to lib/Pipelines: the sequences of passes that the CPU and NVVM
// pipelines both run.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_LIB_PIPELINES_PIPELINESTEPS_H
#define STRUCTURED_LIB_PIPELINES_PIPELINESTEPS_H

namespace mlir {
class OpPassManager;

namespace structured {

/// Canonicalization of structured ops (permutation pairs, rank-1 BTTs and
/// blockdiag/permute chains to Monarch ops), then permutations folded into
/// the indexing of their neighbours.
void addStructuredCanonicalization(OpPassManager &pm);

/// Bufferizes the whole module, function boundaries included, with identity
/// layouts so that functions keep a plain C-compatible ABI; loops may carry
/// freshly allocated tensors (a layer applied in an scf.for). Then
/// ownership-based deallocation, lowered to memref ops.
void addBufferization(OpPassManager &pm);

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_LIB_PIPELINES_PIPELINESTEPS_H
