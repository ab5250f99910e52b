// A function of several structured ops on a dynamic batch through
// structured-to-nvvm-pipeline (PTX, no GPU needed): every launch goes to
// one stream and the host waits once, at the end. The ops leave nothing on
// the host between their launches (no branch on an empty batch, no
// alignment assertion) that would make gpu-async-region synchronize there;
// the kernels check the alignment themselves (device-side assertion).
// RUN: struct-opt %s --structured-to-nvvm-pipeline="format=isa" | FileCheck %s

// CHECK-LABEL: llvm.func @layers(
// CHECK:         llvm.call @mgpuStreamCreate()
// CHECK-NOT:     llvm.call @mgpuStreamSynchronize
// CHECK:         gpu.launch_func <%[[STREAM:.*]] : !llvm.ptr> @layers_monarch_stage1::
// CHECK-NOT:     llvm.call @mgpuStreamSynchronize
// CHECK:         gpu.launch_func <%[[STREAM]] : !llvm.ptr> @layers_monarch_stage2::
// CHECK-NOT:     llvm.call @mgpuStreamSynchronize
// CHECK:         gpu.launch_func <%[[STREAM]] : !llvm.ptr> @layers_blockdiag::
// CHECK-NOT:     llvm.call @mgpuStreamSynchronize
// CHECK:         gpu.launch_func <%[[STREAM]] : !llvm.ptr> @layers_causal_conv_kernel_dft::
// CHECK-NOT:     llvm.call @mgpuStreamSynchronize
// CHECK:         gpu.launch_func <%[[STREAM]] : !llvm.ptr> @layers_causal_conv::
// CHECK-NOT:     llvm.call @mgpuStreamSynchronize
// CHECK:         gpu.launch_func <%[[STREAM]] : !llvm.ptr> @layers_monarch_stage1::
// CHECK:         gpu.launch_func <%[[STREAM]] : !llvm.ptr> @layers_monarch_stage2::
// CHECK:         llvm.call @mgpuStreamSynchronize(%[[STREAM]])
// CHECK-NOT:     llvm.call @mgpuStreamSynchronize
// CHECK:         llvm.return
// CHECK:       gpu.binary @layers_monarch_stage1 {{.*}}__assertfail
// CHECK:       gpu.binary @layers_monarch_stage2 {{.*}}__assertfail
// CHECK:       gpu.binary @layers_blockdiag {{.*}}__assertfail
// A second Monarch of the same shapes reuses the first one's kernels
// (structured-deduplicate-gpu-modules): one binary per stage.
// CHECK-NOT:   gpu.binary @layers_monarch_stage{{.*}}_{{[0-9]+}}
func.func @layers(%x: memref<?x1024xbf16>, %w1: memref<32x32x32xbf16>, %w2: memref<32x32x32xbf16>, %z: memref<?x1024xbf16>, %w: memref<16x64x64xbf16>, %y: memref<?x1024xbf16>, %k: memref<4x256xbf16>, %c: memref<?x4x256xbf16>) {
  structured.monarch ins(%x, %w1, %w2 : memref<?x1024xbf16>, memref<32x32x32xbf16>, memref<32x32x32xbf16>) outs(%z : memref<?x1024xbf16>)
  structured.blockdiag ins(%z, %w : memref<?x1024xbf16>, memref<16x64x64xbf16>) outs(%y : memref<?x1024xbf16>)
  %c0 = arith.constant 0 : index
  %n = memref.dim %y, %c0 : memref<?x1024xbf16>
  %u = memref.expand_shape %y [[0], [1, 2]] output_shape [%n, 4, 256] : memref<?x1024xbf16> into memref<?x4x256xbf16>
  structured.causal_conv ins(%u, %k : memref<?x4x256xbf16>, memref<4x256xbf16>) outs(%c : memref<?x4x256xbf16>)
  structured.monarch ins(%y, %w1, %w2 : memref<?x1024xbf16>, memref<32x32x32xbf16>, memref<32x32x32xbf16>) outs(%z : memref<?x1024xbf16>)
  return
}
