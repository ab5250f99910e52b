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

    `causal_conv` becomes `poly_eval` of signal and kernel, a pointwise
    product and `poly_interp`; those become `structured.monarch` on
    `complex<f32>` values with the DFT twiddles folded into the factors, which
    a further round lowers to linalg.

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
    Option<"causalConv", "causal-conv", "std::string", /*default=*/"\"fft\"",
           "Lowering of causal_conv: 'fft' (polynomial multiplication through "
           "Monarch-factored DFTs, O(L^1.5)) or 'direct' (the O(L^2) sum, a "
           "reference for testing)">,
    Option<"keepVectorizable", "keep-vectorizable", "bool",
           /*default=*/"false",
           "Leave the blockdiag, monarch and btt ops that "
           "convert-structured-to-vector lowers (f32/f16/bf16, static "
           "features and weights) for it">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::complex::ComplexDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_PASSES_TD
