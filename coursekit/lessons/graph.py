"""Generated from notebooks/01_computing_graph.ipynb by tools/export_lessons.py.

Edit the notebook's #@save cells, not this file.
"""

import numpy as np


class Node:
    """One value of a computing graph: data, a parameter, or an operator's result."""

    def __init__(self, graph, name, kind, value, op=None, inputs=(), local=None, const=None):
        self.graph, self.name, self.kind, self.value = graph, name, kind, value
        self.op, self.inputs, self.local, self.const = op, inputs, local, const


class Graph:
    """The nodes in the order the forward pass recorded them: every node after its inputs."""

    def __init__(self):
        self.nodes = []

    def record(self, name, kind, value, **how):
        node = Node(self, name or f"t{len(self.nodes)}", kind, value, **how)
        self.nodes.append(node)
        return node

    def data(self, name, value):
        return self.record(name, "data", np.array(value, dtype=float))

    def param(self, name, value):
        return self.record(name, "param", np.array(value, dtype=float))

    @property
    def output(self):
        return self.nodes[-1]


def matmul(A, B, name=None):
    return A.graph.record(name, "op", A.value @ B.value, op="matmul", inputs=(A, B),
                          local=lambda g: (g @ B.value.T, A.value.T @ g))


def add(a, b, name=None):
    return a.graph.record(name, "op", a.value + b.value, op="add", inputs=(a, b), local=lambda g: (g, g))


def sub(a, b, name=None):
    return a.graph.record(name, "op", a.value - b.value, op="sub", inputs=(a, b), local=lambda g: (g, -g))


def relu(z, name=None):  # ReLU'(0) is taken as 0
    return z.graph.record(name, "op", np.maximum(z.value, 0), op="relu", inputs=(z,),
                          local=lambda g: ((z.value > 0) * g,))


def sqnorm(d, name=None):
    return d.graph.record(name, "op", np.sum(d.value**2), op="sqnorm", inputs=(d,), local=lambda g: (2 * d.value * g,))


def scale(c, a, name=None):
    return a.graph.record(name, "op", c * a.value, op="scale", inputs=(a,), local=lambda g: (c * g,), const=c)


def course_graph(params, x, y):
    """Compute J(theta, x) for the course model, recording its graph; any number of layers."""
    g = Graph()
    a, target = g.data("x", x), g.data("y", y)
    n = len(params) // 2
    for i in range(n):
        W, b = g.param(f"W{i}", params[f"W{i}"]), g.param(f"b{i}", params[f"b{i}"])
        product = matmul(W, a, name=f"W{i} {a.name}")
        if i < n - 1:
            a = relu(add(product, b, name=f"z{i + 1}"), name=f"a{i + 1}")
        else:
            f = add(product, b, name="f")
    scale(0.5, sqnorm(sub(f, target, name="f − y"), name="‖f − y‖²"), name="J")
    return g


def backward(graph):
    """dJ/d(node) for every node of the graph, J being its last node (a scalar)."""
    grads = {node.name: np.zeros_like(node.value) for node in graph.nodes}
    grads[graph.output.name] = np.ones_like(graph.output.value)  # dJ/dJ = 1
    for node in reversed(graph.nodes):  # every user of a node comes after it
        if node.kind == "op":
            for inp, part in zip(node.inputs, node.local(grads[node.name])):
                grads[inp.name] = grads[inp.name] + part  # a value used twice collects both parts
    return grads
