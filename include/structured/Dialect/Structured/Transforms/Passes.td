//===- Passes.td - Structured dialect passes ---------------*- tablegen -*-===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_PASSES_TD
#define STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def StructuredDecompose : Pass<"structured-decompose"> {
  let summary = "Decompose every structured op into linalg and reshapes";
  let description = [{
    Rewrites each structured op into `linalg.generic` contractions,
    `linalg.transpose`, `linalg.fill` and `tensor`/`memref` reshapes of the
    feature dimension. This is the reference semantics of the dialect: the
    result is what every other lowering must compute.

    Contractions accumulate in `f32`; for `f16` and `bf16` operands the
    accumulator is a temporary `f32` buffer that is truncated into `outs` at
    the end. Monarch and BTT keep their intermediate in an `f32` temporary;
    their stride permutations become indexing maps, not copies.

    `btt_moe` becomes gathers of the selected experts' weights inside the
    contractions, so its cost grows with K, not R; with `runtime-checks`
    (the default) an index outside `[0, R)` stops the program with a
    message (`cf.assert`) before any weight is read.

    `poly_eval` and `poly_interp` become `structured.monarch` on
    `complex<f32>` values with the DFT twiddles folded into the factors,
    which a further round lowers to linalg. `causal_conv` (polynomial
    multiplication: evaluate signal and kernel, multiply, interpolate)
    becomes three *real* f32 `structured.monarch` ops whose blocks are the
    2×2 real embeddings of the complex DFT factors, on the Hermitian half of
    the spectrum: the forward transforms of signal and kernel, and the
    inverse, with the pointwise product in between. Their weights depend on
    L only and are kept in private module globals filled on the first call.
    With `keep-vectorizable` those monarch ops stay for the vector kernels,
    with `keep-gpu-kernels` for the GPU kernels, which also take
    causal_conv itself where it has FFT kernels (not with
    `causal-conv=direct`).

    Works on tensors and on memrefs; temporaries on memrefs are allocated
    with `memref.alloc` and, unless `deallocate-temporaries=false`, freed
    after their last use. Pipelines that run buffer deallocation afterwards
    turn that off, since the ownership-based deallocation pass rejects IR
    that already frees buffers.
  }];
  let options = [
    Option<"deallocateTemporaries", "deallocate-temporaries", "bool",
           /*default=*/"true",
           "Free the temporary buffers of memref-form ops with memref.dealloc">,
    Option<"runtimeChecks", "runtime-checks", "bool", /*default=*/"true",
           "Insert run-time assertions that btt_moe expert indices lie in "
           "[0, R)">,
    Option<"parallelChecks", "parallel-checks", "bool", /*default=*/"false",
           "Emit those assertions in parallel loops (which the GPU pipeline "
           "runs as kernels, asserting on the device, since host code cannot "
           "read device memory) instead of sequential ones">,
    Option<"causalConv", "causal-conv", "std::string", /*default=*/"\"fft\"",
           "Lowering of causal_conv: 'fft' (polynomial multiplication through "
           "Monarch-factored DFTs, O(L^1.5)) or 'direct' (the O(L^2) sum, a "
           "reference for testing)">,
    Option<"cacheDftWeights", "cache-dft-weights", "bool",
           /*default=*/"true",
           "Keep causal_conv's DFT weights in module globals filled on the "
           "first call (false: compute them on every call, e.g. for GPU "
           "kernels, which cannot read host globals)">,
    Option<"keepVectorizable", "keep-vectorizable", "bool",
           /*default=*/"false",
           "Leave the blockdiag, monarch and btt ops that "
           "convert-structured-to-vector lowers (f32/f16/bf16, static "
           "features and weights) for it">,
    Option<"keepGpuKernels", "keep-gpu-kernels", "bool", /*default=*/"false",
           "Leave the blockdiag, monarch, btt and causal_conv ops that "
           "convert-structured-to-gpu lowers for it">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::complex::ComplexDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def StructuredFoldPermutations : Pass<"structured-fold-permutations"> {
  let summary = "Fold stride permutations into the indexing of their neighbours";
  let description = [{
    A `structured.permute` on tensors only reorders features for the next op.
    This pass moves it into the indexing of the op that produces or consumes
    the permuted value, so that no copy is made:

    * `einsum_linear` producer or consumer: the permutation becomes an order
      of the spec's letters. `permute {rows = R, cols = C}` followed by
      `einsum_linear` with x term `bcr` (c of size C, r of size R) becomes
      the einsum with x term `brc` on the unpermuted input. When the
      permutation cuts through a letter, the letter is split in two and the
      factors that use it are reshaped (`tensor.expand_shape`).
    * elementwise linalg producer or consumer (bias, activation, gating,
      residual; `linalg.generic` or named elementwise ops): the feature loop
      is split into two loops and the permuted operand is read, or the
      permute's destination written, with the two swapped.
    * compositions of permutes, identity permutes, and
      blockdiag → permute → blockdiag → permute chains, which become one
      `structured.monarch` (whose stride permutation is indexing already).

    An einsum whose permutation folded in may become a named op (`monarch`,
    `btt`) by the einsum canonicalization, which runs too.

    ```mlir
    %p = structured.permute ins(%x : tensor<8x12xf32>) outs(%e : tensor<8x12xf32>)
           {rows = 3 : i64, cols = 4 : i64} -> tensor<8x12xf32>
    %y = structured.einsum_linear ins(%p, %f : tensor<8x12xf32>, tensor<5x4x3xf32>)
           outs(%init : tensor<8x5xf32>) {spec = "bcr,ocr->bo"} -> tensor<8x5xf32>
    // becomes
    %y = structured.einsum_linear ins(%x, %f : tensor<8x12xf32>, tensor<5x4x3xf32>)
           outs(%init : tensor<8x5xf32>) {spec = "brc,ocr->bo"} -> tensor<8x5xf32>
    ```

    Permutes on buffers, and permutes whose neighbours are function
    arguments or results, blockdiag/monarch/btt outside a Monarch chain, or
    ops that read loop indices, are left as they are.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def StructuredFuse : Pass<"structured-fuse"> {
  let summary = "Run structured ops and their elementwise neighbours per batch "
                "tile";
  let description = [{
    Groups each structured op on tensors with the ops that share its batch
    dimension: elementwise linalg producers and consumers (bias, activation,
    gating, residual; `linalg.generic` or named elementwise ops whose loops
    are their result's dimensions) and other structured ops of a chain
    (`monarch → gelu → monarch`). A producer joins the group when all its
    users are in it. The last op of the group is tiled along the batch
    dimensions into one `scf.forall`, and the rest of the group is fused
    into that loop through the TilingInterface, so every batch tile runs the
    whole chain with its intermediates in cache; `tensor.empty` slices
    become tile-sized empties. Within each tile, monarch and btt keep both
    stages in one op, which `convert-structured-to-vector` lowers to one
    loop nest per group of rows.

    The batch tile is the one `structured-select-tiles` or the user put on
    the group's structured ops (`structured.tile_sizes`; the smallest where
    they differ), else `batch-tile` for the first batch dimension; groups
    with neither are left alone. The attribute is removed from the fused
    ops, so `structured-tile` does not tile them again.

    ```mlir
    %y = structured.monarch ins(%x, %w1, %w2 : ...) outs(%e : tensor<2048x4096xf32>)
           {structured.tile_sizes = array<i64: 256, 0>} -> tensor<2048x4096xf32>
    %z = linalg.generic {...} ins(%y, %bias : ...) outs(%init : ...) { add, max }
    // becomes
    %z = scf.forall (%b) = (0) to (2048) step (256) shared_outs(%o = %init) {
      %t = structured.monarch ins(%x[%b, 0] [256, 4096], %w1, %w2 : ...) outs(%e1 : tensor<256x4096xf32>)
      %u = linalg.generic {...} ins(%t, %bias : ...) outs(%o[%b, 0] [256, 4096] : ...)
      ...
    }
    ```
  }];
  let options = [
    Option<"batchTile", "batch-tile", "int64_t", /*default=*/"0",
           "Batch tile for groups whose structured ops carry no "
           "structured.tile_sizes (0: leave such groups alone)">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def StructuredGpuAllocations : Pass<"structured-gpu-allocations"> {
  let summary = "Make host-side buffer management use GPU memory";
  let description = [{
    In `structured-to-nvvm-pipeline` every buffer lives in GPU memory: the
    function arguments (the caller passes device memory) and the temporaries
    that decomposition and bufferization create. This pass rewrites host
    code accordingly: `memref.alloc` → `gpu.alloc`, `memref.dealloc` →
    `gpu.dealloc`, `memref.copy` → `gpu.memcpy` between contiguous buffers
    and `linalg.copy` (a kernel, once linalg becomes loops) between strided
    views. Ops inside `gpu.launch` bodies and GPU modules are left alone.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::linalg::LinalgDialect"];
}

def StructuredParallelLoopsToGpu : Pass<"structured-parallel-loops-to-gpu"> {
  let summary = "Run each outermost scf.parallel as a GPU launch, one thread "
                "per iteration";
  let description = [{
    Every outermost `scf.parallel` of host code (without reductions) becomes
    a `gpu.launch` of `block-size` threads per block and as many blocks as
    the iteration space needs; each thread runs one iteration. The iteration
    space is linearised with the innermost dimension fastest, so the threads
    of a warp touch neighbouring elements of row-major buffers (coalesced
    accesses). Sequential loops inside the body (reductions) stay in the
    thread; an empty iteration space launches one block whose threads all
    skip the body (no host branch, which would end the stream chain of
    gpu-async-region).

    Afterwards no host code may read or write buffers (they are device
    memory): a `memref.load`/`store`/`atomic_rmw` or an `scf.parallel` left
    outside the launches is an error.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def StructuredDeduplicateGpuModules
    : Pass<"structured-deduplicate-gpu-modules", "::mlir::ModuleOp"> {
  let summary = "Keep one of each set of identical outlined GPU modules";
  let description = [{
    After kernel outlining, a function of several ops of the same shapes
    (a chain of identical layers) has one `gpu.module` per launch, whose
    bodies are identical: each would be compiled (`ptxas`) and loaded on
    its own. This pass keeps the first module of each set of modules with
    identical bodies (the same ops, attributes and kernel names; only the
    modules' own symbols differ), points every reference to the others
    (`gpu.launch_func @module::@kernel`) at it, and erases the others. A
    module whose uses cannot all be found (an unknown op that may be a
    symbol table) stays.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def StructuredTile : Pass<"structured-tile"> {
  let summary = "Tile structured ops through their TilingInterface";
  let description = [{
    Tiles every structured op that carries a `structured.tile_sizes`
    attribute (an `array<i64>` with one size per loop of the op's iteration
    domain: its batch dims, then its output blocks; 0 leaves a loop untiled),
    as `structured-select-tiles` sets it or as written by hand. With the
    `tile-sizes` option, ops without the attribute that implement the
    TilingInterface are tiled by those sizes too. The attribute is removed
    from the tiled ops.

    `loop=forall` (the default) produces `scf.forall` loops, whose
    iterations may run in parallel (the CPU pipeline maps them onto
    OpenMP threads); `loop=for` produces sequential `scf.for` loops.

    ```mlir
    %y = structured.monarch ins(...) outs(%init : tensor<2048x4096xf32>)
           {structured.tile_sizes = array<i64: 256, 0>} -> tensor<2048x4096xf32>
    // becomes
    %y = scf.forall (%b) = (0) to (2048) step (256) shared_outs(%o = %init) {
      ... structured.monarch on the 256 × 4096 slices ...
    }
    ```
  }];
  let options = [
    ListOption<"tileSizes", "tile-sizes", "int64_t",
               "Tile sizes for ops without a structured.tile_sizes attribute">,
    Option<"loop", "loop", "std::string", /*default=*/"\"forall\"",
           "Loop kind: 'forall' (parallel) or 'for'">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def StructuredSelectTiles : Pass<"structured-select-tiles"> {
  let summary = "Choose tile sizes and kernel shapes with a cost model";
  let description = [{
    For every blockdiag, monarch and btt op that `convert-structured-to-vector`
    can lower (f32/f16/bf16, static features and weights), evaluates the
    candidate configurations — batch rows per vector group (`lanes`), output
    rows per register tile (`row_block`) and the batch tile that splits the
    work over the threads — with a cost model and annotates the op with the
    cheapest:

    * `structured.tile_sizes = array<i64: ...>` for `structured-tile` (the
      first batch dimension is tiled, the rest of the iteration domain is
      not);
    * `structured.kernel = array<i64: lanes, row_block>` for
      `convert-structured-to-vector`.

    A batch known only at run time gets tiles of one group of lanes (for
    btt_moe, about one per expert), so that the tiles spread evenly over the
    threads whatever its size. Ops
    that already carry `structured.tile_sizes`, and ops inside an
    `scf.forall` (already tiled), are left alone.
    `model=analytical` is a cycle estimate from the target's vector width,
    register count, issue rates, L2 size and thread count (see
    `structured/Analysis/CostModel/CostModel.h`; the model's interface is
    "features in, predicted cost out").
  }];
  let options = [
    Option<"model", "model", "std::string", /*default=*/"\"analytical\"",
           "Cost model: 'analytical'">,
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Threads the batch tiles are spread over (0: the host's hardware "
           "threads)">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"0",
           "f32 elements per vector register (0: from the host CPU)">,
    Option<"vectorRegisters", "vector-registers", "int64_t",
           /*default=*/"0",
           "Vector registers of the target (0: from the host CPU)">
  ];
}

#endif // STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_PASSES_TD
