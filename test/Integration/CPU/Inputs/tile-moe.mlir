// Transform library of btt-moe.mlir (preloaded with
// --transform-preload-library; lit does not run files under Inputs/).
module attributes {transform.with_named_sequence} {
  // Tiles every structured.btt_moe through its TilingInterface: batch by 3
  // (partial last tile when the batch is not a multiple of 3), output blocks
  // by 2; idx and gate follow the batch tile.
  transform.named_sequence @__transform_main(%module: !transform.any_op {transform.readonly}) {
    %ops = transform.structured.match ops{["structured.btt_moe"]} in %module
      : (!transform.any_op) -> !transform.any_op
    %tiled, %loops:2 = transform.structured.tile_using_for %ops tile_sizes [3, 2]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}
