"""Drawing a computing graph (notebooks 01 and 02), and stating its rules in words.

Works with any graph shaped like notebook 01's: ``graph.nodes`` in the order
recorded, each node with ``name``, ``kind`` ("data", "param" or "op"), ``value``,
and for operators ``op``, ``inputs`` and ``const``.
"""

import math
import numbers
import re

import matplotlib
import numpy as np

#: Okabe-Ito colours (colour-blind safe): operators blue, parameters orange, data grey, the result green.
_STYLE = {
    "op": {"facecolor": "#D6EAF8", "edgecolor": "#0072B2"},
    "param": {"facecolor": "#FCE5B4", "edgecolor": "#E69F00"},
    "data": {"facecolor": "#E8E8E8", "edgecolor": "#555555"},
    "result": {"facecolor": "#C6EBDD", "edgecolor": "#009E73"},
}

_SAG = 0.75  # how far below row 0 a skip connection's arc runs

#: The drawn size (width, height) of each kind of node, in grid units (a data box with its rounded pad).
NODE_SIZE = {"op": (0.6, 0.6), "param": (0.66, 0.42), "data": (0.52, 0.4)}

#: The widest graph figure, in pixels, as a notebook saves it: a wider one is shrunk to fit a usual notebook page.
MAX_WIDTH_PX = 1000

#: The operators whose inputs' order matters, and the marks at their input edges' ends, in input order.
_OPERAND_MARKS = {"matmul": ("L", "R")}  # the left and the right factor of the product

# op: (symbol drawn in the circle, how the result is written, how each input's gradient is written)
_OP_TEXT = {
    "matmul": ("@", "{0} {1}", ("∂J/∂{u} · {1}ᵀ", "{0}ᵀ · ∂J/∂{u}")),
    "add": ("+", "{0} + {1}", ("∂J/∂{u}", "∂J/∂{u}")),
    "sub": ("−", "{0} − {1}", ("∂J/∂{u}", "−∂J/∂{u}")),
    "relu": ("ReLU", "ReLU({0})", ("ReLU′({0}) ⊙ ∂J/∂{u}",)),
    "sqnorm": ("‖·‖²", "‖{0}‖²", ("2 {0} · ∂J/∂{u}",)),
    "scale": ("×{c}", "{c} · {0}", ("{c} · ∂J/∂{u}",)),
}


def _words(node):
    """How an operator is drawn, written and differentiated; generic words for an operator not listed above."""
    if node.op in _OP_TEXT:
        return _OP_TEXT[node.op]
    args = ", ".join(f"{{{k}}}" for k in range(len(node.inputs)))
    rules = tuple(f"{node.op}′ (input {k + 1}) · ∂J/∂{{u}}" for k in range(len(node.inputs)))
    return str(node.op)[:6], f"{node.op}({args})", rules


def checked_graph(name, graph):
    """``graph``, after checking it is a non-empty graph of nodes this module can draw."""
    nodes = getattr(graph, "nodes", None)
    if not isinstance(nodes, list) or not nodes:
        raise ValueError(f"{name} must be a non-empty computing graph (with a list of nodes), got {graph!r:.60}")
    for node in nodes:
        named = isinstance(getattr(node, "name", None), str)
        if not named or getattr(node, "kind", None) not in ("data", "param", "op"):
            raise ValueError(f"{name} holds a node this module cannot draw: {getattr(node, 'name', node)!r}")
    return graph


def node_named(graph, name):
    node = next((node for node in graph.nodes if node.name == name), None)
    if node is None:
        raise ValueError(f"name must be a node of the graph ({', '.join(n.name for n in graph.nodes)}), got {name!r}")
    return node


def paren(name):
    """A compound node name in parentheses, so that rules read unambiguously."""
    bracketed = name.startswith("‖") and name.endswith("‖²")
    return name if bracketed or re.fullmatch(r"[A-Za-z]\w*", name) else f"({name})"


def _const(c):
    return None if c is None else f"{c:g}"


def formula(graph, name):
    """How a node's value is computed, in words: 'z1 = W0 x + b0'."""
    node = node_named(checked_graph("graph", graph), name)
    if node.kind != "op":
        return f"{name}: {'parameter' if node.kind == 'param' else 'data'}"
    unary = len(node.inputs) == 1 and node.op != "scale"  # ReLU(...) and ‖...‖² need no parentheses
    names = [i.name if unary else paren(i.name) for i in node.inputs]
    text = _words(node)[1].format(*names, c=_const(node.const))
    return f"{name}  ({node.op})" if text == name else f"{name} = {text}"


