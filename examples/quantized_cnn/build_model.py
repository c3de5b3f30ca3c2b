#!/usr/bin/python3
"""Builds the small quantized CNN that `qconform explain` is shown on (README, "The question qconform answers").

    /usr/bin/python3 examples/quantized_cnn/build_model.py

Seeded random weights (no model hub), calibrated on seeded random data, converted with torch 1.13 eager mode
on the qnnpack engine, then written next to this file:
  model.pt       TorchScript of the converted model (torch.jit.save)
  model.onnx     torch.onnx.export of the same converted model (opset 13: torch 1.13 writes QDQ, i.e.
                 QuantizeLinear/DequantizeLinear around float Conv and Gemm)
  observers.pt   the prepared model's observers (explain_ops.observer_state): min_val, max_val, quant_min,
                 quant_max, reduce_range, HistogramObserver's histogram, and the weight observers
  input.npy      one seeded input batch [1, 3, 16, 16] float32, drawn apart from the calibration data
The activation observers are HistogramObserver(reduce_range=True): quant range [0, 127] of quint8, so the
fake-quant model clamps where the converted kernels (which clamp to [0, 255]) do not.
"""

import os
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'conformance', 'backends', 'torch', 'python'))
from explain_ops import observer_state  # noqa: E402

torch.manual_seed(20261204)
torch.set_num_threads(1)
torch.backends.quantized.engine = 'qnnpack'
Q = torch.ao.quantization


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = Q.QuantStub()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.conv3 = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.fc = nn.Linear(16 * 4 * 4, 10)
        self.dequant = Q.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        x = self.conv3(x)
        x = torch.flatten(x, 1)
        return self.dequant(self.fc(x))


def main():
    model = SmallCnn().eval()
    model.qconfig = Q.QConfig(activation=Q.HistogramObserver.with_args(reduce_range=True), weight=Q.default_weight_observer)
    Q.fuse_modules(model, [['conv1', 'relu1'], ['conv2', 'relu2']], inplace=True)
    prepared = Q.prepare(model)
    with torch.no_grad():
        for _ in range(8):
            prepared(torch.randn(4, 3, 16, 16))
    torch.save(observer_state(prepared), os.path.join(HERE, 'observers.pt'))
    converted = Q.convert(prepared)
    torch.jit.save(torch.jit.script(converted), os.path.join(HERE, 'model.pt'))
    x = torch.randn(1, 3, 16, 16) * 1.5
    np.save(os.path.join(HERE, 'input.npy'), x.numpy().astype(np.float32))
    torch.onnx.export(converted, x, os.path.join(HERE, 'model.onnx'), opset_version=13, input_names=['x'], output_names=['y'])
    print('wrote model.pt, model.onnx, observers.pt, input.npy in', HERE)


if __name__ == '__main__':
    main()
