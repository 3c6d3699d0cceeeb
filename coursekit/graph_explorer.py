"""The stepper of notebooks 01 and 02: walk a computing graph forwards or backwards, node by node."""

import ipywidgets as widgets
import numpy as np

from coursekit.explorer import Explorer, new_figure
from coursekit.graph_drawing import draw_graph, formula, gradient_rule, graph_figsize, paren, shape_text


def _few(values, k=4):
    flat = np.ravel(values)
    shown = ", ".join(f"{v:+.3f}" for v in flat[:k])
    return f"[{shown}{', …' if flat.size > k else ''}]"


class GraphExplorer(Explorer):
    """The graph, with the current node ringed and its value or gradient stated.

    ``grads`` maps every node's name to dJ/d(node), as the notebook's backward sweep returned it.
    """

    def __init__(self, graph, grads, direction, equations):
        from matplotlib.patches import Circle

        self.graph, self.grads, self.equations = graph, grads, equations
        controls = {
            "step": widgets.IntSlider(value=1, min=1, max=len(graph.nodes), description="step"),
            "direction": widgets.ToggleButtons(options=["forward", "backward"], value=direction, description="pass"),
        }
        width, height = graph_figsize(graph)
        fig = new_figure((width, height + 0.6), dpi=96)
        ax = fig.add_subplot()
        self.pos = draw_graph(graph, ax)
        self.pos[graph.nodes[-1].name] = self.pos[None]  # J is ringed where it is drawn: the green box
        self.ring = ax.add_patch(Circle((0, 0), 0.34, fill=False, edgecolor="#D55E00", linewidth=2.5, zorder=4))
        self.info = fig.text(0.01, 0.02, " \n ", fontsize=10, family="monospace", va="bottom")
        self.title = fig.suptitle(" ", fontsize=11)
        super().__init__(controls, fig)

    def dynamic_artists(self):
        return [self.ring, self.info, self.title]

    def compute(self, step, direction):
        order = self.graph.nodes if direction == "forward" else self.graph.nodes[::-1]
        node = order[min(step, len(order)) - 1]
        return {"direction": direction, "step": step, "node": node, "total": len(order),
                "result": node is self.graph.nodes[-1]}

    def draw(self, s):
        node = s["node"]
        self.ring.center = self.pos[node.name]
        if s["direction"] == "forward":
            rule, value, what = formula(self.graph, node.name), node.value, "value"
        else:
            rule, value = gradient_rule(self.graph, node.name), self.grads[node.name]
            what = f"∂J/∂{paren(node.name)}"
            if node.name in self.equations:
                rule = f"eq. {self.equations[node.name]}:  {rule}"
        shape = shape_text(value)
        note = " (data, not a parameter: its gradient is not used for training)" if (
            s["direction"] == "backward" and node.kind == "data") else ""
        self.info.set_text(f"{rule}{note}\n{what}: shape {shape}, {_few(value)}")
        self.title.set_text(self.headline(s))

    @staticmethod
    def headline(s):
        kind = {"op": "operator", "param": "parameter", "data": "data"}[s["node"].kind]
        kind = "the result, by the last operator" if s["result"] else kind
        return f"{s['direction']} pass, step {s['step']} of {s['total']}: {s['node'].name} ({kind})"

    def describe(self, s):
        return self.headline(s) + "\n" + self.info.get_text()
