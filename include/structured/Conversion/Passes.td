//===- Passes.td - Structured conversion passes -------------*- tablegen -*-===//

#ifndef STRUCTURED_CONVERSION_PASSES_TD
#define STRUCTURED_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertStructuredToVector : Pass<"convert-structured-to-vector"> {
  let summary = "Lower buffer-form blockdiag, monarch, btt and btt_moe ops to "
                "vector code";
  let description = [{
    Generates CPU vector code for `structured.blockdiag`, `structured.monarch`
    and `structured.btt` on memrefs (after bufferization) whose elements are
    `f32`, `f16` or `bf16` and whose feature sizes are static. Other ops and
    tensor-form ops are left alone (`structured-decompose` handles them).

    The batch goes into the vector lanes. For each group of `lanes` batch
    rows the kernel

    1. packs the group transposed into an `n × lanes` f32 buffer (`XT`),
    2. runs the first factor as `W1[i] · XT[block i]` for each block, one
       register tile of `row-block × lanes` accumulators at a time: each step
       of the reduction loads one row of `XT` and multiplies it by broadcast
       weights (one fused multiply-add per accumulator),
    3. runs the second factor the same way on the intermediate `ZT`, reading
       the rows the stride permutation selects (no transpose is
       materialised),
    4. writes the group back, converting to the element type.

    Both stages of a group run back to back, so the intermediate stays in
    cache; accumulation is in f32.

    `structured.btt_moe` runs the same kernels per expert: its (row, choice)
    pairs are sorted by expert index (a counting sort), each expert's pairs
    are gathered into the lanes and run through that expert's Monarch
    factors, and the results are scaled by the gate and added to their rows.
    The work is that of B·K Monarch rows, independent of R. With
    `runtime-checks` an expert index outside [0, R) stops the program
    (`cf.assert`) before any weight is read.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 elements per vector register">,
    Option<"lanes", "lanes", "int64_t", /*default=*/"32",
           "Batch rows per group (a multiple of vector-width)">,
    Option<"rowBlock", "row-block", "int64_t", /*default=*/"12",
           "Output rows per register tile">,
    Option<"runtimeChecks", "runtime-checks", "bool", /*default=*/"true",
           "Check at run time that btt_moe expert indices lie in [0, R)">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ConvertStructuredToGPU : Pass<"convert-structured-to-gpu", "ModuleOp"> {
  let summary = "Lower buffer-form blockdiag, monarch, btt, btt_moe and "
                "causal_conv ops to GPU kernels (on tensor cores where the "
                "shapes allow)";
  let description = [{
    Each stage of `structured.blockdiag`, `structured.monarch` and
    `structured.btt` on memrefs becomes one `gpu.launch`: every batch row is
    multiplied by G independent weight blocks, and where a block reads and
    writes the feature vector (the stride permutation) is indexing of the
    loads and stores, never a copy. Monarch and BTT write their intermediate
    to a temporary f32 buffer, which the second kernel reads; on tensor
    cores each f32 value is split into three bf16 parts whose sum is
    exact, so results match the f32-accumulating reference. With
    `round-intermediate` the buffer has the element type instead (half the
    traffic for f16/bf16, one more rounding, like a chain of bf16 matmuls).

    A CTA of 8 warps owns up to 8 blocks and a slice of their outputs; each
    warp keeps its block's weights in registers for the whole kernel.
    Tensor-core stages whose strided inputs or outputs (Monarch's stride
    permutation, BTT's chunks of R) would move runs shorter than a 32-byte
    sector take CTAs of `strided-warps` (default 16) warps and blocks
    instead, one CTA per SM, whose runs are twice as long. The
    CTA walks over the batch in tiles of rows: a tile is read from global
    memory with vector loads of up to 16 bytes (issued one tile ahead of
    the computation),
    scattered into shared memory as one row-major matrix per block, and
    multiplied there; results are staged in shared memory and written back
    with vector stores. Buffers must start at 16-byte boundaries (checked
    on the host with `cf.assert`); an in-place blockdiag reads a copy of x.

    With `transpose-intermediate` (`true`; `auto`, the default, for 2-byte
    intermediates of second stages with blocks of at least 64 terms) the
    intermediate holds the second stage's blocks one after another: the
    first stage writes with the stride, the second reads contiguous blocks
    (where the second stage's blocks are the first stage's outputs). With `direct-inputs` (the default), tensor-core
    stages with contiguous bf16/f16 input blocks of 16, 32, 48 or 64 terms
    have no input tile: each lane loads the inputs of its own A fragments
    from global memory (P/4 consecutive elements of each of its rows, the
    reduction index permuted alike in the A and B fragments). With
    `direct-outputs`, tensor-core stages with contiguous outputs store them
    from the accumulators, the mma columns permuted so that each lane
    fills whole 16-byte vectors and the four lanes of a row neighbouring
    ones; a stage with direct inputs and outputs uses no shared memory and
    no barrier. Tensor-core stages with strided inputs at chunk 1
    (Monarch's second stage) that `async-strided-inputs` selects (`split`,
    the default: split f32 inputs of stages with one slice of columns;
    `all`; `none`) copy the next tile into a shared-memory buffer in global
    order with `cp.async` (no prefetch registers) and transpose it V runs
    at a time in registers into the blocks' matrices (one vector store per
    block and part instead of one store per element).

    * f16 and bf16: `nvvm.mma.sync` m16n8k16 with f32 accumulation
      (reductions of at least 16 and even, padded with zeros to multiples of
      16; at least 8 outputs, the last slice of a block partly unused where
      they are not a multiple of 8);
    * f32 of the same shapes (`f32-tensor-cores`, the default): bf16
      `mma.sync` on parts, inputs and weights each split into three bf16
      parts whose sum is exact; the six products of parts whose ranks sum
      to at most 2 are multiplied (the three left out are below 2^-24 of
      the product), so the result has f32 accuracy (no TF32);
    * other shapes, and f16 stages with f32 inputs: one output column per
      1–8 lanes, f32 fused multiply-adds (f32 accuracy, not bit-identical
      to the reference's summation order).

    `structured.causal_conv` with L ≤ 16384 becomes fused FFT kernels
    (`planGpuFFTConv`, `structured/Analysis/CostModel/GpuFFTConvPlan.h`):
    the spectra of the kernels `k` (one CTA per channel), then one CTA per
    row, which transforms the row zero-padded to P ≥ 2L as one complex
    sequence of P/2 (its even and odd elements) in shared memory (Stockham
    passes of radix up to 32, the R-point DFTs in registers), splits out the
    spectrum, multiplies, merges back and transforms back. Besides x and y,
    only the spectra and the twiddle table (computed at compile time: a
    `memref.global` in GPU global memory per transform size, which
    outlining copies into the kernels' modules) are read from global
    memory; rows never mix.

    `structured.btt_moe` runs the sparse work only, sorting its (row,
    choice) pairs by expert: a kernel counts the pairs of each expert
    (with `runtime-checks`, an index outside [0, R) stops it with a
    device-side assertion that names the op; without, such indices are
    clamped into [0, R)), another adds up the counts into each expert's
    start, a third gives each pair its place in expert order and records
    the pair's row of x there. Then each of the two stage kernels of the
    experts' Monarchs (w1[:, ρ], w2[..., ρ], copied expert-major at every
    call) is one launch for all experts: the CTAs of expert ρ read its
    count and start from device memory and run on its places, the first
    stage reading x through the recorded rows, with f32 outputs; a last
    kernel adds up each row's outputs weighted by its gates, in the order
    of its choices (the result does not depend on how the pairs were
    placed). The host reads nothing back.

    No lowering leaves host code between its launches: kernels over an
    empty batch skip their body on the device, and the kernels check that
    their buffers start at 16-byte boundaries (device-side assertion), so
    the launches of a function's ops form one stream chain.

    Which ops get kernels and their tile shapes come from `planGpuKernels`
    (`structured/Analysis/CostModel/GpuKernelPlan.h`); the others are left
    alone for `structured-decompose`. Operands with non-identity layouts are
    copied to contiguous temporaries first. The kernels are host code's
    `gpu.launch` ops: `gpu-kernel-outlining` and the NVVM lowering follow.
  }];
  let options = [
    Option<"smCount", "sm-count", "int64_t", /*default=*/"132",
           "Streaming multiprocessors of the target; grids fill their waves "
           "of one or two CTAs per SM, each CTA walking over the batch">,
    Option<"ctasPerSM", "ctas-per-sm", "int64_t", /*default=*/"0",
           "When positive, outline the kernels itself and ask ptxas to fit "
           "this many CTAs of a tensor-core kernel per SM (nvvm.minctasm; "
           "fewer registers per thread)">,
    Option<"fftCtasPerSM", "fft-ctas-per-sm", "int64_t", /*default=*/"0",
           "The same for the FFT kernels of causal_conv">,
    Option<"fuseStages", "fuse-stages", "bool", /*default=*/"false",
           "Run both stages of a monarch with small blocks in one "
           "kernel, the f32 intermediate of a row tile in shared memory "
           "(experimental)">,
    Option<"clusterStages", "cluster-stages", "bool", /*default=*/"false",
           "Run both stages of a monarch with 16, 32 or 64 blocks (2-byte "
           "elements, bf16 for an f32 intermediate) as one kernel over "
           "thread-block clusters of 8 blocks per CTA, the intermediate "
           "exchanged through distributed shared memory (sm_90; "
           "experimental)">,
    Option<"f32TensorCores", "f32-tensor-cores", "bool", /*default=*/"true",
           "Multiply f32 stages of tensor-core shapes on tensor cores, as "
           "split bf16 parts (f32 accuracy), instead of with FMAs">,
    Option<"roundIntermediate", "round-intermediate", "bool",
           /*default=*/"false",
           "Keep the intermediate of monarch and btt in the element type "
           "(f16/bf16: half its memory traffic, one more rounding) instead "
           "of f32">,
    Option<"transposeIntermediate", "transpose-intermediate", "std::string",
           /*default=*/"\"auto\"",
           "Lay out the intermediate of monarch and btt as the second "
           "stage's blocks (its inputs contiguous, the first stage's "
           "outputs strided) instead of the first stage's: false, auto "
           "(2-byte intermediates of second stages with blocks of at least "
           "64 terms) or true">,
    Option<"directInputs", "direct-inputs", "bool", /*default=*/"true",
           "Let tensor-core stages with contiguous bf16/f16 input blocks of "
           "16 to 64 terms read their A fragments straight from global "
           "memory (no input tile in shared memory)">,
    Option<"directOutputs", "direct-outputs", "bool", /*default=*/"false",
           "Let tensor-core stages with contiguous outputs store them "
           "straight from their accumulators (no staging tile in shared "
           "memory)">,
    Option<"stridedWarps", "strided-warps", "int64_t", /*default=*/"16",
           "Warps (8 or 16), so blocks, of a CTA of tensor-core stages "
           "whose strided inputs or outputs move runs shorter than a "
           "32-byte sector with 8: 16 doubles their length, at one CTA per "
           "SM">,
    Option<"asyncStridedInputs", "async-strided-inputs", "std::string",
           /*default=*/"\"split\"",
           "Tensor-core stages that bring strided inputs (chunk 1) into "
           "shared memory with cp.async in global order, a tile ahead, and "
           "transpose them in registers into the blocks' matrices: none, "
           "split (split f32 inputs of stages with one slice of columns) or "
           "all">,
    Option<"runtimeChecks", "runtime-checks", "bool", /*default=*/"true",
           "Stop the program with a message when a btt_moe expert index is "
           "outside [0, R) (a device-side assertion); without, such indices "
           "are clamped into [0, R)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

#endif // STRUCTURED_CONVERSION_PASSES_TD
