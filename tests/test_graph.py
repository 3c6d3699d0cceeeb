"""Notebook 01's graph engine (its #@save cells, in coursekit.lessons.graph), its drawing and its words."""

import io
import itertools
import types
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

import helpers as h
from coursekit.graph_drawing import MAX_WIDTH_PX, graph_layout
from coursekit.lessons.graph import Graph, add, matmul, relu, scale, sqnorm

ROOT = Path(__file__).resolve().parents[1]

MODELS = [((4, 5, 3, 2), 0), ((3, 1), 1), ((2, 4, 4, 4, 1), 2), ((1, 3, 3), 3), ((6, 8, 2, 3), 4)]


def sample(sizes, seed):
    rng = np.random.default_rng(100 + seed)
    return h.init_params(sizes, seed), rng.normal(size=(sizes[0], 1)), rng.normal(size=(sizes[-1], 1))


def forward(params, x, y):
    n = len(params) // 2
    for i in range(n - 1):
        x = np.maximum(params[f"W{i}"] @ x + params[f"b{i}"], 0)
    return 0.5 * np.sum((params[f"W{n - 1}"] @ x + params[f"b{n - 1}"] - y) ** 2)


def check_gradients(build, leaves):
    grads = h.backward(build())
    assert sum(np.any(grads[name] != 0) for name in leaves) >= len(leaves) / 2, "mostly zero: the check proves little"
    for name, value in leaves.items():
        numeric = h.numeric_gradient(lambda: build().output.value, value)
        err = h.relative_error(grads[name], numeric)
        assert err < 1e-7, f"dJ/d{name}: relative error {err:.1e}"


@pytest.mark.parametrize("sizes,seed", MODELS)
def test_graph_forward_matches_numpy(sizes, seed):
    params, x, y = sample(sizes, seed)
    graph = h.course_graph(params, x, y)
    assert graph.output.value == pytest.approx(forward(params, x, y), rel=1e-14)
    assert sum(node.kind == "op" for node in graph.nodes) == 3 * (len(sizes) - 2) + 2 + 3
    position = {node.name: i for i, node in enumerate(graph.nodes)}
    assert all(position[i.name] < position[node.name] for node in graph.nodes for i in node.inputs)


@pytest.mark.parametrize("sizes,seed", MODELS)
def test_graph_gradients_match_finite_differences(sizes, seed):
    params, x, y = sample(sizes, seed)
    check_gradients(lambda: h.course_graph(params, x, y), {**params, "x": x, "y": y})


def test_value_used_twice_accumulates():
    rng = np.random.default_rng(7)
    x, W = rng.normal(size=(3, 1)), rng.normal(size=(2, 3))

    def build():
        g = Graph()
        xn, Wn = g.data("x", x), g.param("W", W)
        a = relu(matmul(Wn, xn, name="u"), name="a")
        v = add(a, a, name="v")  # a used twice
        w = add(matmul(Wn, xn, name="u2"), v, name="w")  # W and x used twice
        scale(0.5, sqnorm(w, name="s"), name="J")
        return g

    check_gradients(build, {"W": W, "x": x})
    graph = build()
    assert "+" in h.gradient_rule(graph, "a") and "+" in h.gradient_rule(graph, "W")
    grads = h.backward(graph)
    assert np.allclose(grads["a"], 2 * grads["v"])


def test_graph_does_not_alias_caller_arrays():
    params, x, y = sample((3, 2), 0)
    graph = h.course_graph(params, x, y)
    graph.nodes[0].value[0, 0] += 1.0
    assert graph.nodes[0].name == "x" and graph.nodes[0].value[0, 0] != x[0, 0]


def test_words():
    params, x, y = sample((4, 5, 3, 2), 0)
    graph = h.course_graph(params, x, y)
    assert h.formula(graph, "z1") == "z1 = (W0 x) + b0"
    assert h.formula(graph, "a1") == "a1 = ReLU(z1)"
    assert h.formula(graph, "W0") == "W0: parameter" and h.formula(graph, "x") == "x: data"
    assert h.formula(graph, "J") == "J = 0.5 · ‖f − y‖²"
    assert h.gradient_rule(graph, "J") == "∂J/∂J = 1"
    assert h.gradient_rule(graph, "W0") == "∂J/∂W0 = ∂J/∂(W0 x) · xᵀ"
    assert h.gradient_rule(graph, "z1") == "∂J/∂z1 = ReLU′(z1) ⊙ ∂J/∂a1"
    with pytest.raises(ValueError) as error:
        h.formula(graph, "W7")
    assert str(error.value).startswith("name must be a node of the graph (x, y, W0, b0, ")


