"""What a tensor op of a quantized model's TorchScript forward does to the tensor between the modules, for
`qconform explain` (explain_ops.py places the ops among the modules; conformance/explain/torch_model.ts carries them).

Measured on torch 1.13 (/usr/bin/python3), quint8 and qint8 tensors from quantized convs and linears on the qnnpack
and onednn engines, and floats before a QuantStub (tests/explain/torch_carried_ops.test.ts):
  - VALUE_PRESERVING_OPS give the tensor's own values and qparams (int_repr equal before and after), in any memory
    format: Tensor.contiguous, Tensor.clone, Tensor.detach;
  - Tensor.reshape and Tensor.view give the same values in row-major order under a new shape (aten/src/ATen/InferSize.h
    infer_size_impl resolves a -1); view refuses a tensor whose strides do not allow it: the output of every quantized
    conv here is channels_last ("view size is not compatible with input tensor's size and stride"), so a view is known
    to run only on a tensor known contiguous (contiguous_input): the result of .contiguous(), a quantized linear's
    output, or torch.flatten(x, 1)'s (which copies a channels_last tensor);
  - torch.flatten(x, start_dim, end_dim), the same values under the flattened shape.
"""

import re

import torch

VALUE_PRESERVING_OPS = ('aten::contiguous', 'aten::clone', 'aten::detach')
# torch.dropout / F.dropout (scripted: a call of the TorchScript function; traced: aten::dropout). Not training, ATen's
# dropout gives its input as it is (aten/src/ATen/native/Dropout.cpp _dropout_impl: `if (p == 0 || !train || ...)
# return input`), quantized tensors included; training, it zeroes elements at random.
DROPOUT_OPS = ('aten::dropout', 'aten::dropout_', 'torch.nn.functional.dropout')
# torch.quantize_per_tensor and Tensor.dequantize, as convert_fx (FX graph mode) writes them where eager mode has a
# QuantStub and a DeQuantStub
QUANTIZE_OP = 'aten::quantize_per_tensor'
DEQUANTIZE_OP = 'aten::dequantize'
RESHAPE_OPS = ('aten::reshape', 'aten::view')
# Quantized ops explain does not model whose output scale and zero point are arguments (torch 1.13's schemas, e.g.
# quantized::add(Tensor qa, Tensor qb, float scale, int zero_point) -> Tensor qc, which convert_fx writes for a residual
# `+`): (argument count, index of the scale; the zero point follows). Their output has those qparams and the input's
# dtype, so the layer after one is analysed on generated data of them (conformance/explain/torch_model.ts).
OUTPUT_QPARAM_OPS = {
    'quantized::add': (4, 2),
    'quantized::add_relu': (4, 2),
    'quantized::mul': (4, 2),
    'quantized::mul_relu': (4, 2),
    'quantized::matmul': (4, 2),
    'quantized::cat': (4, 2),
    'quantized::cat_relu': (4, 2),
    'quantized::hardswish': (3, 1),
}

# adaptive_avg_pool2d as the forward calls it: F.adaptive_avg_pool2d (scripted: a call of the TorchScript function,
# whose arguments are the function, the input and output_size) or the ATen op (traced: input, output_size). On a
# quantized tensor it is adaptive_avg_pool2d_quantized_cpu (contract/quantized_adaptive_avg_pool2d.ts).
ADAPTIVE_AVG_POOL_OPS = {'torch.nn.functional.adaptive_avg_pool2d': 2, 'aten::adaptive_avg_pool2d': 1}

# avg_pool2d as the forward calls it (F.avg_pool2d is an ATen builtin: input, kernel_size, stride, padding, ceil_mode,
# count_include_pad, divisor_override); on a quantized tensor avg_pool2d_quantized_cpu (contract/quantized_avg_pool2d.ts)
AVG_POOL_OPS = {'aten::avg_pool2d'}
# max_pool2d as the forward calls it: F.max_pool2d (scripted: the function, input, kernel_size, stride, padding,
# dilation, ceil_mode, return_indices) or the ATen op (input, kernel_size, stride, padding, dilation, ceil_mode): the
# quantized max pool a MaxPool2d runs (conformance/explain/torch_max_pool.ts)
MAX_POOL_OPS = {'torch.nn.functional._max_pool2d': 1, 'aten::max_pool2d': 0}

