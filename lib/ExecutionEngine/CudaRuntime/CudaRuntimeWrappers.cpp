//===- CudaRuntimeWrappers.cpp - The mgpu* entry points over the driver API
//===//
//
// `gpu-to-llvm` and the LLVM translation of `gpu.launch_func` emit calls to a
// fixed set of C functions (mgpuModuleLoad, mgpuLaunchKernel, mgpuMemAlloc,
// ...). Debian's MLIR does not ship a library that defines them, so this is
// ours, written over the CUDA driver API (libcuda):
//
//  * every CUDA error is reported with the failing call, the error's name
//    and message, and stops the program: a kernel that did not run must not
//    look like one that did;
//  * modules are loaded once per binary and kept: the launch translation
//    loads and unloads the module around every launch, which would
//    otherwise dominate the time of small kernels;
//  * device memory comes from the driver's stream-ordered pool
//    (cuMemAllocAsync), which keeps freed memory for the next allocation:
//    a layer's temporaries cost no cudaMalloc per call;
//  * streams are kept in a pool: mgpuStreamDestroy gives a stream back for
//    the next mgpuStreamCreate instead of destroying it;
//  * TMA descriptors are encoded on the host and copied to device memory
//    once per distinct descriptor;
//  * all calls run in the primary context of the default device.
//
// The signatures are those LLVM 22's lowering emits.
//
//===----------------------------------------------------------------------===//

#include <cuda.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#define STRUCTURED_CUDA_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

[[noreturn]] void reportAndAbort(CUresult result, const char *call,
                                 const char *file, int line) {
  const char *name = nullptr, *message = nullptr;
  if (cuGetErrorName(result, &name) != CUDA_SUCCESS || !name)
    name = "<unknown error>";
  if (cuGetErrorString(result, &message) != CUDA_SUCCESS || !message)
    message = "<no message>";
  std::fprintf(stderr,
               "structured CUDA runtime: %s failed: %s (%d): %s [%s:%d]\n",
               call, name, static_cast<int>(result), message, file, line);
  std::fflush(stderr);
  std::abort();
}

} // namespace

