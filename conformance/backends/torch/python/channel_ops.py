"""The channel-moving steps of a quantized model's TorchScript forward that `qconform explain` carries on the integers
(explain_ops.py places them among the modules; conformance/explain/channel_gather_step.ts runs them): torchvision's
ShuffleNetV2 blocks split their input with `x.chunk(2, dim=1)` and end with `channel_shuffle(out, 2)`.

  - chunk: `Tensor.chunk(chunks, dim)` unpacked into its parts (aten::chunk then prim::ListUnpack, or
    prim::ConstantChunk), chunks and dim constants: part i is the slice [i * s, min((i + 1) * s, size)) along dim, with
    s = ceil(size / chunks) (aten/src/ATen/native/TensorShape.cpp chunk: split by ceil(size / chunks)); values and
    qparams as they are.
  - channel shuffle: a TorchScript function the forward calls with the tensor and constant ints (torchvision's
    channel_shuffle: view [N, g, C / g, H, W], transpose(1, 2), contiguous, view [N, -1, H, W]). Not recognized by its
    name or its code: torch runs the function on probe tensors when the model is read (channel_shuffle_args), and it is
    carried only when, for one of its int arguments g, it gives channel c of its output from input channel
    (c mod g) * (C / g) + floor(c / g) for every C from 1 to PROBED_CHANNELS that g divides, and refuses every other C
    (as torchvision's view does), keeps the dtype and qparams, and gives a contiguous tensor from a contiguous and from a
    channels_last one. Anything else it does leaves the call not modelled.
"""

import contextlib
import os
import sys

import torch

from tensor_op_args import constant_int

CHUNK_OP = 'aten::chunk'
# the channel counts a function is probed on (1 .. PROBED_CHANNELS): a layer of more channels is not carried
PROBED_CHANNELS = 1024
# shapes [N, C, H, W] probed for more than the channel order (batch, rows and columns of different sizes), per g: C = g * k
_SPATIAL_MULTIPLES = (1, 2, 3, 7, 29)


def chunk_of(node):
    """(the tensor value chunked, chunks, dim) when `node` unpacks Tensor.chunk(chunks, dim) of constant chunks and dim
    into its parts (prim::ListUnpack of aten::chunk, or prim::ConstantChunk), else None."""
    if node.kind() == 'prim::ConstantChunk':
        return node.inputsAt(0), node.i('chunks'), node.i('dim')
    if node.kind() != 'prim::ListUnpack':
        return None
    source = node.inputsAt(0).node()
    if source.kind() != 'aten::chunk' or len(list(source.inputs())) != 3:
        return None
    chunks, dim = (constant_int(v) for v in list(source.inputs())[1:])
    return (source.inputsAt(0), chunks, dim) if chunks is not None and dim is not None else None


def _shuffle_order(channels, groups):
    """Input channel of each output channel of a channel shuffle by `groups` (groups divides channels)."""
    per_group = channels // groups
    return [(c % groups) * per_group + c // groups for c in range(channels)]


@contextlib.contextmanager
def _stdout_to_stderr():
    """File descriptor 1 sent to stderr while the user's function runs: a TorchScript print() in it writes there, not
    into the JSON explain_ops.py prints on stdout."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _probe(fn, args, x):
    try:
        with _stdout_to_stderr():
            y = fn(x, *args)
    except Exception:  # torch refuses the shape (the view of a C that g does not divide): a verdict, not a failure
        return None
    return y if isinstance(y, torch.Tensor) else 'not a tensor'


def _shuffles(fn, args, groups):
    """Whether fn(x, *args) is the channel shuffle by `groups` on every probe (see the module comment)."""
    for channels in range(1, PROBED_CHANNELS + 1):
        x = torch.quantize_per_tensor(torch.arange(channels, dtype=torch.float32).view(1, channels, 1, 1), 1.0, 0, torch.qint32)
        y = _probe(fn, args, x)
        if channels % groups != 0:
            if y is not None:
                return False
            continue
        if not isinstance(y, torch.Tensor) or not y.is_quantized or y.shape != x.shape or y.int_repr().view(-1).tolist() != _shuffle_order(channels, groups):
            return False
    for k in _SPATIAL_MULTIPLES:
        channels = groups * k
        values = torch.arange(2 * channels * 3 * 2, dtype=torch.float32).view(2, channels, 3, 2)
        expected = values[:, _shuffle_order(channels, groups)]
        for layout in (torch.contiguous_format, torch.channels_last):
            x = torch.quantize_per_tensor(values, 1.0, 0, torch.qint32).contiguous(memory_format=layout)
            y = _probe(fn, args, x)
            if not isinstance(y, torch.Tensor) or not y.is_quantized or y.shape != x.shape or not y.is_contiguous() or not torch.equal(y.int_repr().float(), expected):
                return False
        small = torch.quantize_per_tensor(values % 200, 0.5, 3, torch.quint8)
        y = _probe(fn, args, small)
        if not isinstance(y, torch.Tensor) or y.dtype != torch.quint8 or y.q_scale() != 0.5 or y.q_zero_point() != 3 or not torch.equal(y.int_repr(), small.int_repr()[:, _shuffle_order(channels, groups)]):
            return False
    return True


_verdicts = {}


def channel_shuffle_args(node, functions):
    """For a prim::CallFunction of the forward that passes the tensor and constant ints: {'channel_shuffle_groups': g,
    'probed_channels': PROBED_CHANNELS} when torch measures the function (found in `functions`, the model's
    compilation unit) as the channel shuffle by its int argument g (_shuffles), else {}. Probed once per function and
    arguments."""
    inputs = list(node.inputs())
    if node.kind() != 'prim::CallFunction' or functions is None or len(inputs) < 3:
        return {}
    args = [constant_int(v) for v in inputs[2:]]
    if any(a is None for a in args) or not isinstance(inputs[1].type(), torch._C.TensorType):
        return {}
    name = str(inputs[0].type())
    key = (name, tuple(args))
    if key not in _verdicts:
        fn = functions.find_function(name)
        groups = next((g for g in dict.fromkeys(args) if 1 <= g <= PROBED_CHANNELS and fn is not None and _shuffles(fn, args, g)), None)
        _verdicts[key] = {} if groups is None else {'channel_shuffle_groups': groups, 'probed_channels': PROBED_CHANNELS}
    return _verdicts[key]
