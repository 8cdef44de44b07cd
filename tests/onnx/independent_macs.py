#!/usr/bin/python3
"""An independent count of an ONNX model's array work, for strata's import tests: Debian's
python3-onnx infers the shapes (its own implementation, not strata's), this script multiplies them
out. Where onnx stops at a Reshape whose target shape is computed by a small integer sub-graph,
the script evaluates that sub-graph itself with NumPy (its own code), pins the target as a
constant and infers again. Prints one line per Conv / ConvTranspose / Gemm / MatMul node,
"name macs", then "total N". A node whose shapes stay unknown is printed as "name unknown".

usage: independent_macs.py <model.onnx> [input=1x3x224x224 ...]
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper, shape_inference


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


def known_shapes(model):
    shapes = {}
    for v in list(model.graph.value_info) + list(model.graph.input) + list(model.graph.output):
        shapes[v.name] = dims_of(v)
    return shapes


def evaluate_constants(model, shapes):
    """Values of the small integer sub-graphs that compute shapes, evaluated with NumPy."""
    values = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    for n in model.graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
        ins = [values.get(i) for i in n.input]
        try:
            if n.op_type == "Constant" and "value" in attrs:
                out = numpy_helper.to_array(attrs["value"])
            elif n.op_type == "Shape" and shapes.get(n.input[0]) is not None:
                out = np.array(shapes[n.input[0]], dtype=np.int64)
            elif any(x is None for x in ins):
                continue
            elif n.op_type == "Gather":
                out = np.take(ins[0], ins[1], axis=attrs.get("axis", 0))
            elif n.op_type == "Concat":
                out = np.concatenate([np.atleast_1d(x) for x in ins], axis=attrs.get("axis", 0))
            elif n.op_type == "Unsqueeze":
                axes = attrs.get("axes", list(ins[1]) if len(ins) > 1 else [])
                out = ins[0]
                for a in sorted(axes):
                    out = np.expand_dims(out, a)
            elif n.op_type == "Squeeze":
                out = np.squeeze(ins[0])
            elif n.op_type == "Cast":
                out = ins[0].astype(np.int64) if ins[0].dtype.kind in "iu" else ins[0]
            elif n.op_type == "Slice":
                starts = attrs.get("starts", ins[1] if len(ins) > 1 else None)
                ends = attrs.get("ends", ins[2] if len(ins) > 2 else None)
                out = ins[0][int(starts[0]):int(min(ends[0], 2**62))]
            elif n.op_type in ("Mul", "Add", "Sub", "Div"):
                a, b = ins
                out = {"Mul": a * b, "Add": a + b, "Sub": a - b,
                       "Div": a // b if a.dtype.kind in "iu" else a / b}[n.op_type]
            else:
                continue
        except Exception:
            continue
        values[n.output[0]] = np.asarray(out)
    return values


def infer_with_folded_reshapes(model):
    for _ in range(8):
        model = shape_inference.infer_shapes(model, data_prop=True)
        shapes = known_shapes(model)
        values = evaluate_constants(model, shapes)
        changed = False
        for n in model.graph.node:
            if n.op_type != "Reshape" or shapes.get(n.output[0]) is not None:
                continue
            target = values.get(n.input[1])
            if target is None or n.input[1].endswith("_pinned"):
                continue
            pinned = n.input[1] + "_pinned"
            model.graph.initializer.append(numpy_helper.from_array(target.astype(np.int64), pinned))
            n.input[1] = pinned
            changed = True
        if not changed:
            break
    return model


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
    model = infer_with_folded_reshapes(model)
    shapes = known_shapes(model)
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