#define CHECK_CUDA(call)                                                       \
  do {                                                                         \
    CUresult checkResult = (call);                                             \
    if (checkResult != CUDA_SUCCESS)                                           \
      reportAndAbort(checkResult, #call, __FILE__, __LINE__);                  \
  } while (false)

namespace {

int32_t defaultDevice = 0;

/// The primary context of the default device, retained on first use.
CUcontext getContext() {
  static CUcontext context = [] {
    CHECK_CUDA(cuInit(/*Flags=*/0));
    CUdevice device;
    CHECK_CUDA(cuDeviceGet(&device, defaultDevice));
    CUcontext primary;
    CHECK_CUDA(cuDevicePrimaryCtxRetain(&primary, device));
    // Freed blocks stay in the pool instead of going back to the driver at
    // every synchronisation.
    CUmemoryPool pool;
    CHECK_CUDA(cuDeviceGetDefaultMemPool(&pool, device));
    cuuint64_t keepAll = ~cuuint64_t(0);
    CHECK_CUDA(cuMemPoolSetAttribute(pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD,
                                     &keepAll));
    return primary;
  }();
  return context;
}

/// Makes the primary context current for the lifetime of the object.
class ScopedContext {
public:
  ScopedContext() { CHECK_CUDA(cuCtxPushCurrent(getContext())); }
  ~ScopedContext() {
    CUcontext popped;
    CHECK_CUDA(cuCtxPopCurrent(&popped));
  }
};

/// Loaded modules by the address of their embedded binary.
struct ModuleCache {
  std::mutex mutex;
  std::unordered_map<const void *, CUmodule> modules;
};

ModuleCache &getModuleCache() {
  static ModuleCache *cache = new ModuleCache;
  return *cache;
}

template <typename LoadFn> CUmodule loadCached(const void *data, LoadFn load) {
  ModuleCache &cache = getModuleCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  auto it = cache.modules.find(data);
  if (it != cache.modules.end())
    return it->second;
  ScopedContext scoped;
  CUmodule module = load();
  cache.modules.emplace(data, module);
  return module;
}

} // namespace

//===----------------------------------------------------------------------===//
// Modules and launches
//===----------------------------------------------------------------------===//

STRUCTURED_CUDA_EXPORT CUmodule mgpuModuleLoad(void *data,
                                               size_t /*gpuBlobSize*/) {
  return loadCached(data, [&] {
    CUmodule module = nullptr;
    CHECK_CUDA(cuModuleLoadData(&module, data));
    return module;
  });
}

/// PTX (`format=isa`): compiled by the driver's JIT at `optLevel`.
STRUCTURED_CUDA_EXPORT CUmodule mgpuModuleLoadJIT(void *data, int optLevel) {
  return loadCached(data, [&] {
    char log[8192] = {0};
    CUjit_option options[] = {CU_JIT_OPTIMIZATION_LEVEL,
                              CU_JIT_ERROR_LOG_BUFFER,
                              CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void *values[] = {reinterpret_cast<void *>(static_cast<intptr_t>(optLevel)),
                      log, reinterpret_cast<void *>(sizeof(log))};
    CUmodule module = nullptr;
    CUresult result = cuModuleLoadDataEx(&module, data, 3, options, values);
    if (result != CUDA_SUCCESS) {
      std::fprintf(stderr, "structured CUDA runtime: PTX JIT log:\n%s\n", log);
      reportAndAbort(result, "cuModuleLoadDataEx(PTX)", __FILE__, __LINE__);
    }
    return module;
  });
}

/// Modules stay loaded for the life of the process (see the file comment).
STRUCTURED_CUDA_EXPORT void mgpuModuleUnload(CUmodule /*module*/) {}

STRUCTURED_CUDA_EXPORT CUfunction mgpuModuleGetFunction(CUmodule module,
                                                        const char *name) {
  CUfunction function = nullptr;
  CHECK_CUDA(cuModuleGetFunction(&function, module, name));
  return function;
}

/// Kernels asking for more than the default 48 KiB of dynamic shared memory
/// need the limit raised first.
static void allowSharedMemory(CUfunction function, int32_t smem) {
  if (smem <= 48 * 1024)
    return;
  CHECK_CUDA(cuFuncSetAttribute(
      function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, smem));
}

STRUCTURED_CUDA_EXPORT void
mgpuLaunchKernel(CUfunction function, intptr_t gridX, intptr_t gridY,
                 intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                 intptr_t blockZ, int32_t smem, CUstream stream, void **params,
                 void **extra, size_t /*paramsCount*/) {
  ScopedContext scoped;
  allowSharedMemory(function, smem);
  CHECK_CUDA(cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY,
                            blockZ, smem, stream, params, extra));
}

STRUCTURED_CUDA_EXPORT void mgpuLaunchClusterKernel(
    CUfunction function, intptr_t clusterX, intptr_t clusterY,
    intptr_t clusterZ, intptr_t gridX, intptr_t gridY, intptr_t gridZ,
    intptr_t blockX, intptr_t blockY, intptr_t blockZ, int32_t smem,
    CUstream stream, void **params, void **extra, size_t /*paramsCount*/) {
  ScopedContext scoped;
  allowSharedMemory(function, smem);
  CUlaunchAttribute attribute;
  attribute.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
  attribute.value.clusterDim.x = clusterX;
  attribute.value.clusterDim.y = clusterY;
  attribute.value.clusterDim.z = clusterZ;
  CUlaunchConfig config = {};
  config.gridDimX = gridX;
  config.gridDimY = gridY;
  config.gridDimZ = gridZ;
  config.blockDimX = blockX;
  config.blockDimY = blockY;
  config.blockDimZ = blockZ;
  config.sharedMemBytes = smem;
  config.hStream = stream;
  config.attrs = &attribute;
  config.numAttrs = 1;
  CHECK_CUDA(cuLaunchKernelEx(&config, function, params, extra));
}

//===----------------------------------------------------------------------===//
// Streams and events
//===----------------------------------------------------------------------===//

namespace {

/// Streams given back by mgpuStreamDestroy, handed out again by
/// mgpuStreamCreate. The host code of every call creates a stream and
/// destroys it, and the driver's cuStreamCreate/cuStreamDestroy would cost
/// microseconds each time. A stream given back with work still queued on it
/// only makes its next user's work wait for that work.
struct StreamPool {
  std::mutex mutex;
  std::vector<CUstream> streams;
};

StreamPool &streamPool() {
  static StreamPool pool;
  return pool;
}

} // namespace

STRUCTURED_CUDA_EXPORT CUstream mgpuStreamCreate() {
  ScopedContext scoped;
  StreamPool &pool = streamPool();
  {
    std::lock_guard<std::mutex> lock(pool.mutex);
    if (!pool.streams.empty()) {
      CUstream stream = pool.streams.back();
      pool.streams.pop_back();
      return stream;
    }
  }
  CUstream stream = nullptr;
  CHECK_CUDA(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
  return stream;
}

STRUCTURED_CUDA_EXPORT void mgpuStreamDestroy(CUstream stream) {
  StreamPool &pool = streamPool();
  std::lock_guard<std::mutex> lock(pool.mutex);
  pool.streams.push_back(stream);
}

STRUCTURED_CUDA_EXPORT void mgpuStreamSynchronize(CUstream stream) {
  CHECK_CUDA(cuStreamSynchronize(stream));
}

STRUCTURED_CUDA_EXPORT void mgpuStreamWaitEvent(CUstream stream,
                                                CUevent event) {
  CHECK_CUDA(cuStreamWaitEvent(stream, event, /*Flags=*/0));
}

STRUCTURED_CUDA_EXPORT CUevent mgpuEventCreate() {
  ScopedContext scoped;
  CUevent event = nullptr;
  CHECK_CUDA(cuEventCreate(&event, CU_EVENT_DISABLE_TIMING));
  return event;
}

STRUCTURED_CUDA_EXPORT void mgpuEventDestroy(CUevent event) {
  CHECK_CUDA(cuEventDestroy(event));
}

STRUCTURED_CUDA_EXPORT void mgpuEventSynchronize(CUevent event) {
  CHECK_CUDA(cuEventSynchronize(event));
}

STRUCTURED_CUDA_EXPORT void mgpuEventRecord(CUevent event, CUstream stream) {
  CHECK_CUDA(cuEventRecord(event, stream));
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

/// Device memory; `isHostShared` asks for memory the host can address too,
/// which this runtime does not hand out (managed memory can oversubscribe
/// and hang the device), so it is refused with a message.
STRUCTURED_CUDA_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, CUstream stream,
                                          bool isHostShared) {
  if (isHostShared) {
    std::fprintf(stderr, "structured CUDA runtime: gpu.alloc host_shared is "
                         "not supported; allocate device memory and copy\n");
    std::abort();
  }
  ScopedContext scoped;
  CUdeviceptr pointer = 0;
  if (sizeBytes)
    CHECK_CUDA(cuMemAllocAsync(&pointer, sizeBytes, stream));
  return reinterpret_cast<void *>(pointer);
}

STRUCTURED_CUDA_EXPORT void mgpuMemFree(void *pointer, CUstream stream) {
  if (!pointer)
    return;
  ScopedContext scoped;
  CHECK_CUDA(cuMemFreeAsync(reinterpret_cast<CUdeviceptr>(pointer), stream));
}

STRUCTURED_CUDA_EXPORT void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                                       CUstream stream) {
  ScopedContext scoped;
  CHECK_CUDA(cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                           reinterpret_cast<CUdeviceptr>(src), sizeBytes,
                           stream));
}

