"""Checks that libStructuredCudaRuntime reports CUDA errors and stops.

    python3 cuda_runtime_errors.py --runtime libStructuredCudaRuntime.so

Each case calls one mgpu* function with an argument the driver rejects, in
a child process, and prints the child's exit signal and the first line of
its stderr: the runtime must abort (SIGABRT) with a message naming the
failing driver call, the error's name and its description. The first two
cases must exit normally: one builds a valid TMA descriptor twice, which
reuses the device copy; the other gives a stream back (mgpuStreamDestroy)
and asks for one again, which hands out the same stream from the pool.
Needs a GPU.
"""

import argparse
import ctypes
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "bench", "lib"))
from aot import contiguous_descriptor  # noqa: E402

BF16 = 9  # CU_TENSOR_MAP_DATA_TYPE_BFLOAT16
SWIZZLE_128B = 3


def tensor_map(rt, box, buffer=None):
    """mgpuTensorMapEncodeTiledMemref on a 128×64 bf16 device buffer."""
    rt.mgpuTensorMapEncodeTiledMemref.restype = ctypes.c_void_p
    if buffer is None:
        buffer = rt.mgpuMemAlloc(128 * 64 * 2, None, False)
    memref = contiguous_descriptor(buffer, (128, 64))
    boxes = (ctypes.c_int64 * 2)(*box)
    return rt.mgpuTensorMapEncodeTiledMemref(
        ctypes.c_int64(2), ctypes.byref(memref), ctypes.c_int64(BF16),
        ctypes.c_int64(0), ctypes.c_int64(SWIZZLE_128B), ctypes.c_int64(0),
        ctypes.c_int64(0), boxes)


def tensor_map_reused(rt):
    # The descriptor encodes the address, so both must describe one buffer.
    buffer = rt.mgpuMemAlloc(128 * 64 * 2, None, False)
    first = tensor_map(rt, (64, 64), buffer)
    second = tensor_map(rt, (64, 64), buffer)
    sys.stderr.write("tensor map on the device, %s\n" %
                     ("reused" if first and first == second else "NOT reused"))


def stream_reused(rt):
    first = rt.mgpuStreamCreate()
    rt.mgpuStreamDestroy(ctypes.c_void_p(first))
    second = rt.mgpuStreamCreate()
    sys.stderr.write("stream %s\n" % ("reused" if first and first == second
                                       else "NOT reused"))


CASES = {
    "tensor_map": tensor_map_reused,
    "stream": stream_reused,
    # A device pointer that was never allocated.
    "memset": lambda rt: rt.mgpuMemset32(ctypes.c_void_p(0x10),
                                         ctypes.c_uint(0), ctypes.c_size_t(16),
                                         None),
    # A kernel name that the (empty) module does not have.
    "function": lambda rt: rt.mgpuModuleGetFunction(None, b"no_such_kernel"),
    # More memory than any device has.
    "alloc": lambda rt: rt.mgpuMemAlloc(ctypes.c_uint64(1 << 60), None,
                                        ctypes.c_bool(False)),
    # A TMA box larger than 256 elements.
    "tensor_map_box": lambda rt: tensor_map(rt, (512, 64)),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runtime", required=True)
    args = parser.parse_args()
    for name, call in CASES.items():
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.dup2(write, 2)
            runtime = ctypes.CDLL(os.path.abspath(args.runtime))
            runtime.mgpuMemAlloc.restype = ctypes.c_void_p
            runtime.mgpuMemAlloc.argtypes = [ctypes.c_uint64, ctypes.c_void_p,
                                             ctypes.c_bool]
            runtime.mgpuStreamCreate.restype = ctypes.c_void_p
            runtime.mgpuStreamCreate()  # initialise the context first
            call(runtime)
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as stream:
            stderr = stream.read()
        _, status = os.waitpid(pid, 0)
        how = (f"signal {signal.Signals(os.WTERMSIG(status)).name}"
               if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}")
        first = stderr.strip().splitlines()[0] if stderr.strip() else ""
        print(f"{name}: {how}: {first}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
