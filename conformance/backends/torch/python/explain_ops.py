#!/usr/bin/python3
"""Reads a quantized PyTorch 1.13 model for `qconform explain` (conformance/explain/torch_model.ts).

    /usr/bin/python3 conformance/backends/torch/python/explain_ops.py MODEL.pt [--observers OBSERVERS.pt] [--engine NAME]

MODEL.pt is a TorchScript file saved (torch.jit.save) from a model converted in eager mode
(torch.ao.quantization.convert). It prints one JSON object on stdout: every submodule the forward calls, in
the order it calls them (forward_call_order: the TorchScript graph's prim::CallMethod nodes, containers followed
into; named_modules' definition order is not the data order when __init__ defines the layers in another order), each
quantized one with what torch stored in it, read through torch's own accessors:
  - QuantizedConv2d / QuantizedConvReLU2d: the packed params unpacked by `_weight_bias()`
    (torch/ao/nn/quantized/modules/conv.py): weight int_repr, qscheme, per-tensor or per-channel
    scales and zero points (and the channel axis), the float32 bias, the output `scale` (a Python float)
    and `zero_point`, stride/padding/dilation/groups;
  - QuantizedLinear / QuantizedLinearReLU: `torch.ops.quantized.linear_unpack` of its packed params (weight
    int_repr and qparams, float32 bias) and the output `scale` and `zero_point`;
  - Quantize (the converted QuantStub): scale, zero_point, dtype;
  - MaxPool2d, AvgPool2d (with count_include_pad, divisor_override), AdaptiveAvgPool2d: their geometry;
  - a QFunctional: its stored output scale and zero point, the method the forward calls (add, cat, ...) and the integer
    constants it passes (cat's dim);
  - nn.Identity, the quantized Dropout, a float nn.Dropout in eval mode: kind 'unchanged' (they give their input as
    it is); a float nn.Dropout in training mode: its training flag; anything else: its type name only.
It also lists the torch.flatten calls of the top-level forward (its TorchScript graph) whose result goes into a
module: which module, with start_dim and end_dim (a functional call is no module of named_modules); and, in their
place among the modules, the forward's other tensor ops, which no module call shows: F.relu and torch.relu
(RELU_OPS) as kind 'relu', .contiguous(), .clone(), .detach() (VALUE_PRESERVING_OPS) and torch.dropout / F.dropout
whose training flag is False (a constant, or self.training of a module in eval mode; DROPOUT_OPS) as kind 'unchanged',
x.reshape / x.view as kind 'reshape' and any other torch.flatten as kind 'flatten', F.adaptive_avg_pool2d,
F.avg_pool2d and F.max_pool2d whose windows the graph fixes as the pools' kinds, each part of an unpacked
Tensor.chunk as kind 'chunk' and a TorchScript function torch measures as a channel shuffle as kind 'channel_shuffle'
(channel_ops.py), torch.quantize_per_tensor whose
qparams the graph fixes (convert_fx's quantize of the input, its scale and zero point buffers) as kind 'quantize' and
Tensor.dequantize as kind 'dequantize', each with its arguments
(tensor_op_args.py), any other operator (aten::, quantized::, ...) or TorchScript function giving a tensor (x * 3.0,
torch.cat, convert_fx's quantized::add, ...) as kind 'op' (tensor_op, tensor_op_marker).

--engine NAME sets torch.backends.quantized.engine before the model is loaded: torch.jit.load prepacks each
quantized conv and linear for the engine current then (their __setstate__ calls the engine's prepack), and that
packing, not the engine current when the layer runs, picks the kernel (measured on torch 1.13: a model loaded
under qnnpack runs qnnpack's kernels after the engine is set to onednn, and the other way round). Without it
torch's default engine is kept. The engine the model was loaded under is printed ('engine'), with the CPU
flags that pick onednn's kernels (cpu.py).
Floats are printed by json (Python repr: shortest round-trip of the double), so each value is exact.

OBSERVERS.pt (optional) is a `torch.save` of `observer_state(prepared_model)` below: for each observed
module, its activation observer's min_val, max_val, quant_min, quant_max, dtype, qscheme, reduce_range and,
for HistogramObserver, the histogram; and the weight observer convert() would run (qconfig.weight()) on the
float weight. The prepared model itself cannot be scripted in 1.13 (its observer forward hooks are untyped),
so this plain dict of tensors, numbers and strings is what is saved; torch.load reads it without the model's
classes.

Errors: exit 2 with one line `error: ...` on stderr (unreadable file, not TorchScript, no quantized layer).
"""