STRUCTURED_CUDA_EXPORT void mgpuMemset32(void *dst, unsigned int value,
                                         size_t count, CUstream stream) {
  ScopedContext scoped;
  CHECK_CUDA(cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                              stream));
}

STRUCTURED_CUDA_EXPORT void mgpuMemset16(void *dst, unsigned short value,
                                         size_t count, CUstream stream) {
  ScopedContext scoped;
  CHECK_CUDA(cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                              stream));
}

STRUCTURED_CUDA_EXPORT void mgpuMemHostRegister(void *pointer,
                                                uint64_t sizeBytes) {
  ScopedContext scoped;
  CHECK_CUDA(cuMemHostRegister(pointer, sizeBytes, /*Flags=*/0));
}

STRUCTURED_CUDA_EXPORT void mgpuMemHostUnregister(void *pointer) {
  ScopedContext scoped;
  CHECK_CUDA(cuMemHostUnregister(pointer));
}

namespace {
/// The leading fields of a ranked memref descriptor: allocated and aligned
/// pointers, offset, then `rank` sizes and `rank` strides.
struct MemRefDescriptorPrefix {
  char *allocated;
  char *aligned;
  int64_t offset;
  int64_t sizesAndStrides[1];
};

/// The bytes a dense memref of `rank` covers, or aborts for a strided one.
uint64_t getDenseBytes(int64_t rank, const MemRefDescriptorPrefix *memref,
                       int64_t elementBytes) {
  const int64_t *sizes = memref->sizesAndStrides;
  const int64_t *strides = sizes + rank;
  for (int64_t d = 0; d < rank; ++d)
    if (sizes[d] == 0)
      return 0;
  int64_t expected = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (sizes[d] != 1 && strides[d] != expected) {
      std::fprintf(stderr, "structured CUDA runtime: gpu.host_register needs "
                           "a contiguous memref\n");
      std::abort();
    }
    expected *= sizes[d];
  }
  return static_cast<uint64_t>(expected) * elementBytes;
}
} // namespace