def test_draw_graph_names_a_wrong_axes_and_keeps_its_texts_natural_on_a_wide_figure():
    """A figure wider than the graph's natural width draws the texts at their natural size, not larger;
    something else than an Axes is refused by its type."""
    from matplotlib.figure import Figure

    graph = h.course_model_graph()
    with pytest.raises(ValueError) as error:
        h.draw_graph(graph, "axes")
    assert str(error.value) == "ax must be a matplotlib Axes, got str"
    ax = Figure(figsize=(30, 4)).add_subplot()
    h.draw_graph(graph, ax)
    assert max(text.get_fontsize() for text in ax.texts) == 12  # the result J's, unscaled


def test_course_layout_has_no_crossings():
    params, x, y = sample((4, 5, 3, 2), 0)
    graph = h.course_graph(params, x, y)
    pos = graph_layout(graph)
    assert len(set(pos.values())) == len(pos), "two nodes share a place"
    assert pos["x"] == (0, 0) and pos["y"][1] == -1
    assert all(pos[n.name][1] == 1 for n in graph.nodes if n.kind == "param")
    for node in graph.nodes:
        for inp in node.inputs:
            (c0, r0), (c1, r1) = pos[inp.name], pos[node.name]
            # every edge joins neighbouring columns on the spine, or is vertical: none can cross
            assert (r0 == r1 == 0 and c1 == c0 + 1) or (c0 == c1 and r1 == 0), (inp.name, node.name)


def test_graph_explorer_steps_through_both_passes():
    """One operator per step: forwards in the recorded order, stating the value it computes; backwards in
    the reverse order (as backward runs), stating what it hands each input, with the gradients backward
    returned."""
    graph = h.course_model_graph()
    grads = h.backward(graph)
    ops = [node for node in graph.nodes if node.kind == "op"]
    explorer = h.graph_explorer(graph, h.backward)
    assert explorer.choices("step") == [1, len(ops)] == [1, 11]
    seen = set()
    for direction, order in (("forward", ops), ("backward", ops[::-1])):
        for step, node in enumerate(order, start=1):
            explorer.set(direction=direction, step=step)
            seen.add(explorer.png)
            assert explorer.state["node"] is node
            assert f"step {step} of 11: {node.op}" in explorer.text
            shown = [node.value] if direction == "forward" else [grads[inp.name] for inp in node.inputs]
            assert all(f"{np.ravel(value)[0]:+.3f}" in explorer.text for value in shown)
    assert len(seen) == 2 * len(ops), "every step must show a different figure"
    assert explorer.state["node"].name == "W0 x"
    assert "→ x gets W0ᵀ · ∂J/∂(W0 x): that is ∂J/∂x, 4×1" in explorer.text


def test_the_stepper_hands_a_shared_value_its_parts_in_backward_order():
    """A value that feeds two operators gets a part from each, the second completing its gradient."""
    rng = np.random.default_rng(0)
    graph = Graph()
    a = relu(matmul(graph.param("W", rng.normal(size=(3, 4))), graph.data("x", rng.normal(size=(4, 1))), name="W x"),
             name="a")
    scale(0.5, sqnorm(add(matmul(graph.param("V", rng.normal(size=(3, 3))), a, name="V a"), a, name="s"), name="q"),
          name="J")
    grads = h.backward(graph)
    explorer = h.graph_explorer(graph, h.backward, direction="backward")
    explorer.set(step=3)  # s = V a + a
    assert explorer.state["node"].name == "s"
    assert f"→ a gets ∂J/∂s, part 1 of 2 of its gradient: 3×1 [{np.ravel(grads['s'])[0]:+.3f}" in explorer.text
    explorer.set(step=4)  # V a
    assert (f"→ a gets Vᵀ · ∂J/∂(V a): its last part of 2, which completes ∂J/∂a, 3×1 "
            f"[{np.ravel(grads['a'])[0]:+.3f}") in explorer.text
    assert "hands the gradient of V a to V and a" in explorer.text