def handed_back(graph, name, k):
    """What operator ``name`` hands its k-th input in the backward pass: '∂J/∂f · a2ᵀ'."""
    node = node_named(checked_graph("graph", graph), name)
    if node.kind != "op" or not 0 <= k < len(node.inputs):
        raise ValueError(f"k must name an input of the operator {name!r}, got {k!r}")
    rule = _words(node)[2][k]
    names = [i.name if f"({{{j}}})" in rule else paren(i.name) for j, i in enumerate(node.inputs)]  # no ((W x))
    return rule.format(*names, u=paren(name), c=_const(node.const))


def gradient_rule(graph, name):
    """How dJ/d(name) is computed from the gradients of the nodes that use it."""
    node = node_named(checked_graph("graph", graph), name)
    if node is graph.nodes[-1]:
        return f"∂J/∂{paren(name)} = 1"
    terms = []
    for user in graph.nodes:
        for k, inp in enumerate(user.inputs if user.kind == "op" else ()):
            if inp is node:
                terms.append(handed_back(graph, user.name, k))
    if not terms:
        return f"∂J/∂{paren(name)} = 0 ({name} does not reach J)"
    return f"∂J/∂{paren(name)} = " + " + ".join(terms)


def shape_text(value):
    """An array's shape as the figures write it: 5×1, or "scalar"."""
    return "×".join(map(str, np.shape(value))) or "scalar"


def _tex(name):
    """'W0 x' -> '$W_{0} x$', 'z1' -> '$z_{1}$', '‖f − y‖²' -> '$\\|f - y\\|^2$'."""
    text = re.sub(r"([A-Za-z])(\d+)", r"\1_{\2}", name)
    text = text.replace("−", "-").replace("‖", r"\|").replace("²", "^2")
    return f"${text}$"


def graph_layout(graph):
    """Grid positions (column, row) of every node.

    Operators run left to right on row 0, each one column after its latest
    operator input; a parameter sits above the operator that first uses it,
    data below it, and the first operator's data input (x) to its left. For a
    chain like the course model no arrows cross.
    """
    checked_graph("graph", graph)
    pos, taken, column = {}, set(), {}

    def place(name, col, row):
        rows = [row] + [r for k in range(1, 20) for r in (row - 2 * k, row + 2 * k)]
        free = next(r for r in rows if (col, r) not in taken)
        pos[name] = (col, free)
        taken.add((col, free))

    for node in graph.nodes:
        if node.kind != "op":
            continue
        op_inputs = [i for i in node.inputs if i.kind == "op"]
        column[node.name] = max((column[i.name] for i in op_inputs), default=0) + 1
        col = column[node.name]
        place(node.name, col, 0)
        leaves = [i for i in node.inputs if i.kind != "op" and i.name not in pos]
        spine = None if op_inputs else next((leaf for leaf in reversed(leaves) if leaf.kind == "data"), None)
        if spine is not None:
            place(spine.name, col - 1, 0)
            leaves.remove(spine)
        for leaf in leaves:
            place(leaf.name, col, 1 if leaf.kind == "param" else -1)
    for node in graph.nodes:  # leaves that no operator uses
        if node.name not in pos:
            place(node.name, 0, 2)
    return pos


def _natural_width(graph):
    """The figure width (inches) that gives each column of the graph 0.8 inch."""
    return 0.8 * (max(c for c, _ in graph_layout(graph).values()) + 2) + 0.3


def graph_figsize(graph, dpi=None):
    """A figure size (inches) that fits the graph's drawing at notebook width: at most MAX_WIDTH_PX
    pixels wide at ``dpi`` (default: matplotlib's figure.dpi, as the notebooks' inline backend uses)
    once saved with the 0.1 in padding of a tight bounding box; a wider graph is drawn smaller."""
    dpi = matplotlib.rcParams["figure.dpi"] if dpi is None else dpi
    if isinstance(dpi, bool) or not isinstance(dpi, numbers.Real) or not 0 < dpi < math.inf:
        raise ValueError(f"dpi must be a positive number, got {dpi!r}")
    width = _natural_width(checked_graph("graph", graph))
    shrink = min(1.0, (MAX_WIDTH_PX / dpi - 0.2) / width)
    return (width * shrink, 0.4 + 2.5 * shrink)  # the title keeps its height