STRUCTURED_CUDA_EXPORT void
mgpuMemHostRegisterMemRef(int64_t rank, MemRefDescriptorPrefix *memref,
                          int64_t elementBytes) {
  uint64_t bytes = getDenseBytes(rank, memref, elementBytes);
  if (bytes)
    mgpuMemHostRegister(memref->aligned + memref->offset * elementBytes, bytes);
}

STRUCTURED_CUDA_EXPORT void
mgpuMemHostUnregisterMemRef(int64_t rank, MemRefDescriptorPrefix *memref,
                            int64_t elementBytes) {
  if (getDenseBytes(rank, memref, elementBytes))
    mgpuMemHostUnregister(memref->aligned + memref->offset * elementBytes);
}

//===----------------------------------------------------------------------===//
// TMA descriptors (nvgpu.tma.create.descriptor)
//===----------------------------------------------------------------------===//

/// Encodes a tiled tensor map; a bad argument aborts with the shape in the
/// message as well as the driver's error.
STRUCTURED_CUDA_EXPORT void mgpuTensorMapEncodeTiled(
    CUtensorMap *tensorMap, CUtensorMapDataType dataType, cuuint32_t rank,
    void *globalAddress, const cuuint64_t *globalDim,
    const cuuint64_t *globalStrides, const cuuint32_t *boxDim,
    const cuuint32_t *elementStrides, CUtensorMapInterleave interleave,
    CUtensorMapSwizzle swizzle, CUtensorMapL2promotion l2Promotion,
    CUtensorMapFloatOOBfill oobFill) {
  ScopedContext scoped;
  CUresult result = cuTensorMapEncodeTiled(
      tensorMap, dataType, rank, globalAddress, globalDim, globalStrides,
      boxDim, elementStrides, interleave, swizzle, l2Promotion, oobFill);
  if (result == CUDA_SUCCESS)
    return;
  std::fprintf(stderr,
               "structured CUDA runtime: tensor map of rank %u at %p, data "
               "type %d, swizzle %d:",
               rank, globalAddress, static_cast<int>(dataType),
               static_cast<int>(swizzle));
  for (cuuint32_t d = 0; d < rank; ++d)
    std::fprintf(stderr, " dim %u = %llu box %u%s", d,
                 static_cast<unsigned long long>(globalDim[d]), boxDim[d],
                 d + 1 < rank ? "," : "\n");
  reportAndAbort(result, "cuTensorMapEncodeTiled(...)", __FILE__, __LINE__);
}