# Tensor.mean(dim, keepdim=False, dtype=None) (input, dim, keepdim, dtype): on a quantized tensor mean_quantized_cpu
# (contract/quantized_mean.ts)
MEAN_OP = 'aten::mean'

# c10::MemoryFormat::Contiguous, the memory_format argument of Tensor.contiguous() by default
_CONTIGUOUS_FORMAT = 0


def constant_int(value):
    """The int a graph value is a prim::Constant of, else None."""
    node = value.node()
    if node.kind() == 'prim::Constant' and node.hasAttribute('value') and node.kindOf('value') == 'i':
        return int(node.i('value'))
    return None


def _size_dim(tensor, value):
    """d when `value` is tensor.size(d) (aten::size(tensor, d), or tensor.size()[d] / tensor.shape[d]) with d a constant,
    else None."""
    node = value.node()
    args = list(node.inputs())
    if node.kind() == 'aten::size' and len(args) == 2 and args[0].unique() == tensor.unique():
        return constant_int(args[1])
    if node.kind() == 'aten::__getitem__' and len(args) == 2:
        sizes = args[0].node()
        if sizes.kind() == 'aten::size' and len(list(sizes.inputs())) == 1 and sizes.inputsAt(0).unique() == tensor.unique():
            return constant_int(args[1])
    return None


def reshape_dims(tensor, shape):
    """The target shape of tensor.reshape(shape) / tensor.view(shape), one entry a dim: an int (a constant, -1 to infer)
    or {'dim': d} (tensor.size(d) of the tensor reshaped); None for a dim the forward computes otherwise, and None for
    the whole shape when it is no list the graph builds."""
    node = shape.node()
    if node.kind() == 'prim::Constant':
        value = shape.toIValue()
        return [int(d) for d in value] if isinstance(value, (list, tuple)) else None
    if node.kind() != 'prim::ListConstruct':
        return None
    dims = []
    for v in node.inputs():
        c = constant_int(v)
        d = _size_dim(tensor, v) if c is None else None
        dims.append(c if c is not None else ({'dim': d} if d is not None else None))
    return dims


# The quantized linears whose forward gives a contiguous [N, out_features] tensor, by the class names torch 1.13's
# scripted modules carry (measured on qnnpack and onednn: is_contiguous() after the converted Linear and the fused
# LinearReLU, tests/explain/torch_carried_ops.test.ts ViewOfLinear, ViewOfLinearReLU)
_CONTIGUOUS_OUTPUT_MODULES = ('torch.ao.nn.quantized.modules.linear.Linear', 'torch.nn.intrinsic.quantized.modules.linear_relu.LinearReLU')

IDENTITY_MODULE = 'torch.nn.modules.linear.Identity'


def unmangled_class_name(qualified):
    """A scripted or traced module's class as torch names it (torch.nn.modules.linear.Identity), from its TorchScript
    type name: without __torch__. and the ___torch_mangle_N part TorchScript puts in the name of a second type of the
    class (a Dropout of another p, any traced module)."""
    return re.sub(r'\.___torch_mangle_\d+', '', qualified.replace('__torch__.', '', 1))


def _contiguous_result(value):
    """Whether `value` is known to be a contiguous tensor: what Tensor.contiguous() (contiguous_format) gave, what a
    quantized linear's forward gave (_CONTIGUOUS_OUTPUT_MODULES), or what torch.flatten(x, 1) gave (measured on torch
    1.13: contiguous also from a quantized conv's channels_last output, which flatten copies)."""
    node = value.node()
    if node.kind() == 'aten::contiguous':
        return constant_int(node.inputsAt(1)) == _CONTIGUOUS_FORMAT
    if node.kind() == 'prim::CallMethod' and node.s('name') == 'forward':
        module = unmangled_class_name(str(node.inputsAt(0).type()))
        if module == IDENTITY_MODULE and len(list(node.inputs())) == 2:
            return _contiguous_result(node.inputsAt(1))  # what fusion leaves in a fused ReLU's place gives its input
        return module in _CONTIGUOUS_OUTPUT_MODULES
    if node.kind() == 'aten::flatten':
        return constant_int(node.inputsAt(1)) == 1 and constant_int(node.inputsAt(2)) == -1
    return False


def tensor_op_name(node):
    """The op a node calls: an operator by its kind (aten::flatten, and those of other namespaces, e.g. quantized::add,
    which convert_fx writes for a `+` of two quantized tensors), a TorchScript function call by the function's qualified
    name (F.relu: torch.nn.functional.relu), else None (the prim:: nodes that build and read values)."""
    if node.kind() == 'prim::CallFunction':
        return str(node.inputsAt(0).type()).replace('__torch__.', '', 1)
    if not node.kind().startswith('prim::'):
        return node.kind()
    return None