import itertools
import json
import math
import os
import sys
import warnings
import zipfile

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from channel_ops import CHUNK_OP, channel_shuffle_args, chunk_of  # noqa: E402
from cpu import aten_capability, cpu_flags  # noqa: E402
from tensor_op_args import (ADAPTIVE_AVG_POOL_OPS, AVG_POOL_OPS, MAX_POOL_OPS, DEQUANTIZE_OP, DROPOUT_OPS, IDENTITY_MODULE, MEAN_OP, QUANTIZE_OP, RESHAPE_OPS, VALUE_PRESERVING_OPS, constant_int,  # noqa: E402
                            pool_output_size, tensor_op_args, tensor_op_name, unmangled_class_name)

warnings.simplefilter('ignore')


def _floats(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def _weight_qparams(w):
    scheme = w.qscheme()
    if scheme in (torch.per_channel_affine, torch.per_channel_symmetric, torch.per_channel_affine_float_qparams):
        return {
            'qscheme': str(scheme).replace('torch.', ''),
            'scales': _floats(w.q_per_channel_scales().to(torch.float64)),
            'zero_points': [int(v) for v in w.q_per_channel_zero_points().tolist()],
            'axis': int(w.q_per_channel_axis()),
        }
    return {'qscheme': str(scheme).replace('torch.', ''), 'scales': [float(w.q_scale())], 'zero_points': [int(w.q_zero_point())], 'axis': None}


def _pair(v):
    return [int(x) for x in v] if isinstance(v, (tuple, list)) else [int(v), int(v)]


def _conv(mod, kind):
    w, b = mod._weight_bias()
    out = {
        'kind': 'conv2d',
        'type': kind,
        'relu': kind == 'ConvReLU2d',
        'weight': {'dtype': str(w.dtype).replace('torch.', ''), 'shape': list(w.shape), 'values': [int(v) for v in w.int_repr().reshape(-1).tolist()], **_weight_qparams(w)},
        'bias': None if b is None else _floats(b.to(torch.float32)),
        **_output_qparams(mod),
        'stride': _pair(mod.stride),
        'padding': _pair(mod.padding),
        'dilation': _pair(mod.dilation),
        'groups': int(mod.groups),
        'padding_mode': str(getattr(mod, 'padding_mode', 'zeros')),
    }
    return out


def _constant_float(value):
    node = value.node()
    return float(node.f('value')) if node.kind() == 'prim::Constant' and node.hasAttribute('value') and node.kindOf('value') == 'f' else None


def _output_qparams(mod):
    """A quantized conv's or linear's output scale and zero point: its attributes in a scripted model; in a traced one
    (which keeps none) the constants its forward passes as the last two arguments of its quantized:: op."""
    if hasattr(mod, 'scale') and hasattr(mod, 'zero_point'):
        return {'scale': float(mod.scale), 'zero_point': int(mod.zero_point)}
    for node in mod.forward.graph.nodes():
        args = list(node.inputs())
        if node.kind().startswith('quantized::') and len(args) >= 2:
            scale, zero_point = _constant_float(args[-2]), constant_int(args[-1])
            if scale is not None and zero_point is not None:
                return {'scale': scale, 'zero_point': zero_point}
    raise ValueError(f'a quantized {mod.original_name} with no output scale and zero point (neither attributes nor constants of its forward)')


def _linear(mod):
    w, b = torch.ops.quantized.linear_unpack(mod._packed_params._packed_params)
    return {
        'kind': 'linear',
        'type': mod.original_name,
        'relu': mod.original_name == 'LinearReLU',
        'weight': {'dtype': str(w.dtype).replace('torch.', ''), 'shape': list(w.shape), 'values': [int(v) for v in w.int_repr().reshape(-1).tolist()], **_weight_qparams(w)},
        'bias': None if b is None else _floats(b.to(torch.float32)),
        **_output_qparams(mod),
    }


def _quantize_dtype(mod):
    """The Quantize module's dtype (a ScalarType number): its attribute in a scripted model; in a traced one (which keeps
    no such attribute) the constant its forward passes to aten::quantize_per_tensor."""
    if hasattr(mod, 'dtype'):
        return int(mod.dtype)
    for node in mod.forward.graph.nodes():
        if node.kind() == 'aten::quantize_per_tensor':
            dtype = constant_int(list(node.inputs())[3])
            if dtype is not None:
                return dtype
    raise ValueError('a Quantize module with no dtype attribute and no constant dtype in its forward')


def _quantize(mod):
    return {'kind': 'quantize', 'type': 'Quantize', 'scale': float(mod.scale.item()), 'zero_point': int(mod.zero_point.item()), 'dtype': str(torch.quint8 if _quantize_dtype(mod) == 13 else torch.qint8).replace('torch.', '')}


def non_finite_field(module):
    """The first stored float of a described module that is NaN or infinite (its output scale, bias or a weight scale),
    as 'field value', or None: torch's kernels give no defined answer for those, and JSON has no such numbers."""
    fields = [('scale', [module.get('scale')]), ('bias', module.get('bias') or []), ('weight scale', (module.get('weight') or {}).get('scales', []))]
    for field, values in fields:
        for i, v in enumerate(values):
            if isinstance(v, float) and not math.isfinite(v):
                return f'{field} {v}' if len(values) == 1 else f'{field}[{i}] {v}'
    return None


def _maxpool(mod):
    return {'kind': 'maxpool2d', 'type': 'MaxPool2d', 'kernel': _pair(mod.kernel_size), 'stride': _pair(mod.stride if mod.stride else mod.kernel_size),
            'padding': _pair(mod.padding), 'dilation': _pair(mod.dilation), 'ceil_mode': bool(mod.ceil_mode)}


def _qualified_type(mod):
    """A scripted or traced module's class, as torch names it (unmangled_class_name)."""
    return unmangled_class_name(mod._c._type().qualified_name())


# Modules whose forward gives its input as it is (values and qparams): nn.Identity; the quantized Dropout convert()
# swaps nn.Dropout for, in train and eval mode (torch/ao/nn/quantized/modules/dropout.py: forward returns its input).
_UNCHANGING_MODULES = (IDENTITY_MODULE, 'torch.ao.nn.quantized.modules.dropout.Dropout')
# A float nn.Dropout (one convert() kept: no qconfig) gives its input as it is in eval mode only; in training mode it
# zeroes elements at random (on floats) or fails (torch 1.13 has no quantized dropout kernel)
_FLOAT_DROPOUT = 'torch.nn.modules.dropout.Dropout'
# the converted nn.Hardswish (it stores its output's scale and zero point), and the float nn.Hardsigmoid convert keeps
_QUANTIZED_HARDSWISH = 'torch.ao.nn.quantized.modules.activation.Hardswish'
_FLOAT_HARDSIGMOID = 'torch.nn.modules.activation.Hardsigmoid'


def describe_module(mod):
    kind = mod.original_name
    qualified = _qualified_type(mod)
    if qualified in _UNCHANGING_MODULES or (qualified == _FLOAT_DROPOUT and not mod.training):
        return {'kind': 'unchanged', 'type': kind}
    if qualified == _FLOAT_DROPOUT:
        return {'kind': 'other', 'type': kind, 'training': True}
    if kind in ('Conv2d', 'ConvReLU2d') and hasattr(mod, '_packed_params'):
        return _conv(mod, kind)
    if kind in ('Linear', 'LinearReLU') and hasattr(mod, '_packed_params'):
        return _linear(mod)
    if kind == 'Quantize':
        return _quantize(mod)
    if kind == 'MaxPool2d':
        return _maxpool(mod)
    if kind == 'AvgPool2d':
        return {'kind': 'avg_pool2d', 'type': kind, 'kernel': _pair(mod.kernel_size), 'stride': _pair(mod.stride if mod.stride else mod.kernel_size), 'padding': _pair(mod.padding),
                'ceil_mode': bool(mod.ceil_mode), 'count_include_pad': bool(mod.count_include_pad), 'divisor_override': mod.divisor_override}
    if kind == 'AdaptiveAvgPool2d':
        return {'kind': 'adaptive_avg_pool2d', 'type': kind, 'output_size': pool_output_size(mod.output_size)}
    if qualified == _QUANTIZED_HARDSWISH:
        # quantized::hardswish(x, scale, zero_point) with the output qparams it stores (contract/quantized_hard_activations.ts)
        return {'kind': 'hardswish', 'type': kind, 'scale': float(mod.scale), 'zero_point': int(mod.zero_point)}
    if qualified == _FLOAT_HARDSIGMOID:
        # eager convert keeps nn.Hardsigmoid: on a quantized tensor it runs hardsigmoid_quantized_cpu (fixed output qparams)
        return {'kind': 'hardsigmoid', 'type': kind}
    if _stores_output_qparams(mod):
        # not modelled (a QFunctional, a quantized Hardswish or BatchNorm2d, ...), but its output qparams are the next
        # layer's input qparams
        return {'kind': 'other', 'type': kind, 'scale': float(mod.scale), 'zero_point': int(mod.zero_point)}
    return {'kind': 'other', 'type': kind}


def _stores_output_qparams(mod):
    """Whether a quantized module stores its output's scale and zero point as numbers (QFunctional, nn.quantized.Hardswish,
    BatchNorm2d, ...)."""
    scale, zero_point = getattr(mod, 'scale', None), getattr(mod, 'zero_point', None)
    return isinstance(scale, (int, float)) and not isinstance(scale, bool) and isinstance(zero_point, int) and not isinstance(zero_point, bool)


def _called_with(node):
    """The submodules (attributes of the graph's self) the node's result is passed to by a method call."""
    into = []
    for use in node.output().uses():
        user = use.user
        owner = list(user.inputs())[0].node()
        if user.kind() == 'prim::CallMethod' and owner.kind() == 'prim::GetAttr':
            into.append(owner.s('name'))
    return into


def forward_flattens(model):
    """torch.flatten calls in the top-level forward graph whose result is passed to a submodule: that submodule, and the
    dims (forward_call_order lists the other flattens where they are, as tensor ops)."""
    out = []
    for node in model.forward.graph.nodes():
        if node.kind() == 'aten::flatten' and _called_with(node):
            args = list(node.inputs())
            out.append({'start_dim': constant_int(args[1]), 'end_dim': constant_int(args[2]), 'into': _called_with(node)})
    return out


def _module_fed_flattens(model):
    """The outputs (graph value ids) of the flattens forward_flattens places before a module."""
    return {node.output().unique() for node in model.forward.graph.nodes() if node.kind() == 'aten::flatten' and _called_with(node)}


def _observer(obs):
    """One observer's state (torch/ao/quantization/observer.py attributes and buffers)."""
    out = {
        'observer': type(obs).__name__,
        'dtype': str(obs.dtype).replace('torch.', ''),
        'qscheme': str(obs.qscheme).replace('torch.', ''),
        'reduce_range': bool(obs.reduce_range),
        'quant_min': int(obs.quant_min),
        'quant_max': int(obs.quant_max),
        'min_val': _floats(obs.min_val.to(torch.float32)),
        'max_val': _floats(obs.max_val.to(torch.float32)),
    }
    if hasattr(obs, 'histogram'):
        out['histogram'] = _floats(obs.histogram.to(torch.float32))
        out['bins'] = int(obs.bins)
    return out


def _observed_layers(prepared):
    """(name, module, output observer) of each observed module of a prepared model: eager mode's prepare attaches the
    observer to the module (its activation_post_process); FX graph mode's prepare_fx calls an observer module
    (activation_post_process_N) on the module's output in the graph, and convert_fx keeps the module's name."""
    if isinstance(prepared, torch.fx.GraphModule):
        modules = dict(prepared.named_modules())
        for node in prepared.graph.nodes:
            source = node.args[0] if node.op == 'call_module' and node.args else None
            if isinstance(source, torch.fx.Node) and source.op == 'call_module' and isinstance(modules.get(node.target), torch.ao.quantization.ObserverBase):
                yield source.target, modules[source.target], modules[node.target]
        return
    for name, mod in prepared.named_modules():
        yield name, mod, getattr(mod, 'activation_post_process', None)


def observer_state(prepared):
    """Plain dict of a prepared (observed, not yet converted) model's observers, eager or FX graph mode, for torch.save."""
    state = {}
    for name, mod, obs in _observed_layers(prepared):
        if obs is None or not hasattr(obs, 'min_val'):
            continue
        entry = {'activation': _observer(obs)}
        float_weight = getattr(mod, 'weight', None)
        if float_weight is None and hasattr(mod, '__getitem__'):
            try:
                float_weight = mod[0].weight  # fused ConvReLU2d: the conv is child 0
            except (IndexError, AttributeError, TypeError):
                float_weight = None
        qconfig = getattr(mod, 'qconfig', None)
        if float_weight is not None and qconfig is not None:
            wobs = qconfig.weight()
            wobs(float_weight.detach())
            entry['weight'] = _observer(wobs)
        state[name] = entry
    return state


def _tensors_to_lists(v):
    if isinstance(v, torch.Tensor):
        return _floats(v.to(torch.float32))
    if isinstance(v, dict):
        return {k: _tensors_to_lists(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_tensors_to_lists(x) for x in v]
    return v


def _attribute_paths(graph):
    """For a forward graph: each value that is a submodule of `self` (prim::GetAttr chains), by its path."""
    self_value = next(graph.inputs())
    paths = {self_value.unique(): ''}

    def walk(block):
        for node in block.nodes():
            if node.kind() == 'prim::GetAttr':
                owner = paths.get(node.input().unique())
                if owner is not None:
                    paths[node.output().unique()] = f'{owner}.{node.s("name")}' if owner else node.s('name')
            for inner in node.blocks():
                walk(inner)

    walk(graph)
    return paths


def _submodule(model, path):
    """The submodule at a dotted path (ScriptModules have no get_submodule), or None."""
    mod = model
    for part in path.split('.'):
        mod = getattr(mod, part, None)
        if mod is None:
            return None
    return mod


# Children that belong to a layer rather than make it a container: a quantized Linear's packed params, a
# QFunctional's observer slot.
_LAYER_PARTS = ('_packed_params', 'activation_post_process')
# Modules that are layers although they have children, and are called through methods other than forward.
_FUNCTIONAL_LAYERS = ('QFunctional', 'FloatFunctional', 'FXFloatFunctional')


def _is_container(mod):
    """Whether a module only calls others (Sequential, a user block): its children stand for it in the data order."""
    if getattr(mod, 'original_name', None) in _FUNCTIONAL_LAYERS:
        return False
    return any(name not in _LAYER_PARTS for name, _ in mod.named_children())


def _method_graph(mod, method):
    try:
        return getattr(mod, method).graph
    except (AttributeError, RuntimeError):
        return None


def _sets_attribute(block, name):
    """Whether a node of `block` (or of a block inside it) assigns attribute `name` (prim::SetAttr)."""
    for node in block.nodes():
        if node.kind() == 'prim::SetAttr' and node.s('name') == name:
            return True
        if any(_sets_attribute(inner, name) for inner in node.blocks()):
            return True
    return False


def _fixed_scalar(value, mod, graph):
    """The bool or int a graph value always holds, else None: a constant, or an attribute of the module itself that the
    method never assigns (read from the loaded module)."""
    node = value.node()
    if node.kind() == 'prim::Constant':
        fixed = node.output().toIValue()
    elif node.kind() == 'prim::GetAttr' and node.inputsAt(0).unique() == list(graph.inputs())[0].unique() and not _sets_attribute(graph, node.s('name')):
        fixed = getattr(mod, node.s('name'), None)
    else:
        return None
    return fixed if isinstance(fixed, (bool, int)) else None


# the comparisons of two fixed ints an `if` may test (torchvision's ShuffleNetV2 blocks: `if self.stride == 1:`)
_INT_COMPARISONS = {'aten::eq': lambda a, b: a == b, 'aten::ne': lambda a, b: a != b, 'aten::lt': lambda a, b: a < b,
                    'aten::le': lambda a, b: a <= b, 'aten::gt': lambda a, b: a > b, 'aten::ge': lambda a, b: a >= b}


def static_condition(node, mod, graph):
    """The value an `if` (prim::If) of `mod`'s method `graph` takes whatever the input, else None: a constant bool, a
    bool attribute of the module itself that the method never assigns (torchvision's QuantizableInvertedResidual:
    `if self.use_res_connect:`, True or False per block), or a comparison of two such ints (_INT_COMPARISONS:
    torchvision's ShuffleNetV2 blocks, `if self.stride == 1:`)."""
    cond = node.inputsAt(0).node()
    compare = _INT_COMPARISONS.get(cond.kind())
    if compare is not None and len(list(cond.inputs())) == 2:
        a, b = (_fixed_scalar(v, mod, graph) for v in cond.inputs())
        ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (a, b))
        return compare(a, b) if ints else None
    value = _fixed_scalar(node.inputsAt(0), mod, graph)
    return value if isinstance(value, bool) else None


def control_flow_marker(kind):
    """The step that stands for an `if` or a loop of a forward: not modelled, so the chain stops there instead of
    running both branches of an `if` one after the other."""
    return f'<{kind}>'


def tensor_op_marker(kind):
    """The step that stands for a tensor op of a forward that is no module call (F.relu, x * 3.0, torch.cat): what it
    does to the data is between the modules around it."""
    return f'[{kind}]'


# The tensor ops that are a quantized ReLU on a quantized tensor: torch.relu / Tensor.relu(_), and F.relu (a TorchScript
# function, called with prim::CallFunction), which calls torch.relu or torch.relu_.
RELU_OPS = ('aten::relu', 'aten::relu_', 'torch.nn.functional.relu')
# quantized::hardswish(x, scale, zero_point) (convert_fx's Hardswish) and hardsigmoid as the forward calls it on a
# quantized tensor (F.hardsigmoid, scripted: the TorchScript function; traced: the ATen op)
HARDSWISH_OP = 'quantized::hardswish'
HARDSIGMOID_OPS = ('aten::hardsigmoid', 'aten::hardsigmoid_', 'torch.nn.functional.hardsigmoid')


def _is_tensor(value):
    return isinstance(value.type(), torch._C.TensorType)


def tensor_op(node):
    """The name of the tensor op `node` is (tensor_op_name), or None when it gives no tensor."""
    if not any(_is_tensor(v) for v in node.outputs()):
        return None
    return tensor_op_name(node)


def forward_call_order(model, functions=None):
    """The layers the TorchScript forward calls, in the order it calls them: the data order, which definition order
    (named_modules) is not when __init__ defines them in another order. Calls are followed into containers' methods
    (Sequential, user blocks) and into the model's own helper methods; a layer's own method (a QFunctional's add) is a
    call of that layer. An `if` whose condition is fixed (static_condition) is the block it picks; any other `if`, or
    a loop, holding calls puts a control_flow_marker before them. A layer called twice keeps its first place. Returns
    the order; for each tensor_op_marker in it, in turn, its tensor_op_args; and the data flow of each step (a layer's
    name, or the marker's index among the ops: ('op', k)): {'reads': the ids of the tensors it takes, 'writes': the id
    of the tensor it gives}, ids global across the methods followed (a container's method's arguments and result are
    its caller's values), so in_forward_order can tell a step that does not read the step before it. A flatten of the forward into a module is no tensor op here (forward_flattens places it): its result has
    its input's id. `functions`: the model's compilation unit, whose functions a call of the forward may be probed in
    (channel_ops.py channel_shuffle_args)."""
    order = []
    op_args = []
    flows = {}
    visited = set()
    module_fed_flattens = _module_fed_flattens(model)
    fresh = itertools.count()
    # the id of a list of tensors a graph builds -> the ids of its tensors (a method may return it to its caller)
    tensor_lists = {}

    def visit(mod, prefix, method, arg_ids):
        """Walks the method's graph with its arguments' ids; returns its result's id (None: not followed, or several)."""
        if (prefix, method) in visited:
            return None
        visited.add((prefix, method))
        graph = _method_graph(mod, method)
        if graph is None:
            return None
        paths = _attribute_paths(graph)
        ids = {v.unique(): i for v, i in zip(list(graph.inputs())[1:], arg_ids)}

        def id_of(value):
            return ids.setdefault(value.unique(), f'v{next(fresh)}')

        def written(node):
            """The id of the one tensor a node gives; None when it gives several."""
            return id_of(node.output()) if len(list(node.outputs())) == 1 else None

        def tensors_read(node, skip):
            """The ids of the tensors a node takes (a list of them included: built here, or by a method it called, as
            GoogLeNet's Inception._forward returns its branches for the QFunctional.cat after it), after its first `skip`
            inputs."""
            out = []
            for v in list(node.inputs())[skip:]:
                if _is_tensor(v):
                    out.append(id_of(v))
                elif v.node().kind() == 'prim::ListConstruct':
                    out.extend(id_of(e) for e in v.node().inputs() if _is_tensor(e))
                elif id_of(v) in tensor_lists:
                    out.extend(tensor_lists[id_of(v)])
            return out

        def constant_ints(node, skip):
            """The integer constants among a node's inputs after its first `skip` (a QFunctional.cat's dim)."""
            return [v.node().i('value') for v in list(node.inputs())[skip:] if v.node().kind() == 'prim::Constant' and v.type().kind() == 'IntType']

        def walk(block):
            for node in block.nodes():
                taken = static_condition(node, mod, graph) if node.kind() == 'prim::If' else None
                if taken is not None:
                    # only the block the condition picks runs: its calls are the forward's, its results the if's
                    chosen = list(node.blocks())[0 if taken else 1]
                    walk(chosen)
                    for out, result in zip(node.outputs(), chosen.outputs()):
                        ids[out.unique()] = id_of(result)
                    continue
                if node.kind() == 'prim::CallMethod':
                    path = paths.get(list(node.inputs())[0].unique())
                    name = node.s('name')
                    args = [id_of(v) for v in list(node.inputs())[1:]]
                    result = None
                    if path == '':
                        result = visit(mod, prefix, name, args)  # a helper method of this module
                    elif path is not None:
                        full = f'{prefix}.{path}' if prefix else path
                        sub = _submodule(model, full)
                        if sub is not None and _is_container(sub):
                            result = visit(sub, full, name, args)
                        elif full not in order:
                            order.append(full)
                            flows[full] = {'reads': tensors_read(node, 1), 'writes': written(node), 'method': name, 'int_args': constant_ints(node, 1)}
                    if result is not None and len(list(node.outputs())) == 1:
                        ids[node.output().unique()] = result
                elif node.kind() == 'prim::ListConstruct' and all(_is_tensor(e) for e in node.inputs()):
                    tensor_lists[id_of(node.output())] = [id_of(e) for e in node.inputs()]
                elif node.kind() == 'aten::flatten' and (prefix, method) == ('', 'forward') and node.output().unique() in module_fed_flattens:
                    ids[node.output().unique()] = id_of(node.inputsAt(0))
                elif chunk_of(node) is not None:
                    # Tensor.chunk unpacked: one step per part, each reading the tensor chunked (channel_ops.py)
                    source, chunks, dim = chunk_of(node)
                    for index, part in enumerate(node.outputs()):
                        flows[('op', len(op_args))] = {'reads': [id_of(source)], 'writes': id_of(part)}
                        order.append(tensor_op_marker(CHUNK_OP))
                        op_args.append({'chunks': chunks, 'dim': dim, 'index': index})
                elif tensor_op(node):
                    flows[('op', len(op_args))] = {'reads': tensors_read(node, 0), 'writes': written(node)}
                    order.append(tensor_op_marker(tensor_op(node)))
                    op_args.append({**tensor_op_args(node, mod), **channel_shuffle_args(node, functions)})
                blocks = list(node.blocks())
                if blocks:
                    before = len(order)
                    for inner in blocks:
                        walk(inner)
                    if len(order) > before:
                        order.insert(before, control_flow_marker(node.kind()))

        walk(graph)
        results = list(graph.return_node().inputs())
        return id_of(results[0]) if len(results) == 1 else None

    visit(model, '', 'forward', [f'input{i}' for i in range(len(list(model.forward.graph.inputs())) - 1)])
    return order, op_args, flows


def _tensor_op_kind(op, args):
    """How explain takes a tensor op of the forward (args: its tensor_op_args): 'quantize' (QUANTIZE_OP with the qparams
    fixed), 'dequantize' (DEQUANTIZE_OP), 'relu' (RELU_OPS), 'hardswish' (HARDSWISH_OP with its qparams), 'hardsigmoid'
    (HARDSIGMOID_OPS), 'mean' (MEAN_OP with constant dims and keepdim), 'chunk' (a part of Tensor.chunk), 'channel_shuffle' (a function torch measures as one:
    channel_ops.py), 'unchanged'
    (VALUE_PRESERVING_OPS, and DROPOUT_OPS not training), 'reshape' (RESHAPE_OPS), the pools ('adaptive_avg_pool2d',
    'avg_pool2d', 'maxpool2d' where the window is known), 'flatten', else 'op' (not modelled;
    a dropout training, or whose training flag the forward computes)."""
    if op == QUANTIZE_OP and 'scale' in args:
        return 'quantize'
    if op == DEQUANTIZE_OP:
        return 'dequantize'
    if op in RELU_OPS:
        return 'relu'
    if op == HARDSWISH_OP and 'scale' in args:
        return 'hardswish'
    if op in HARDSIGMOID_OPS:
        return 'hardsigmoid'
    if op == MEAN_OP and 'dims' in args:
        return 'mean'
    if op == CHUNK_OP and 'index' in args:
        return 'chunk'
    if 'channel_shuffle_groups' in args:
        return 'channel_shuffle'
    if op in VALUE_PRESERVING_OPS or (op in DROPOUT_OPS and args.get('training') is False):
        return 'unchanged'
    if op in RESHAPE_OPS:
        return 'reshape'
    if op in ADAPTIVE_AVG_POOL_OPS:
        return 'adaptive_avg_pool2d'
    if op in AVG_POOL_OPS and 'kernel' in args:
        return 'avg_pool2d'
    if op in MAX_POOL_OPS and 'kernel' in args:
        return 'maxpool2d'
    return 'flatten' if op == 'aten::flatten' else 'op'


# in_forward_order's reads_from for a step that reads the forward's input (forward_call_order names it input0)
INPUT_STEP = '<input>'


def in_forward_order(modules, order, op_args, flows):
    """The described modules in forward call order, with a not-modelled step for each control_flow_marker and a step
    for each tensor_op_marker (its _tensor_op_kind, with its op_args), named by its op, its number in the forward and
    the step before it; modules the forward never calls are left out (no data reaches them). A step that takes none of
    the tensors the step before it gave (flows: forward_call_order's) is marked 'branch': it reads another branch of the
    forward (a ResNet block's downsample conv reads the block's input, not its last conv's output), which the chain of
    steps explain follows does not hold. A step's 'reads_from' names the step whose output it reads (its first
    tensor's writer; INPUT_STEP for the forward's input), or is None when no step gave that tensor."""
    by_name = {m['name']: m for m in modules}
    steps = []
    ops = 0
    last_written = None
    writer = {}
    for name in order:
        flow = None
        if name.startswith('<'):
            steps.append({'name': f'control flow {name[1:-1]}', 'kind': 'other', 'type': f'{name[1:-1]} (an if or a loop in the forward)'})
        elif name.startswith('['):
            ops += 1
            op = name[1:-1]
            after = f' (after {steps[-1]["name"]})' if steps else ''
            flow = flows.get(('op', ops - 1))
            steps.append({'name': f'{op} #{ops}{after}', 'kind': _tensor_op_kind(op, op_args[ops - 1]), 'type': op, **op_args[ops - 1]})
        elif name in by_name:
            flow = flows.get(name)
            steps.append(dict(by_name[name]))
        if flow is None:
            continue
        first = flow['reads'][0] if flow['reads'] else None
        steps[-1]['reads_from'] = INPUT_STEP if first == 'input0' else writer.get(first)
        # the writer of each tensor it reads, in order (a quantized add reads two), and a QFunctional's method (add,
        # add_relu, mul, cat, ...)
        steps[-1]['reads_all'] = [INPUT_STEP if r == 'input0' else writer.get(r) for r in flow['reads']]
        if steps[-1].get('type') == 'QFunctional':
            steps[-1]['method'] = flow.get('method')
            # its integer arguments as constants of the forward (cat's dim), when they are
            steps[-1]['int_args'] = flow.get('int_args', [])
        if last_written is not None and last_written not in flow['reads']:
            steps[-1]['branch'] = True
        last_written = flow['writes']
        if last_written is not None:
            writer[last_written] = steps[-1]['name']
    return steps


def flattens_into_layers(flattens, order):
    """forward_flattens names the module a flattened value goes into; when that module is a container, the flatten
    goes before the first layer of it in the forward's order."""
    for entry in flattens:
        entry['into'] = [name if name in order else next((o for o in order if o.startswith(f'{name}.')), name) for name in entry['into']]
    return flattens


def _torch_save_archive(path):
    """Whether `path` is what torch.save writes (a zip with data.pkl and no TorchScript constants.pkl): a pickled module
    or state_dict, which torch.jit.load cannot read."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
    return any(n.endswith('/data.pkl') for n in names) and not any(n.endswith('/constants.pkl') for n in names)


def _load_torchscript(path):
    """The model and its compilation unit (the TorchScript functions its forward calls: channel_ops.py probes them),
    loaded as torch.jit.load loads it (torch/jit/_serialization.py: import_ir_module into a compilation unit of its own,
    on the CPU), or a ValueError saying how to make one when the file is a torch.save pickle."""
    functions = torch._C.CompilationUnit()
    try:
        return torch.jit._recursive.wrap_cpp_module(torch._C.import_ir_module(functions, str(path), torch.device('cpu'), {})), functions
    except RuntimeError:
        if _torch_save_archive(path):
            raise ValueError('the file was written by torch.save (a pickled module or state_dict), not torch.jit.save: qconform explain reads TorchScript; '
                             'save the converted model with torch.jit.save(torch.jit.script(model), path) (or torch.jit.trace(model, example))') from None
        raise


def main(argv):
    if len(argv) < 1:
        raise SystemExit('usage: explain_ops.py MODEL.pt [--observers OBSERVERS.pt] [--engine NAME]')
    path = argv[0]
    if '--engine' in argv:
        engine = argv[argv.index('--engine') + 1] if argv.index('--engine') + 1 < len(argv) else ''
        engines = [e for e in torch.backends.quantized.supported_engines if e != 'none']
        if engine not in engines:
            raise ValueError(f'--engine {engine!r}: this torch {torch.__version__} has the quantized engines {", ".join(engines)}')
        torch.backends.quantized.engine = engine
    observers = None
    if '--observers' in argv:
        observers = _tensors_to_lists(torch.load(argv[argv.index('--observers') + 1]))
        if not isinstance(observers, dict):
            raise ValueError('the observers file must hold a dict (observer_state(prepared_model))')
    model, functions = _load_torchscript(path)
    modules = []
    for name, mod in model.named_modules():
        if name == '' or not hasattr(mod, 'original_name'):
            continue
        if '.' in name and name.rsplit('.', 1)[1] in _LAYER_PARTS:
            continue
        modules.append({'name': name, **describe_module(mod)})
    order, op_args, flows = forward_call_order(model, functions)
    if order:
        modules = in_forward_order(modules, order, op_args, flows)
    for m in modules:
        bad = non_finite_field(m)
        if bad:
            raise ValueError(f'{m["name"]}: stored {bad} is not a finite number (qconform explains layers with finite scales and biases)')
    if not any(m['kind'] in ('conv2d', 'linear') for m in modules):
        raise ValueError(f'{path}: its forward calls no quantized conv or linear module (is it a model converted by torch.ao.quantization.convert and saved with torch.jit.save?)')
    json.dump({'format': 'qconform-torch-model/1', 'torch': torch.__version__, 'engine': torch.backends.quantized.engine,
               'cpu_flags': cpu_flags(), 'aten_capability': aten_capability(), 'num_threads': torch.get_num_threads(),
               'modules': modules, 'flattens': flattens_into_layers(forward_flattens(model), order), 'observers': observers},
              sys.stdout, allow_nan=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except SystemExit:
        raise
    except Exception as e:  # one line, the TypeScript side turns it into a typed error
        print(f'error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}', file=sys.stderr)
        sys.exit(2)