def test_the_rings_touch_no_label():
    """At every step the rings around the current operator and its inputs stay clear of every label."""
    explorer = h.graph_explorer(h.course_model_graph(), h.backward)
    ax, renderer = explorer.fig.axes[0], explorer.fig.canvas.get_renderer()
    for direction in ("forward", "backward"):
        for step in range(1, explorer.choices("step")[1] + 1):
            explorer.set(step=step, direction=direction)
            for ring in [explorer.ring, *explorer.input_rings]:
                if not ring.get_visible():
                    continue
                outline = ring.get_verts()  # in pixels
                half_line = ring.get_linewidth() * explorer.fig.dpi / 72 / 2
                cx, cy = ax.transData.transform(ring.center)
                for text in ax.texts:
                    box = text.get_window_extent(renderer)
                    if box.contains(cx, cy):
                        continue  # the node's own label, inside its ring
                    dx = np.maximum(np.maximum(box.x0 - outline[:, 0], outline[:, 0] - box.x1), 0)
                    dy = np.maximum(np.maximum(box.y0 - outline[:, 1], outline[:, 1] - box.y1), 0)
                    gap = np.hypot(dx, dy).min() - half_line
                    assert gap >= 1, f"step {step}: a ring comes within {gap:.1f} px of {text.get_text()!r}"


def node_outline(ax, point, rings):
    """The outline (grid units) of the node drawn at ``point``: the patch centred there, not an arrow or a ring."""
    from matplotlib.patches import FancyArrowPatch

    to_grid = ax.transData.inverted()
    for patch in ax.patches:
        if isinstance(patch, FancyArrowPatch) or patch in rings:
            continue
        outline = to_grid.transform(patch.get_verts())
        if np.allclose((outline.min(0) + outline.max(0)) / 2, point):
            return outline
    raise LookupError(point)


def test_the_rings_go_round_every_node_clear_of_its_outline():
    """Each ring is drawn outside its node all round, in the node's shape: around a parameter's ellipse, an
    ellipse (a circle as wide would meet it at its ends), a few pixels out."""
    explorer = h.graph_explorer(h.course_model_graph(), h.backward)
    ax, rings = explorer.fig.axes[0], [explorer.ring, *explorer.input_rings]
    pixels = ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]  # per grid unit
    ringed = set()
    for direction, step in itertools.product(("forward", "backward"), range(1, explorer.choices("step")[1] + 1)):
        explorer.draw(explorer.compute(step=step, direction=direction))
        for ring in rings:
            if not ring.get_visible():
                continue
            (cx, cy), a, b = ring.center, ring.width / 2, ring.height / 2
            x, y = node_outline(ax, ring.center, rings).T
            assert np.max(((x - cx) / a) ** 2 + ((y - cy) / b) ** 2) <= 0.9, (step, direction, ring.center)
            node = next(n for n in explorer.graph.nodes if explorer.pos[n.name] == tuple(ring.center))
            if node.kind == "param":
                lines = (ring.get_linewidth() + 1.2) / 2 * explorer.fig.dpi / 72  # half of each, in pixels
                gaps = np.array([a - np.ptp(x) / 2, b - np.ptp(y) / 2]) * pixels - lines
                assert np.all(gaps >= 2), f"the ring around {node.name} is {gaps.min():.1f} px off its ellipse"
            ringed.add(node.kind)
    assert ringed == {"op", "param", "data"}


def test_a_matrix_products_operands_are_marked_left_and_right():
    """At its input edges' ends, each @ marks which factor is which: L for the left one (the weights, from
    above), R for the right one (from the left): W0 x is W0 @ x."""
    import matplotlib.pyplot as plt

    graph = h.course_model_graph()
    fig, ax = plt.subplots(figsize=h.graph_figsize(graph))
    pos = h.draw_graph(graph, ax)
    products = [node for node in graph.nodes if node.kind == "op" and node.op == "matmul"]

    def distance(point, start, end):  # from point to the segment start-end
        t = np.clip(np.dot(point - start, end - start) / np.dot(end - start, end - start), 0, 1)
        return np.linalg.norm(point - start - t * (end - start))

    for mark in "LR":
        assert sum(text.get_text() == mark for text in ax.texts) == len(products) == 3
    for node, (k, mark) in itertools.product(products, enumerate("LR")):
        end = np.array(pos[node.name])
        (text,) = [t for t in ax.texts if t.get_text() == mark and np.linalg.norm(t.get_position() - end) < 0.6]
        point = np.array(text.get_position())
        this, other = (distance(point, np.array(pos[node.inputs[j].name]), end) for j in (k, 1 - k))
        assert this < 0.1 < other, (node.name, mark)
    plt.close(fig)


