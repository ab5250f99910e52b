//===- StructuredTransformOps.td - Transform ops for structured --*- tablegen -*-===//
//
// Transform-dialect ops that script the structured transformations: cost
// model annotation, fusion over batch tiles, and pattern sets for permutation
// folding, decomposition and vector kernels. Tiling itself is upstream's
// `transform.structured.tile_using_forall`, which works on structured ops
// through their TilingInterface.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_TRANSFORMOPS_STRUCTUREDTRANSFORMOPS_TD
#define STRUCTURED_DIALECT_STRUCTURED_TRANSFORMOPS_STRUCTUREDTRANSFORMOPS_TD

include "mlir/Dialect/Transform/IR/TransformDialect.td"
include "mlir/Dialect/Transform/IR/TransformTypes.td"
include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpBase.td"

//===----------------------------------------------------------------------===//
// Pattern sets
//===----------------------------------------------------------------------===//

def ApplyFoldPermutationPatternsOp : Op<Transform_Dialect,
    "apply_patterns.structured.fold_permutations",
    [DeclareOpInterfaceMethods<PatternDescriptorOpInterface>]> {
  let summary = "Patterns of structured-fold-permutations";
  let description = [{
    Folds tensor-form `structured.permute` ops into the indexing of
    neighbouring `einsum_linear` and elementwise linalg ops, composes them
    and forms Monarch products from blockdiag/permute chains (see
    `structured-fold-permutations`).
  }];
  let assemblyFormat = "attr-dict";
}

def ApplyDecompositionPatternsOp : Op<Transform_Dialect,
    "apply_patterns.structured.decompose",
    [DeclareOpInterfaceMethods<PatternDescriptorOpInterface>]> {
  let summary = "Patterns of structured-decompose";
  let description = [{
    Rewrites structured ops into linalg ops (see `structured-decompose`).
    With `keep_vectorizable`, the blockdiag, monarch and btt ops that the
    vector kernels lower are left alone. Temporaries of buffer-form ops are
    freed with `memref.dealloc`.
  }];
  let arguments = (ins UnitAttr:$keep_vectorizable);
  let assemblyFormat = "attr-dict";
}

def ApplyToVectorPatternsOp : Op<Transform_Dialect,
    "apply_patterns.structured.to_vector",
    [DeclareOpInterfaceMethods<PatternDescriptorOpInterface>]> {
  let summary = "Patterns of convert-structured-to-vector";
  let description = [{
    Lowers buffer-form f32/f16/bf16 blockdiag, monarch and btt ops to vector
    kernels with the batch in the vector lanes (see
    `convert-structured-to-vector`). `lanes` batch rows per group (a
    multiple of `vector_width`) and `row_block` output rows per register
    tile set the kernel shape of ops without a `structured.kernel`
    attribute.
  }];
  let arguments = (ins DefaultValuedAttr<I64Attr, "32">:$lanes,
                       DefaultValuedAttr<I64Attr, "8">:$row_block,
                       DefaultValuedAttr<I64Attr, "16">:$vector_width);
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// SelectTileSizesOp
//===----------------------------------------------------------------------===//

def SelectTileSizesOp : Op<Transform_Dialect, "structured.select_tile_sizes",
    [DeclareOpInterfaceMethods<TransformOpInterface>,
     DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "Annotate structured ops with the cost model's tiles";
  let description = [{
    Runs the analytical cost model on each payload op of `target` and sets
    its `structured.tile_sizes` (batch tile) and `structured.kernel`
    (vector kernel shape) attributes, as `structured-select-tiles` does.
    `threads`, `vector_width` and `vector_registers` describe the target (0:
    the host's). An op the model does not cost (not a blockdiag, monarch or
    btt with f32/f16/bf16 elements and static features) is a silenceable
    failure. The handle is only read.
  }];
  let arguments = (ins TransformHandleTypeInterface:$target,
                       DefaultValuedAttr<I64Attr, "0">:$threads,
                       DefaultValuedAttr<I64Attr, "0">:$vector_width,
                       DefaultValuedAttr<I64Attr, "0">:$vector_registers);
  let assemblyFormat = "$target attr-dict `:` type($target)";
}

//===----------------------------------------------------------------------===//
// FuseIntoBatchTilesOp
//===----------------------------------------------------------------------===//

def FuseIntoBatchTilesOp : Op<Transform_Dialect,
    "structured.fuse_into_batch_tiles",
    [FunctionalStyleTransformOpTrait, MemoryEffectsOpInterface,
     TransformEachOpTrait, TransformOpInterface,
     ReportTrackingListenerFailuresOpTrait]> {
  let summary = "Tile a group of ops along the batch and fuse it into one loop";
  let description = [{
    For each payload op of `root` (a structured op or an elementwise linalg
    op on tensors), tiles it along its batch dimensions into one
    `scf.forall` and fuses into that loop its structured and elementwise
    producers whose users are all in the group, as `structured-fuse` does.
    `batch_tile` gives the tile of each leading batch dimension; when empty,
    the group's `structured.tile_sizes` are used. Returns the loops. A root
    that cannot be fused, or has no tile, is a silenceable failure.

    Consumes `root`.
  }];
  let arguments = (ins TransformHandleTypeInterface:$root,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$batch_tile);
  let results = (outs TransformHandleTypeInterface:$loop);
  let assemblyFormat = [{
    $root (`batch_tile` `=` $batch_tile^)? attr-dict
    `:` functional-type($root, $loop)
  }];
  let extraClassDeclaration = [{
    ::mlir::DiagnosedSilenceableFailure applyToOne(
        ::mlir::transform::TransformRewriter &rewriter,
        ::mlir::Operation *target,
        ::mlir::transform::ApplyToEachResultList &results,
        ::mlir::transform::TransformState &state);
  }];
}

#endif // STRUCTURED_DIALECT_STRUCTURED_TRANSFORMOPS_STRUCTUREDTRANSFORMOPS_TD
