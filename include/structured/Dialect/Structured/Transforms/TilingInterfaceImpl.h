//===- TilingInterfaceImpl.h - Tiling of structured ops ---------*- C++ -*-===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_TILINGINTERFACEIMPL_H
#define STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_TILINGINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;

namespace structured {
/// Attaches `TilingInterface` to every structured op. The iteration domain is
/// the batch dimensions followed by one dimension over output blocks:
///   blockdiag: the k diagonal blocks (each a contiguous chunk of q outputs);
///   monarch, btt, btt_moe: the s rows of the second factor's blocks (each a
///     contiguous chunk of l outputs);
///   permute: the cols output rows of the transposed view (each a contiguous
///     chunk of `rows` outputs; tensors only);
///   einsum_linear, poly_eval, poly_interp, causal_conv: a single block
///     (all output features); causal_conv's channels are its last batch
///     dimension, and the kernel's rows follow their tile.
/// All loops are parallel, so tiles can be computed in any order.
void registerTilingInterfaceExternalModels(DialectRegistry &registry);
} // namespace structured
} // namespace mlir

#endif // STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_TILINGINTERFACEIMPL_H
