"""The computing graph engine of notebook 01: forward, backward, drawing, stepping."""

import warnings

import numpy as np
import pytest

import helpers as h

MODELS = [((4, 5, 3, 2), 0), ((3, 1), 1), ((2, 4, 4, 4, 1), 2), ((1, 3, 3), 3), ((6, 8, 2, 3), 4)]


def sample(sizes, seed):
    rng = np.random.default_rng(100 + seed)
    return h.init_params(sizes, seed), rng.normal(size=(sizes[0], 1)), rng.normal(size=(sizes[-1], 1))


def check_gradients(graph, names):
    graph.evaluate()
    analytic = {name: graph.gradient(name).copy() for name in names}
    nonzero = sum(np.any(g != 0) for g in analytic.values())
    assert nonzero >= len(names) / 2, "most gradients are zero: the check would prove little"
    for name in names:
        numeric = h.numeric_gradient(graph.evaluate, graph.node(name).value)
        graph.evaluate()
        err = h.relative_error(analytic[name], numeric)
        assert err < 1e-7, f"dJ/d{name}: relative error {err:.1e}"


@pytest.mark.parametrize("sizes,seed", MODELS)
def test_graph_forward_matches_numpy(sizes, seed):
    params, x, y = sample(sizes, seed)
    graph = h.course_graph(params, x, y)
    assert graph.output.value == pytest.approx(h.forward_sample(params, x, y)["J"], rel=1e-14)
    n = len(sizes) - 1
    assert sum(node.kind == "op" for node in graph.nodes) == 3 * (n - 1) + 2 + 3


@pytest.mark.parametrize("sizes,seed", MODELS)
def test_graph_gradients_match_finite_differences(sizes, seed):
    params, x, y = sample(sizes, seed)
    graph = h.course_graph(params, x, y)
    check_gradients(graph, [*params, "x", "y"])


def test_value_used_twice_accumulates():
    rng = np.random.default_rng(7)
    g = h.Graph()
    x, W = g.data("x", rng.normal(size=(3, 1))), g.param("W", rng.normal(size=(2, 3)))
    u = g.matmul(W, x, name="u")
    a = g.relu(u, name="a")
    v = g.add(a, a, name="v")  # a used twice
    w = g.add(g.matmul(W, x, name="u2"), v, name="w")  # W and x used twice
    g.scale(0.5, g.sqnorm(w, name="s"), name="J")
    check_gradients(g, ["W", "x"])
    assert "+" in g.gradient_rule("a") and "+" in g.gradient_rule("W")


def test_evaluate_with_new_values():
    params, x, y = sample((4, 5, 3, 2), 0)
    graph = h.course_graph(params, x, y)
    new = h.init_params((4, 5, 3, 2), seed=9)
    x2 = np.ones((4, 1))
    assert graph.evaluate(x=x2, **new) == pytest.approx(h.forward_sample(new, x2, y)["J"], rel=1e-14)


def test_graph_does_not_alias_caller_arrays():
    params, x, y = sample((3, 2), 0)
    graph = h.course_graph(params, x, y)
    graph.node("x").value[0, 0] += 1.0
    assert graph.node("x").value[0, 0] != x[0, 0]


def test_bad_input():
    params, x, y = sample((4, 5, 3, 2), 0)
    with pytest.raises(ValueError, match="shapes do not match for W0 x"):
        g = h.Graph()
        g.matmul(g.param("W0", params["W0"]), g.data("x", np.ones((3, 1))), name="W0 x")
    with pytest.raises(ValueError, match="shapes do not match for z"):
        g = h.Graph()
        g.add(g.data("a", np.ones((3, 1))), g.data("b", np.ones((4, 1))), name="z")
    graph = h.course_graph(params, x, y)
    with pytest.raises(ValueError, match="^name must be a node of this graph"):
        graph.gradient("W7")
    with pytest.raises(ValueError, match="^x must keep its shape"):
        graph.evaluate(x=np.ones((5, 1)))
    with pytest.raises(ValueError, match="^z1 is an operator"):
        graph.evaluate(z1=np.ones((5, 1)))
    with pytest.raises(ValueError, match="^name 'x' is already"):
        graph.data("x", x)
    with pytest.raises(ValueError, match=r"^shapes do not match for W0 x = W0 @ x: W0 \(5, 4\) and x \(3, 1\)"):
        h.course_graph(params, np.ones((3, 1)), y)
    with pytest.raises(ValueError, match=r"^shapes do not match for f − y \(sub\)"):
        h.course_graph(params, x, np.ones((3, 1)))
    with pytest.raises(ValueError, match="^x must have shape"):
        h.forward_sample(params, np.ones((3, 1)), y)
    with pytest.raises(ValueError, match="^params"):
        h.course_graph({"W0": params["W0"]}, x, y)
    with pytest.raises(ValueError, match="^params: W1 has 5 columns but layer 0 has 4"):
        h.forward_sample({**params, "W0": np.ones((4, 4)), "b0": np.ones((4, 1))}, x, y)
    with pytest.raises(ValueError, match="^sizes"):
        h.init_params((4,))
    with pytest.raises(ValueError, match="^x must be a float64"):
        h.numeric_gradient(lambda: 0.0, np.ones(3, dtype=np.float32))


def test_course_layout_has_no_crossings():
    params, x, y = sample((4, 5, 3, 2), 0)
    graph = h.course_graph(params, x, y)
    pos = h.graph_layout(graph)
    assert len(set(pos.values())) == len(pos), "two nodes share a place"
    assert pos["x"] == (0, 0) and pos["y"][1] == -1
    assert all(pos[n.name][1] == 1 for n in graph.nodes if n.kind == "param")
    for node in graph.nodes:
        for inp in node.inputs:
            (c0, r0), (c1, r1) = pos[inp.name], pos[node.name]
            # every edge joins neighbouring columns on the spine, or is vertical: none can cross
            assert (r0 == r1 == 0 and c1 == c0 + 1) or (c0 == c1 and r1 == 0), (inp.name, node.name)


def test_graph_explorer_steps_through_both_passes():
    params, x, y = sample((4, 5, 3, 2), 0)
    graph = h.course_graph(params, x, y)
    explorer = h.graph_explorer(graph)
    seen = set()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for direction in ("forward", "backward"):
            for step in range(len(graph.nodes)):
                explorer.set(direction=direction, step=step)
                seen.add(explorer.png)
                node = explorer.state["node"]
                assert node.name in explorer.text
                shown = graph.gradient(node.name) if direction == "backward" else node.value
                assert h._few(shown) in explorer.text
    assert len(seen) == 2 * len(graph.nodes), "every step must show a different figure"
    assert explorer.state["node"].name == "x" and "∂J/∂x = W0ᵀ" in explorer.text
