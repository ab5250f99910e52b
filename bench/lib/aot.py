"""Calls functions of a library built by struct-aot from Python: numpy
arrays are passed as memref descriptors to the `_mlir_ciface_` entry points.
"""

import ctypes
import os
import subprocess
import time

import numpy as np

_DESCRIPTORS = {}


def descriptor_type(rank):
    """ctypes struct of a rank-`rank` memref descriptor."""
    if rank not in _DESCRIPTORS:
        class Descriptor(ctypes.Structure):
            _fields_ = [("allocated", ctypes.c_void_p),
                        ("aligned", ctypes.c_void_p),
                        ("offset", ctypes.c_int64),
                        ("sizes", ctypes.c_int64 * rank),
                        ("strides", ctypes.c_int64 * rank)]
        _DESCRIPTORS[rank] = Descriptor
    return _DESCRIPTORS[rank]


def descriptor(array):
    """A descriptor viewing `array` (which must stay alive)."""
    d = descriptor_type(array.ndim)()
    d.allocated = d.aligned = array.ctypes.data
    d.offset = 0
    for i, (size, stride) in enumerate(zip(array.shape, array.strides)):
        d.sizes[i] = size
        d.strides[i] = stride // array.itemsize
    return d


def contiguous_descriptor(pointer, shape):
    """A descriptor of a row-major buffer of `shape` at address `pointer`
    (host or device memory)."""
    d = descriptor_type(len(shape))()
    d.allocated = d.aligned = pointer
    d.offset = 0
    stride = 1
    for i in reversed(range(len(shape))):
        d.sizes[i] = shape[i]
        d.strides[i] = stride
        stride *= shape[i]
    return d


class Library:
    """A struct-aot shared library."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(os.path.abspath(path))

    def function(self, name):
        """Returns f(*arrays) calling `_mlir_ciface_<name>` on memref
        descriptors of the arrays (functions on buffers returning nothing)."""
        entry = getattr(self.lib, "_mlir_ciface_" + name)
        entry.restype = None

        def call(*arrays):
            descs = [descriptor(a) for a in arrays]
            entry(*[ctypes.byref(d) for d in descs])
        return call


def compile_library(struct_aot, source, output, threads=False,
                    pipeline_options=""):
    """Runs struct-aot; returns the seconds it took."""
    cmd = [struct_aot, source, "-o", output]
    if threads:
        cmd.append("--threads")
    if pipeline_options:
        cmd += ["--pipeline-options", pipeline_options]
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start
