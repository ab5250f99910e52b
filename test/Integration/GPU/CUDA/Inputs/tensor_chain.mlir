// Tensor code inside a function on device buffers: a monarch and an
// elementwise consumer (x·2 then ·0.5: exact), folded and decomposed.
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @layer(%xm: memref<?x64xf32>, %w1m: memref<8x8x8xf32>, %w2m: memref<8x8x8xf32>, %ym: memref<?x64xf32>) {
  %x = bufferization.to_tensor %xm restrict : memref<?x64xf32> to tensor<?x64xf32>
  %w1 = bufferization.to_tensor %w1m restrict : memref<8x8x8xf32> to tensor<8x8x8xf32>
  %w2 = bufferization.to_tensor %w2m restrict : memref<8x8x8xf32> to tensor<8x8x8xf32>
  %init = bufferization.to_tensor %ym restrict writable : memref<?x64xf32> to tensor<?x64xf32>
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x64xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>) outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  %two = arith.constant 2.0 : f32
  %half = arith.constant 0.5 : f32
  %z = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<?x64xf32>) outs(%init : tensor<?x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.mulf %a, %two : f32
    %h = arith.mulf %d, %half : f32
    linalg.yield %h : f32
  } -> tensor<?x64xf32>
  bufferization.materialize_in_destination %z in restrict writable %ym : (tensor<?x64xf32>, memref<?x64xf32>) -> ()
  return
}