@pytest.mark.parametrize("sizes", [(4, 5, 3, 2), (4, 6, 5, 4, 2), (3, 8, 8, 8, 8, 8, 8, 1)])
def test_graph_figures_are_at_most_1000_pixels_wide(sizes):
    """Notebook 01's figures (its deep graph, layer sizes (4, 6, 5, 4, 2), among them), saved as the inline
    backend saves them (at figure.dpi, 100, in a tight box), are at most 1000 pixels wide, and their texts
    (smaller on a narrowed figure) do not overlap; so is the stepper. A much deeper graph fits too, if cramped."""
    import matplotlib.pyplot as plt

    graph = h.course_graph(*sample(sizes, 0))
    with matplotlib.rc_context({"figure.dpi": 100}):
        assert h.graph_figsize(graph)[0] * 100 <= MAX_WIDTH_PX
        fig, ax = plt.subplots(figsize=h.graph_figsize(graph), layout="constrained")
        h.draw_graph(graph, ax)
        ax.set_title(f"Layer sizes {sizes}: 14 operators, 8 parameter arrays")
        saved = io.BytesIO()
        fig.savefig(saved, format="png", bbox_inches="tight")
    assert MAX_WIDTH_PX == 1000 and 600 < Image.open(saved).size[0] <= 1000
    renderer = fig.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    assert len(sizes) > 5 or not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    plt.close(fig)
    assert all(h.graph_figsize(graph, dpi=dpi)[0] * dpi <= 1000 for dpi in (72, 96, 144, 200))
    assert h.graph_explorer(graph, h.backward).fig.canvas.get_width_height()[0] <= 1000