def _fixed_value(value, owner):
    """What a graph value is when the graph fixes it: a prim::Constant's value, or self.<name> of the module whose method
    the graph is (owner: its attribute now, e.g. convert_fx's input scale buffer); None when the forward computes it."""
    node = value.node()
    if node.kind() == 'prim::Constant':
        return value.toIValue()
    if node.kind() == 'prim::GetAttr' and node.inputsAt(0).node().kind() == 'prim::Param' and owner is not None:
        return getattr(owner, node.s('name'), None)
    return None


def _dropout_training(train, owner):
    """The value of a dropout's train argument when the graph fixes it (a constant bool, or self.training), else None."""
    value = _fixed_value(train, owner)
    return value if isinstance(value, bool) else None


# c10::ScalarType of torch.quantize_per_tensor's dtype argument
_SCALAR_TYPES = {13: 'quint8', 12: 'qint8'}


def _number(value):
    """A Python float or int, or a one-element tensor's value; None otherwise."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return value.item()
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _quantize_args(args, owner):
    """torch.quantize_per_tensor(x, scale, zero_point, dtype), as convert_fx writes it before the first layer (its scale
    and zero point buffers of the GraphModule): the qparams when the graph fixes them, else {}."""
    scale, zero_point = _number(_fixed_value(args[1], owner)), _number(_fixed_value(args[2], owner))
    dtype = _SCALAR_TYPES.get(_fixed_value(args[3], owner))
    if scale is None or zero_point is None or dtype is None or int(zero_point) != zero_point:
        return {}
    return {'scale': float(scale), 'zero_point': int(zero_point), 'dtype': dtype}


# The conversions TorchScript inserts where a one-element tensor is passed as a float or int argument (a scripted
# convert_fx forward passes its scale and zero point buffers to quantized::add so)
_IMPLICIT_CONVERSIONS = ('aten::FloatImplicit', 'aten::IntImplicit', 'aten::ScalarImplicit')


def _unconverted(value):
    """The value an implicit conversion (_IMPLICIT_CONVERSIONS) converts, else the value itself."""
    node = value.node()
    return node.inputsAt(0) if node.kind() in _IMPLICIT_CONVERSIONS and len(list(node.inputs())) == 1 else value


def _output_qparam_args(args, at, owner):
    """An OUTPUT_QPARAM_OPS op's output scale and zero point (arguments at and at + 1) when the graph fixes them (a
    quantized::cat given None keeps its input's: {}), else {}."""
    scale, zero_point = (_number(_fixed_value(_unconverted(args[i]), owner)) for i in (at, at + 1))
    if scale is None or zero_point is None or int(zero_point) != zero_point:
        return {}
    return {'scale': float(scale), 'zero_point': int(zero_point)}


def pool_output_size(value):
    """An adaptive pool's output_size as torch's _pair takes it: an int n is [n, n], a pair its two entries, None an entry
    that keeps the input's size (JSON null); None when the forward computes it (not a constant or a list of constants)."""
    v = value if isinstance(value, (int, list, tuple)) or value is None else None
    if isinstance(v, int) and not isinstance(v, bool):
        return [v, v]
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in v):
        return list(v)
    return None


def _output_size_arg(value):
    """pool_output_size of a graph value: a prim::Constant (an int or a tuple of them), or a list / tuple the graph builds
    of constants and Nones."""
    node = value.node()
    if node.kind() == 'prim::Constant':
        return pool_output_size(value.toIValue())
    if node.kind() in ('prim::ListConstruct', 'prim::TupleConstruct'):
        entries = []
        for v in node.inputs():
            c = constant_int(v)
            if c is None and v.node().kind() == 'prim::Constant' and v.toIValue() is None:
                entries.append(None)
            elif c is None:
                return None
            else:
                entries.append(c)
        return pool_output_size(entries)
    return None