def draw_graph(graph, ax, shapes=True):
    """Draw the graph on ``ax``: circles for operators, ellipses for parameters,
    boxes for data and the result J; intermediate values named; edges labelled
    with the shapes of the tensors they carry, and the two factors of a matrix
    product @ marked L (left) and R (right). Returns node name -> centre."""
    from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch

    if not hasattr(ax, "add_patch"):
        raise ValueError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    pos = graph_layout(graph)
    output = graph.nodes[-1]
    patches = {}
    # On a figure narrower than the graph's natural width, the texts shrink too (less than the drawing):
    # they keep their room between the nodes.
    zoom = min(1.0, ax.figure.bbox.width / ax.figure.dpi / _natural_width(graph)) ** 0.5
    mark_style = {"fontsize": 8 * zoom, "fontweight": "bold", "color": "#0072B2"}
    for node in graph.nodes:
        x, y = pos[node.name]
        style = _STYLE[node.kind]
        width, height = NODE_SIZE[node.kind]
        if node.kind == "op":
            patch = Circle((x, y), width / 2, linewidth=1.2, **style)
            label = _words(node)[0].format(c=_const(node.const))
        elif node.kind == "param":
            patch = Ellipse((x, y), width, height, linewidth=1.2, **style)
            label = _tex(node.name)
        else:
            patch = FancyBboxPatch((x - width / 2 + 0.04, y - height / 2 + 0.04), width - 0.08, height - 0.08,
                                   boxstyle="round,pad=0.04", linewidth=1.2, **style)
            label = _tex(node.name)
        ax.add_patch(patch)
        patches[node.name] = patch
        ax.text(x, y, label, ha="center", va="center", fontsize=(9 if node.kind == "op" else 11) * zoom,
                zorder=3)
        if node.kind == "op" and node is not output:
            ax.text(x + 0.1, y - 0.38, _tex(node.name), ha="left", va="top", fontsize=10 * zoom,
                    color="#0072B2")
    # the result J, one column after the last operator
    out_x, out_y = pos[output.name]
    result = FancyBboxPatch((out_x + 0.78, out_y - 0.16), 0.44, 0.32, boxstyle="round,pad=0.04",
                            linewidth=1.6, **_STYLE["result"])
    ax.add_patch(result)
    ax.text(out_x + 1, out_y, "$J$", ha="center", va="center", fontsize=12 * zoom, zorder=3)
    edges = [(i, n, k) for n in graph.nodes if n.kind == "op" for k, i in enumerate(n.inputs)] + [(output, None, 0)]
    for src, node, k in edges:
        dst = None if node is None else node.name
        (x0, y0), target = pos[src.name], result if dst is None else patches[dst]
        x1, y1 = (out_x + 1, out_y) if dst is None else pos[dst]
        # An input from further back along row 0 (a skip connection) arcs below the operators in between.
        skip = dst is not None and y0 == y1 == 0 and x1 - x0 > 1
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), patchA=patches[src.name], patchB=target, arrowstyle="-|>",
                                     connectionstyle=f"arc3,rad={_SAG * 2 / (x1 - x0) if skip else 0}",
                                     mutation_scale=9, linewidth=0.9, color="0.25", shrinkA=1, shrinkB=1))
        if dst is None:  # the edge into the result box carries the same value as the last operator
            continue
        marks = _OPERAND_MARKS.get(node.op, ())
        if k < len(marks):  # which operand the edge carries, at its end, on the side away from its shape
            if x0 == x1:  # from above (or below)
                ax.text(x1 + 0.06, y1 + 0.5 * np.sign(y0 - y1), marks[k], ha="left", va="center", **mark_style)
            else:  # from the left
                ax.text(x1 - 0.48, y1 - 0.06, marks[k], ha="center", va="top", **mark_style)
        if not shapes:
            continue
        shape = shape_text(src.value)
        if skip:  # under the arc's lowest point
            ax.text((x0 + x1) / 2, -_SAG - 0.05, shape, ha="center", va="top", fontsize=9 * zoom, color="0.3")
        elif y0 == y1:  # above the arrow; a word wider than the gap between two circles, above the circles
            lift = 0.28 if shape == "scalar" else 0.185
            ax.text((x0 + x1) / 2, y0 + lift, shape, ha="center", va="bottom", fontsize=9 * zoom, color="0.3")
        else:
            ax.text(x1 - 0.07, (y0 + y1) / 2, shape, ha="right", va="center", fontsize=9 * zoom, color="0.3")
    columns = [c for c, _ in pos.values()]
    rows = [r for _, r in pos.values()]
    skips = any(pos[i.name][1] == pos[n.name][1] == 0 and pos[n.name][0] - pos[i.name][0] > 1
                for n in graph.nodes if n.kind == "op" for i in n.inputs)
    bottom = min(min(rows) - 0.5, -_SAG - 0.35 if skips else 0)
    ax.set(xlim=(min(columns) - 0.45, out_x + 1.6), ylim=(bottom, max(rows) + 0.4), aspect="equal")
    ax.set_axis_off()
    pos[None] = (out_x + 1, out_y)  # where the result J is drawn
    return pos
