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

#endif // STRUCTURED_CONVERSION_PASSES_TD