namespace {
/// Bytes of an element of a tensor map data type.
int64_t getTensorMapElementBytes(CUtensorMapDataType dataType) {
  switch (dataType) {
  case CU_TENSOR_MAP_DATA_TYPE_UINT8:
    return 1;
  case CU_TENSOR_MAP_DATA_TYPE_UINT16:
  case CU_TENSOR_MAP_DATA_TYPE_FLOAT16:
  case CU_TENSOR_MAP_DATA_TYPE_BFLOAT16:
    return 2;
  case CU_TENSOR_MAP_DATA_TYPE_UINT64:
  case CU_TENSOR_MAP_DATA_TYPE_INT64:
  case CU_TENSOR_MAP_DATA_TYPE_FLOAT64:
    return 8;
  default:
    return 4;
  }
}

/// Device copies of the tensor maps made so far, by content: a layer that
/// builds the same descriptor on every call gets the same copy.
struct TensorMapKey {
  unsigned char bytes[sizeof(CUtensorMap)];
  bool operator<(const TensorMapKey &other) const {
    return std::memcmp(bytes, other.bytes, sizeof(bytes)) < 0;
  }
};
std::mutex tensorMapMutex;
std::map<TensorMapKey, CUdeviceptr> deviceTensorMaps;
} // namespace

/// What nvgpu.tma.create.descriptor lowers to: a tensor map of the memref
/// `descriptor` (rank `rank`, row-major sizes and strides) with box
/// `boxSizes` (outermost first), copied to device memory, where kernels read
/// it. The driver takes dimensions innermost first and strides in bytes.
STRUCTURED_CUDA_EXPORT void *
mgpuTensorMapEncodeTiledMemref(int64_t rank, MemRefDescriptorPrefix *descriptor,
                               int64_t dataType, int64_t interleave,
                               int64_t swizzle, int64_t l2Promotion,
                               int64_t oobFill, int64_t *boxSizes) {
  constexpr int64_t kMaxRank = 5;
  if (rank < 1 || rank > kMaxRank) {
    std::fprintf(stderr,
                 "structured CUDA runtime: a tensor map has rank 1 to 5, "
                 "got %lld\n",
                 static_cast<long long>(rank));
    std::abort();
  }
  auto type = static_cast<CUtensorMapDataType>(dataType);
  int64_t elementBytes = getTensorMapElementBytes(type);
  const int64_t *sizes = descriptor->sizesAndStrides;
  const int64_t *strides = sizes + rank;
  cuuint64_t globalDim[kMaxRank], globalStrides[kMaxRank];
  cuuint32_t boxDim[kMaxRank], elementStrides[kMaxRank];
  for (int64_t d = 0; d < rank; ++d) {
    int64_t fromInner = rank - 1 - d;
    globalDim[d] = static_cast<cuuint64_t>(sizes[fromInner]);
    boxDim[d] = static_cast<cuuint32_t>(boxSizes[fromInner]);
    elementStrides[d] = 1;
    // The stride of dimension d + 1 (the innermost one has none).
    if (d + 1 < rank)
      globalStrides[d] =
          static_cast<cuuint64_t>(strides[fromInner - 1] * elementBytes);
  }
  CUtensorMap tensorMap;
  mgpuTensorMapEncodeTiled(&tensorMap, type, static_cast<cuuint32_t>(rank),
                           descriptor->aligned +
                               descriptor->offset * elementBytes,
                           globalDim, globalStrides, boxDim, elementStrides,
                           static_cast<CUtensorMapInterleave>(interleave),
                           static_cast<CUtensorMapSwizzle>(swizzle),
                           static_cast<CUtensorMapL2promotion>(l2Promotion),
                           static_cast<CUtensorMapFloatOOBfill>(oobFill));

  TensorMapKey key;
  std::memcpy(key.bytes, &tensorMap, sizeof(tensorMap));
  std::lock_guard<std::mutex> lock(tensorMapMutex);
  auto [it, inserted] = deviceTensorMaps.try_emplace(key, 0);
  if (inserted) {
    ScopedContext scoped;
    CHECK_CUDA(cuMemAlloc(&it->second, sizeof(CUtensorMap)));
    CHECK_CUDA(cuMemcpyHtoD(it->second, &tensorMap, sizeof(CUtensorMap)));
  }
  return reinterpret_cast<void *>(it->second);
}

/// Selects the device of the primary context; it must be called before the
/// first other mgpu* call, which fixes the context for the process.
STRUCTURED_CUDA_EXPORT void mgpuSetDefaultDevice(int32_t device) {
  defaultDevice = device;
}