def leaves_only():
    graph = Graph()
    graph.data("x", 1.0)
    return graph


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: h.graph_explorer("not a graph", h.backward), "graph"),
        (lambda: h.graph_explorer(Graph(), h.backward), "graph"),
        (lambda: h.graph_explorer(leaves_only(), h.backward), "graph"),
        (lambda: h.graph_explorer(h.course_model_graph(), "backward"), "backward"),
        (lambda: h.graph_explorer(h.course_model_graph(), lambda g: {}), "backward"),
        (lambda: h.graph_explorer(h.course_model_graph(), h.backward, direction="sideways"), "direction"),
        (lambda: h.graph_explorer(h.course_model_graph(), h.backward, equations={"W9": "(1)"}), "name"),
        (lambda: h.draw_graph(h.course_model_graph(), "not an axes"), "ax"),
        (lambda: h.graph_figsize(h.course_model_graph(), dpi=0), "dpi"),
        (lambda: h.graph_figsize(h.course_model_graph(), dpi="96"), "dpi"),
        (lambda: h.graph_figsize("not a graph"), "graph"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()


def test_a_new_operator_is_drawn_and_stepped_through():
    """A student who adds an operator (say tanh) to the engine still gets figures, words and the stepper."""
    rng = np.random.default_rng(3)
    x, W = rng.normal(size=(3, 1)), rng.normal(size=(2, 3))

    def tanh(z, name=None):
        out = z.graph.record(name, "op", np.tanh(z.value), "tanh", (z,))
        out.pass_back = lambda up: ((1 - np.tanh(z.value) ** 2) * up,)
        return out

    def build():
        graph = Graph()
        scale(0.5, sqnorm(tanh(matmul(graph.param("W", W), graph.data("x", x), name="W x"), name="t"), name="s"),
              name="J")
        return graph

    check_gradients(build, {"W": W, "x": x})
    graph = build()
    assert h.formula(graph, "t") == "t = tanh(W x)"
    assert h.gradient_rule(graph, "W x") == "∂J/∂(W x) = tanh′ (input 1) · ∂J/∂t"
    explorer = h.graph_explorer(graph, h.backward, direction="backward")
    explorer.set(step=3)
    assert explorer.state["node"].name == "t" and "→ W x gets tanh′ (input 1) · ∂J/∂t" in explorer.text


def test_the_explorers_graph_is_the_one_notebooks_01_and_02_build():
    """h.course_model_graph (the explorers' graph in EXPLORERS) is notebook 01's: its set-up lines, run here."""
    path = ROOT / "notebooks" / "01_computing_graph.ipynb"
    cell = next(c for c in nbformat.read(path, as_version=4).cells if c.id == "cell-05")
    space = {"h": h, "np": np}
    exec(compile(cell.source.split("\n\ngraph = ")[0], path, "exec"), space)  # SIZES, params, rng, x, y
    built = h.course_graph(space["params"], space["x"], space["y"])
    ours = h.course_model_graph()
    assert [n.name for n in built.nodes] == [n.name for n in ours.nodes]
    assert all(np.array_equal(a.value, b.value) for a, b in zip(built.nodes, ours.nodes, strict=True))


def test_a_skip_connection_arcs_below_the_operators_it_skips():
    """A value that feeds an operator two columns on (notebook 01's skip connection) is drawn as an arc
    under the operators between, inside the axes, with its shape under it; every other edge is straight."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    from coursekit.graph_drawing import draw_graph

    rng = np.random.default_rng(0)
    graph = Graph()
    a = relu(matmul(graph.param("W", rng.normal(size=(3, 4))), graph.data("x", rng.normal(size=(4, 1))), name="W x"),
             name="a")
    scale(0.5, sqnorm(add(matmul(graph.param("V", rng.normal(size=(3, 3))), a, name="V a"), a, name="s"), name="q"),
          name="J")
    fig, ax = plt.subplots()
    pos = draw_graph(graph, ax)
    fig.canvas.draw()
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    lowest = [ax.transData.inverted().transform(p.get_window_extent().get_points())[:, 1].min() for p in arrows]
    arcs = [low for low in lowest if low < -0.1]
    assert len(arrows) == 10 and len(arcs) == 1
    assert ax.get_ylim()[0] < arcs[0] < -0.6
    under = [t for t in ax.texts if t.get_text() == "3×1" and t.get_position()[1] < arcs[0]]
    assert len(under) == 1 and under[0].get_position() == ((pos["a"][0] + pos["s"][0]) / 2, -0.8)
    assert under[0].get_ha() == "center" and under[0].get_va() == "top"
    sizes = {t.get_fontsize() for t in ax.texts if t.get_color() == "0.3"}  # every edge's shape, one size
    assert under[0].get_color() == "0.3" and len(sizes) == 1
    assert ax.get_ylim()[0] == pytest.approx(-1.1)  # room for the arc and the shape under it
    assert pos[None] == (pos["J"][0] + 1, 0)  # where the result J is drawn
    beside = [t for t in ax.texts if t.get_text() == "3×3"]  # V's shape, beside its vertical edge, half way up
    assert [t.get_position() for t in beside] == [(pos["V a"][0] - 0.07, 0.5)]
    plt.close(fig)


def test_without_shapes_every_product_still_marks_its_factors_and_no_arc_leaves_room_below():
    import matplotlib.pyplot as plt

    graph = h.course_model_graph()
    fig, ax = plt.subplots(figsize=h.graph_figsize(graph))
    h.draw_graph(graph, ax, shapes=False)
    assert sorted(t.get_text() for t in ax.texts if t.get_text() in "LR") == ["L"] * 3 + ["R"] * 3
    assert not any(t.get_color() == "0.3" for t in ax.texts)  # no shape written
    assert ax.get_ylim()[0] == -1.5  # the lowest row, data at -1, and half a row
    plt.close(fig)


def fake_graph(*nodes):
    return types.SimpleNamespace(nodes=list(nodes))


def fake_node(name, kind, *inputs, op=None):
    return types.SimpleNamespace(name=name, kind=kind, inputs=list(inputs), op=op, const=None)


def test_layout_stacks_an_operators_leaves_alternately_and_places_each_node_once():
    """Parameters of one operator go above it, then below, then further out in turn; a leaf or an operator
    that a later operator uses again keeps its first place."""
    params = [fake_node(f"p{k}", "param") for k in range(5)]
    f = fake_node("f", "op", *params, op="f")
    g = fake_node("g", "op", f, params[0], op="g")
    pos = graph_layout(fake_graph(*params, f, g))
    assert [pos[p.name] for p in params] == [(1, 1), (1, -1), (1, 3), (1, -3), (1, 5)]
    assert pos["f"] == (1, 0) and pos["g"] == (2, 0)


def test_only_a_skip_connection_makes_room_below_the_operators():
    """A chain with no data below it and a parameter used again two operators on (not a skip connection: it
    comes from above) keeps the frame half a row under the operators."""
    w = fake_node("W", "param")
    first = fake_node("f", "op", w, op="f")
    second = fake_node("g", "op", first, op="g")
    ax = Figure().add_subplot()
    h.draw_graph(fake_graph(w, first, second, fake_node("k", "op", second, w, op="k")), ax, shapes=False)
    assert ax.get_ylim() == (-0.5, 1.4)


def test_an_operator_the_course_does_not_know_gets_generic_words():
    x, y = fake_node("x", "data"), fake_node("y", "data")
    graph = fake_graph(x, y, fake_node("h", "op", x, y, op="hypotenuse"))
    assert h.formula(graph, "h") == "h = hypotenuse(x, y)"
    assert h.gradient_rule(graph, "x") == "∂J/∂x = hypotenuse′ (input 1) · ∂J/∂h"
    fig = Figure()
    ax = fig.add_subplot()
    h.draw_graph(graph, ax, shapes=False)
    assert "hypote" in [t.get_text() for t in ax.texts]  # the operator's circle: its name's first 6 letters


@pytest.mark.parametrize(("graph", "message"), [
    (fake_graph(), "graph must be a non-empty computing graph (with a list of nodes), got "),
    (fake_graph(fake_node("q", "weird")), "graph holds a node this module cannot draw: 'q'"),
    (fake_graph(types.SimpleNamespace(name="q")), "graph holds a node this module cannot draw: 'q'"),
    (fake_graph(5), "graph holds a node this module cannot draw: 5"),
])
def test_a_graph_that_cannot_be_drawn_is_named(graph, message):
    with pytest.raises(ValueError) as error:
        graph_layout(graph)
    assert str(error.value).startswith(message)


def words_graph():
    """Compound names everywhere, and a product that never reaches J: the rules' words must bracket them."""
    graph = Graph()
    a, b = graph.param("a", np.ones((2, 1))), graph.param("b", np.ones((2, 1)))
    W = graph.param("W", np.eye(2))
    matmul(W, a, name="W a")  # unused: it does not reach J
    s = add(a, b, name="a + b")
    product = matmul(W, s, name="W (a + b)")
    left = matmul(graph.param("V", np.eye(2)), relu(product, name="r"), name="V r")
    scale(0.5, sqnorm(add(left, s, name="V r + (a + b)"), name="‖·‖"), name="J")
    return graph


def test_the_rules_bracket_compound_names_and_name_what_does_not_reach_j():
    from coursekit.graph_drawing import handed_back, paren

    graph = words_graph()
    assert handed_back(graph, "W (a + b)", 1) == "Wᵀ · ∂J/∂(W (a + b))"
    assert handed_back(graph, "W (a + b)", 0) == "∂J/∂(W (a + b)) · (a + b)ᵀ"
    assert handed_back(graph, "r", 0) == "ReLU′(W (a + b)) ⊙ ∂J/∂r"  # the rule's own parentheses suffice
    assert handed_back(graph, "J", 0) == "0.5 · ∂J/∂J"
    assert h.gradient_rule(graph, "W a") == "∂J/∂(W a) = 0 (W a does not reach J)"
    assert h.gradient_rule(graph, "a + b") == "∂J/∂(a + b) = Wᵀ · ∂J/∂(W (a + b)) + ∂J/∂(V r + (a + b))"
    twice = Graph()
    a = relu(twice.param("W", np.eye(2)), name="a")
    scale(0.5, sqnorm(add(a, a, name="a + a"), name="s"), name="J")
    assert h.gradient_rule(twice, "a") == "∂J/∂a = ∂J/∂(a + a) + ∂J/∂(a + a)"
    assert h.formula(graph, "J") == "J = 0.5 · (‖·‖)" and h.formula(twice, "J") == "J = 0.5 · s"
    scaled = Graph()
    scale(2.0, add(scaled.param("p", 1.0), scaled.param("q", 1.0), name="p + q"), name="J")
    assert h.formula(scaled, "J") == "J = 2 · (p + q)"
    assert paren("‖f − y‖²") == "‖f − y‖²" and paren("‖s‖ + a") == "(‖s‖ + a)" and paren("a · ‖s‖²") == "(a · ‖s‖²)"
    for k in (-1, 2):
        with pytest.raises(ValueError, match=f"k must name an input of the operator 'W a', got {k}"):
            handed_back(graph, "W a", k)
    with pytest.raises(ValueError, match="k must name an input of the operator 'a', got 0"):
        handed_back(graph, "a", 0)


@pytest.mark.parametrize("call", ["formula", "gradient_rule", "handed_back"])
def test_the_words_refuse_what_is_not_a_graph(call):
    from coursekit import graph_drawing

    args = (None, "x", 0) if call == "handed_back" else (None, "x")
    with pytest.raises(ValueError, match="^graph must be a non-empty computing graph"):
        getattr(graph_drawing, call)(*args)


def test_tex_and_figure_size_edges():
    from coursekit.graph_drawing import _natural_width, _tex

    assert _tex("‖f − y‖²") == r"$\|f - y\|^2$" and _tex("W0 x") == "$W_{0} x$"
    small = words_graph()
    assert h.graph_figsize(small, dpi=100)[0] == pytest.approx(_natural_width(small))  # never enlarged
    assert h.graph_figsize(small, dpi=0.5)[0] == pytest.approx(_natural_width(small))  # any positive dpi
    assert h.graph_figsize(small, dpi=1000)[0] == pytest.approx(MAX_WIDTH_PX / 1000 - 0.2)
    with pytest.raises(ValueError, match="dpi"):
        h.graph_figsize(small, dpi=float("inf"))


def test_leaves_that_share_an_operator_take_the_next_free_rows():
    graph = Graph()
    matmul(graph.param("A", np.eye(2)), graph.param("B", np.eye(2)), name="A B")
    graph.param("unused", 1.0)
    graph.param("unused too", 1.0)
    assert graph_layout(graph) == {"A B": (1, 0), "A": (1, 1), "B": (1, -1), "unused": (0, 2), "unused too": (0, 0)}
    with pytest.raises(ValueError, match="^graph must be a non-empty computing graph"):
        graph_layout(None)


def test_leaves_hold_float_copies_and_relu_passes_nothing_back_at_its_kink():
    from coursekit.lessons.graph import backward

    weights, inputs = [[1, -2]], [[0], [3]]
    graph = Graph()
    W, x = graph.param("W", weights), graph.data("x", inputs)
    assert W.value.dtype == x.value.dtype == np.float64
    W.value[0, 0] = 5.0
    assert weights == [[1, -2]]  # a copy: the graph never changes its caller's numbers
    z = matmul(graph.param("V", [[1.0, 1.0]]), x, name="z")  # 0 + 3 > 0
    kink = add(z, graph.param("m", [[-3.0]]), name="at the kink")  # exactly 0
    scale(0.5, sqnorm(relu(kink, name="r"), name="s"), name="J")
    relu_node = next(node for node in graph.nodes if node.name == "r")
    assert relu_node.pass_back(np.ones((1, 1)))[0].tolist() == [[0.0]]  # ReLU′(0) = 0
    grads = backward(graph)
    assert all(g.dtype == np.float64 and g.shape == np.shape(graph_node.value)
               for graph_node in graph.nodes for g in [grads[graph_node.name]])


def test_scale_passes_c_times_its_gradient_back_inside_the_graph():
    from coursekit.lessons.graph import backward

    graph = Graph()
    p = graph.param("p", [[1.0], [-2.0]])
    sqnorm(scale(3.0, p, name="3p"), name="J")  # J = ‖3p‖² = 9‖p‖², dJ/dp = 18 p
    assert np.allclose(backward(graph)["p"], 18 * p.value)
