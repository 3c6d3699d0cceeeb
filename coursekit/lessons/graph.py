"""Generated from notebooks/01_computing_graph.ipynb by tools/export_lessons.py.

Edit the notebook's #@save cells, not this file.
"""

import numpy as np


class Node:
    """One value of a computing graph: data, a parameter, or an operator's result."""

    def __init__(self, graph, name, kind, value, op=None, inputs=(), const=None):
        self.graph, self.name, self.kind, self.value = graph, name, kind, value
        self.op, self.inputs, self.const = op, inputs, const  # an operator's name, input nodes, constant
        self.pass_back = None  # an operator's: its result's gradient in, its inputs' gradients out


class Graph:
    """The nodes in the order the forward pass recorded them: every node after its inputs."""

    def __init__(self):
        self.nodes = []

    def record(self, name, kind, value, op=None, inputs=(), const=None):
        node = Node(self, name or f"t{len(self.nodes)}", kind, value, op, inputs, const)
        self.nodes.append(node)
        return node

    def data(self, name, value):
        return self.record(name, "data", np.array(value, dtype=float))  # a float64 copy

    def param(self, name, value):
        return self.record(name, "param", np.array(value, dtype=float))

    @property
    def output(self):
        return self.nodes[-1]


def matmul(A, B, name=None):
    out = A.graph.record(name, "op", A.value @ B.value, "matmul", (A, B))  # u = A B
    out.pass_back = lambda up: (up @ B.value.T, A.value.T @ up)  # Ā = ū Bᵀ, B̄ = Aᵀ ū
    return out


def add(a, b, name=None):
    out = a.graph.record(name, "op", a.value + b.value, "add", (a, b))  # u = a + b
    out.pass_back = lambda up: (up, up)  # ā = ū, b̄ = ū
    return out


def sub(a, b, name=None):
    out = a.graph.record(name, "op", a.value - b.value, "sub", (a, b))  # u = a − b
    out.pass_back = lambda up: (up, -up)  # ā = ū, b̄ = −ū
    return out


def relu(z, name=None):
    out = z.graph.record(name, "op", np.maximum(z.value, 0), "relu", (z,))  # u = ReLU(z)
    out.pass_back = lambda up: ((z.value > 0) * up,)  # z̄ = [z > 0] ⊙ ū, taking ReLU′(0) = 0
    return out


def sqnorm(d, name=None):
    out = d.graph.record(name, "op", np.sum(d.value**2), "sqnorm", (d,))  # u = ‖d‖²
    out.pass_back = lambda up: (2 * d.value * up,)  # d̄ = 2 d ū
    return out


def scale(c, a, name=None):
    out = a.graph.record(name, "op", c * a.value, "scale", (a,), const=c)  # u = c a, c a fixed number (not a node)
    out.pass_back = lambda up: (c * up,)  # ā = c ū
    return out


def course_graph(params, x, y):
    """Compute J(theta, x) for the course model, recording its graph; any number of layers."""
    graph = Graph()
    a, target = graph.data("x", x), graph.data("y", y)
    layers = len(params) // 2  # params holds W0, b0, W1, b1, ...
    for i in range(layers):
        W, b = graph.param(f"W{i}", params[f"W{i}"]), graph.param(f"b{i}", params[f"b{i}"])
        product = matmul(W, a, name=f"W{i} {a.name}")
        if i < layers - 1:  # a hidden layer: z = W a + b, a = ReLU(z)
            a = relu(add(product, b, name=f"z{i + 1}"), name=f"a{i + 1}")
        else:  # the output layer is linear: f = W a + b
            f = add(product, b, name="f")
    scale(0.5, sqnorm(sub(f, target, name="f − y"), name="‖f − y‖²"), name="J")
    return graph


def backward(graph):
    """dJ/d(node) for every node of the graph, J being its last node (a scalar)."""
    grads = {node.name: np.zeros_like(node.value) for node in graph.nodes}
    grads[graph.output.name] = np.ones_like(graph.output.value)  # dJ/dJ = 1
    for node in reversed(graph.nodes):  # every user of a node comes after it
        if node.kind == "op":
            for inp, part in zip(node.inputs, node.pass_back(grads[node.name])):
                grads[inp.name] = grads[inp.name] + part  # a value used twice collects both parts
    return grads
