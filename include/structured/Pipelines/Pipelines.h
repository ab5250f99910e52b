//===- Pipelines.h - Structured compilation pipelines -----------*- C++ -*-===//
//
// End-to-end pipelines from modules containing structured ops to the LLVM
// dialect, each a named and commented sequence of passes with an options
// struct, in the style of upstream's buildLowerToNVVMPassPipeline.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_PIPELINES_PIPELINES_H
#define STRUCTURED_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace structured {

/// Options of `structured-to-cpu-pipeline`.
struct StructuredToCPUPipelineOptions
    : public PassPipelineOptions<StructuredToCPUPipelineOptions> {
  PassOptions::Option<bool> canonicalizeStructured{
      *this, "canonicalize-structured",
      llvm::cl::desc("Canonicalize structured ops (form Monarch ops) and "
                     "fold permutations into their neighbours before "
                     "lowering them"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> runtimeChecks{
      *this, "runtime-checks",
      llvm::cl::desc("Check at run time that btt_moe expert indices lie in "
                     "[0, R); an out-of-range index aborts with a message"),
      llvm::cl::init(true)};
  PassOptions::Option<std::string> causalConv{
      *this, "causal-conv",
      llvm::cl::desc("Lowering of causal_conv: 'fft' (Monarch-factored DFTs) "
                     "or 'direct' (the O(L^2) sum, a reference for testing)"),
      llvm::cl::init("fft")};
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Lower f32/f16/bf16 blockdiag, monarch and btt with "
                     "convert-structured-to-vector instead of the linalg "
                     "decomposition"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> fuse{
      *this, "fuse",
      llvm::cl::desc("Run each structured op with its elementwise and "
                     "structured neighbours in one loop over batch tiles "
                     "(structured-fuse)"),
      llvm::cl::init(true)};
  PassOptions::Option<std::string> tileModel{
      *this, "tile-model",
      llvm::cl::desc("Cost model choosing batch tiles and kernel shapes "
                     "('analytical'), or 'none' to use `lanes`/`row-block` "
                     "and leave the batch untiled"),
      llvm::cl::init("analytical")};
  PassOptions::Option<int64_t> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("f32 elements per vector of the kernels, whatever the "
                     "host's registers (the cost model plans for it)"),
      llvm::cl::init(16)};
  PassOptions::Option<int64_t> lanes{
      *this, "lanes",
      llvm::cl::desc("Batch rows per vector kernel group (a multiple of 16) "
                     "where no cost model chose one"),
      llvm::cl::init(32)};
  PassOptions::Option<int64_t> rowBlock{
      *this, "row-block",
      llvm::cl::desc("Output rows per register tile where no cost model "
                     "chose one"),
      llvm::cl::init(8)};
  PassOptions::Option<bool> threads{
      *this, "threads",
      llvm::cl::desc("Run scf.forall loops (the batch tiles) on OpenMP "
                     "threads; the program then needs libomp"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> numThreads{
      *this, "num-threads",
      llvm::cl::desc("Threads the cost model plans for (0: the host's)"),
      llvm::cl::init(0)};
  PassOptions::Option<bool> emitCInterface{
      *this, "emit-c-interface",
      llvm::cl::desc("Give every function a `_mlir_ciface_` entry point "
                     "taking memref descriptors by pointer, for C callers "
                     "(struct-aot)"),
      llvm::cl::init(false)};
};

/// Lowers a module in which func/arith/math/scf/tensor/linalg/vector ops
/// surround structured ops to the LLVM dialect for the host CPU.
void buildStructuredToCPUPipeline(
    OpPassManager &pm, const StructuredToCPUPipelineOptions &options);

/// Options of `structured-to-nvvm-pipeline`.
struct StructuredToNVVMPipelineOptions
    : public PassPipelineOptions<StructuredToNVVMPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("Target GPU architecture (sm_NN[a])"),
      llvm::cl::init("sm_90")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features for the NVPTX backend (CUDA 13's ptxas "
                     "accepts PTX up to 9.0)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("GPU binary format: 'fatbin' or 'bin' (need ptxas from "
                     "the CUDA toolkit) or 'isa' (PTX, compiled by the "
                     "driver when loaded)"),
      llvm::cl::init("fatbin")};
  PassOptions::Option<int> optLevel{*this, "opt-level",
                                    llvm::cl::desc("NVVM optimization level"),
                                    llvm::cl::init(3)};
  PassOptions::Option<int64_t> blockSize{
      *this, "block-size",
      llvm::cl::desc("Threads per block of the loop kernels"),
      llvm::cl::init(256)};
  PassOptions::Option<bool> kernels{
      *this, "kernels",
      llvm::cl::desc("Lower blockdiag, monarch and btt to the block-matmul "
                     "kernels and causal_conv to the FFT kernels of "
                     "convert-structured-to-gpu (false: through the "
                     "decomposition's loops)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> smCount{
      *this, "sm-count",
      llvm::cl::desc("Streaming multiprocessors of the target GPU"),
      llvm::cl::init(132)};
  PassOptions::Option<std::string> ptxasOptions{
      *this, "ptxas-options",
      llvm::cl::desc("Extra ptxas command-line options, e.g. "
                     "'--warn-on-spills' (ptxas ignores -maxrregcount on "
                     "these kernels: they declare .maxntid)"),
      llvm::cl::init("")};
  PassOptions::Option<int64_t> ctasPerSM{
      *this, "ctas-per-sm",
      llvm::cl::desc("CTAs per SM the tensor-core kernels are compiled "
                     "for (0: no register bound)"),
      llvm::cl::init(2)};
  PassOptions::Option<int64_t> fftCtasPerSM{
      *this, "fft-ctas-per-sm",
      llvm::cl::desc("CTAs per SM the FFT kernels of causal_conv are "
                     "compiled for, where shared memory allows (0: no "
                     "register bound)"),
      llvm::cl::init(3)};
  PassOptions::Option<bool> fuseStages{
      *this, "fuse-stages",
      llvm::cl::desc("Fuse the two stages of Monarchs with small blocks "
                     "into one kernel (experimental)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> clusterStages{
      *this, "cluster-stages",
      llvm::cl::desc("Run both stages of bf16 Monarchs of 16, 32 or 64 blocks "
                     "as one kernel over thread-block clusters, the "
                     "intermediate in distributed shared memory (sm_90; "
                     "experimental)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> f32TensorCores{
      *this, "f32-tensor-cores",
      llvm::cl::desc("Run f32 kernels of tensor-core shapes on tensor "
                     "cores, as split bf16 parts (f32 accuracy)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> roundIntermediate{
      *this, "round-intermediate",
      llvm::cl::desc("Keep Monarch/BTT intermediates of f16/bf16 kernels in "
                     "the element type (faster, one more rounding)"),
      llvm::cl::init(false)};
  PassOptions::Option<std::string> transposeIntermediate{
      *this, "transpose-intermediate",
      llvm::cl::desc("Lay out Monarch/BTT intermediates as the second "
                     "stage's blocks (strided first-stage outputs) instead "
                     "of the first stage's (strided second-stage inputs): "
                     "false, auto (2-byte intermediates of second stages "
                     "with blocks of at least 64 terms) or true"),
      llvm::cl::init("auto")};
  PassOptions::Option<bool> directInputs{
      *this, "direct-inputs",
      llvm::cl::desc("Let tensor-core stages with contiguous bf16/f16 "
                     "input blocks of 16 to 64 terms read their A fragments "
                     "straight from global memory"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> directOutputs{
      *this, "direct-outputs",
      llvm::cl::desc("Let tensor-core stages with contiguous outputs store "
                     "them straight from their accumulators"),
      llvm::cl::init(false)};
  PassOptions::Option<int64_t> stridedWarps{
      *this, "strided-warps",
      llvm::cl::desc("Warps (8 or 16), so blocks, of a CTA of tensor-core "
                     "stages whose strided inputs or outputs move runs "
                     "shorter than a 32-byte sector with 8"),
      llvm::cl::init(16)};
  PassOptions::Option<std::string> asyncStridedInputs{
      *this, "async-strided-inputs",
      llvm::cl::desc("Tensor-core stages that bring strided inputs (chunk 1) "
                     "into shared memory with cp.async and transpose them in "
                     "registers: none, split (split f32 inputs of stages "
                     "with one slice of columns) or all"),
      llvm::cl::init("split")};
  PassOptions::Option<bool> canonicalizeStructured{
      *this, "canonicalize-structured",
      llvm::cl::desc("Canonicalize structured ops and fold permutations "
                     "before lowering them"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> runtimeChecks{
      *this, "runtime-checks",
      llvm::cl::desc("Check btt_moe expert indices on the GPU and stop the "
                     "program with a message when one is outside [0, R) "
                     "(false: clamp them into [0, R))"),
      llvm::cl::init(true)};
  PassOptions::Option<std::string> causalConv{
      *this, "causal-conv",
      llvm::cl::desc("Lowering of causal_conv: 'fft' (the FFT kernels up "
                     "to L = 16384, else real Monarch DFTs with their "
                     "weights computed on the GPU at every call) or "
                     "'direct' (the O(L²) sum)"),
      llvm::cl::init("fft")};
  PassOptions::Option<bool> emitCInterface{
      *this, "emit-c-interface",
      llvm::cl::desc("Give every function a `_mlir_ciface_` entry point "
                     "(struct-aot --gpu)"),
      llvm::cl::init(false)};
};

/// Lowers a module whose functions take device memory (memrefs whose data
/// is GPU memory) and compute with structured ops to GPU kernels in an
/// embedded binary plus host code in the LLVM dialect, which calls the
/// `mgpu*` functions of libStructuredCudaRuntime.
void buildStructuredToNVVMPipeline(
    OpPassManager &pm, const StructuredToNVVMPipelineOptions &options);

/// Registers the pipelines with the pass registry (`--structured-to-...`).
void registerStructuredPipelines();

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_PIPELINES_PIPELINES_H
