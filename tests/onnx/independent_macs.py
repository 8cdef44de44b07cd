#!/usr/bin/python3
"""An independent count of an ONNX model's array work, for strata's import tests: Debian's
python3-onnx infers the shapes (its own implementation, not strata's), this script multiplies them
out. Prints one line per Conv / ConvTranspose / Gemm / MatMul node, "name macs", then "total N".
A node whose shapes onnx cannot infer is printed as "name unknown".

usage: independent_macs.py <model.onnx> [input=1x3x224x224 ...]
"""
import sys

import onnx
from onnx import shape_inference


def dims_of(value_info):
    t = value_info.type.tensor_type
    if not t.HasField("shape"):
        return None
    out = []
    for d in t.shape.dim:
        if not d.HasField("dim_value") or d.dim_value <= 0:
            return None
        out.append(d.dim_value)
    return out


def main(argv):
    model = onnx.load(argv[0])
    fixed = {}
    for item in argv[1:]:
        name, dims = item.split("=")
        fixed[name] = [int(x) for x in dims.split("x")]
    for value in model.graph.input:
        if value.name in fixed:
            shape = value.type.tensor_type.shape
            for dim, size in zip(shape.dim, fixed[value.name]):
                dim.ClearField("dim_param")
                dim.dim_value = size
    model = shape_inference.infer_shapes(model, data_prop=True)
    shapes = {}
    for v in list(model.graph.value_info) + list(model.graph.input) + list(model.graph.output):
        shapes[v.name] = dims_of(v)
    for t in model.graph.initializer:
        shapes[t.name] = list(t.dims)
    for n in model.graph.node:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    shapes[n.output[0]] = list(a.t.dims)
    total = 0
    for i, n in enumerate(model.graph.node):
        if n.op_type not in ("Conv", "ConvTranspose", "Gemm", "MatMul"):
            continue
        name = n.name or "%s_%d" % (n.op_type, i)
        a, b, y = shapes.get(n.input[0]), shapes.get(n.input[1]), shapes.get(n.output[0])
        if a is None or b is None or y is None:
            print(name, "unknown")
            continue
        prod = lambda xs: eval("*".join(str(x) for x in xs) or "1")
        group = next((at.i for at in n.attribute if at.name == "group"), 1)
        if n.op_type == "Conv":
            macs = prod(y) * (a[1] // group) * prod(b[2:])
        elif n.op_type == "ConvTranspose":
            macs = prod(a) * (b[1]) * prod(b[2:])
        elif n.op_type == "Gemm":
            trans_a = next((at.i for at in n.attribute if at.name == "transA"), 0)
            k = a[0] if trans_a else a[1]
            macs = prod(y) * k
        else:
            macs = prod(y) * a[-1]
        total += macs
        print(name, macs)
    print("total", total)


if __name__ == "__main__":
    main(sys.argv[1:])