def _pair_arg(value):
    """An int-pair argument as torch's _pair takes it (an int n is [n, n]): a prim::Constant, or a list the graph builds
    of constants; [] for an empty list (avg_pool2d's default stride); None when the forward computes it."""
    node = value.node()
    if node.kind() == 'prim::Constant':
        v = value.toIValue()
    elif node.kind() in ('prim::ListConstruct', 'prim::TupleConstruct'):
        v = [constant_int(e) for e in node.inputs()]
    else:
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        return [v, v]
    if isinstance(v, (list, tuple)) and len(v) in (0, 1, 2) and all(isinstance(d, int) and not isinstance(d, bool) for d in v):
        return [v[0], v[0]] if len(v) == 1 else list(v)
    return None


def _mean_args(args):
    """A Tensor.mean's dims (a list of constant ints) and keepdim (a constant bool), when the graph fixes them and no dtype
    is asked; else {} (not modelled)."""
    dims = args[1].node()
    keepdim = _constant(args[2])
    if dims.kind() != 'prim::ListConstruct' or not isinstance(keepdim, bool) or _constant(args[3]) is not None:
        return {}
    values = [constant_int(v) for v in dims.inputs()]
    return {} if any(v is None for v in values) else {'dims': values, 'keepdim': keepdim}


def _constant(value):
    """A prim::Constant's value (a bool, an int, None), else the marker _COMPUTED."""
    return value.toIValue() if value.node().kind() == 'prim::Constant' else _COMPUTED


_COMPUTED = object()


def _pool_args(node):
    """An avg_pool2d's or max_pool2d's window as explain takes it (conformance/explain/torch_model.ts), each entry None
    where the forward computes it."""
    kind = tensor_op_name(node)
    args = list(node.inputs())
    if kind in AVG_POOL_OPS and len(args) == 7:
        kernel, stride = _pair_arg(args[1]), _pair_arg(args[2])
        divisor = _constant(args[6])
        return {'kernel': kernel, 'stride': kernel if stride == [] else stride, 'padding': _pair_arg(args[3]), 'ceil_mode': _constant(args[4]) if isinstance(_constant(args[4]), bool) else None,
                'count_include_pad': _constant(args[5]) if isinstance(_constant(args[5]), bool) else None, 'divisor_override': divisor if divisor is None or isinstance(divisor, int) else 'computed'}
    at = MAX_POOL_OPS.get(kind)
    if at is not None and len(args) >= at + 6:
        kernel, stride = _pair_arg(args[at + 1]), _pair_arg(args[at + 2])
        ceil = _constant(args[at + 6])
        return {'kernel': kernel, 'stride': kernel if stride == [] else stride, 'padding': _pair_arg(args[at + 3]), 'dilation': _pair_arg(args[at + 4]), 'ceil_mode': ceil if isinstance(ceil, bool) else None}
    return None


def tensor_op_args(node, owner=None):
    """What explain needs of a tensor op node besides its kind: a reshape's or view's target shape (reshape_dims) and,
    for a view, whether its input is a contiguous tensor; a flatten's start_dim and end_dim; a mean's dims and keepdim;
    a dropout's training flag;
    a quantize_per_tensor's qparams, and the output qparams of an OUTPUT_QPARAM_OPS op, when the graph fixes them
    (owner: the module whose method holds the node)."""
    kind = node.kind()
    args = list(node.inputs())
    if kind in OUTPUT_QPARAM_OPS and len(args) == OUTPUT_QPARAM_OPS[kind][0]:
        return _output_qparam_args(args, OUTPUT_QPARAM_OPS[kind][1], owner)
    if kind == 'prim::CallFunction' and tensor_op_name(node) in DROPOUT_OPS and len(args) >= 4:
        return {'training': _dropout_training(args[3], owner)}  # the function, input, p, training, inplace
    if kind in DROPOUT_OPS and len(args) == 3:
        return {'training': _dropout_training(args[2], owner)}  # input, p, train
    if kind == QUANTIZE_OP and len(args) == 4:
        return _quantize_args(args, owner)
    if kind in RESHAPE_OPS and len(args) == 2:
        out = {'shape': reshape_dims(args[0], args[1])}
        if kind == 'aten::view':
            out['contiguous_input'] = _contiguous_result(args[0])
        return out
    if kind == 'aten::flatten' and len(args) == 3:
        return {'start_dim': constant_int(args[1]), 'end_dim': constant_int(args[2])}
    if kind == MEAN_OP and len(args) == 4:
        return _mean_args(args)
    pool = ADAPTIVE_AVG_POOL_OPS.get(tensor_op_name(node))
    if pool is not None and len(args) == pool + 1:
        return {'output_size': _output_size_arg(args[pool])}
    return _pool_args(node) or {}
