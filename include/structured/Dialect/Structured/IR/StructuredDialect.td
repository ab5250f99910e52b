//===- StructuredDialect.td - Structured dialect definition -*- tablegen -*-===//
//
// The `structured` dialect: structured linear maps (Monarch, block-diagonal
// factors, stride permutations, Block Tensor-Train) as first-class ops.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_TD
#define STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_TD

include "mlir/IR/OpBase.td"

def Structured_Dialect : Dialect {
  let name = "structured";
  let cppNamespace = "::mlir::structured";
  let summary = "Structured linear maps: Monarch, block-diagonal, BTT";
  let description = [{
    The `structured` dialect represents linear maps whose weight matrix is a
    product of structured factors: block-diagonal matrices, stride
    permutations, Monarch matrices and Block Tensor-Trains. The ops are in
    destination-passing style, like linalg named ops, and work on tensors and
    on memrefs. The last dimension of the input and output is the feature
    dimension; all leading dimensions are batch dimensions, static or dynamic.
    Weights always have static shapes.

    Element types are `f32`, `f16` and `bf16`, and `complex<f32>` for the
    Monarch-factored DFTs of the polynomial ops; lowerings accumulate in
    `f32` (`complex<f32>` for complex operands).
    The result overwrites the `outs` operand; it is never accumulated into it.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::complex::ComplexDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::memref::MemRefDialect"
  ];
  let hasCanonicalizer = 0;
}

#endif // STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_TD
