"""The stepper of notebooks 01 and 02: walk a computing graph one operator at a time, forwards or backwards."""

import ipywidgets as widgets
import numpy as np

from coursekit.explorer import Explorer, main_slider, new_figure
from coursekit.graph_drawing import draw_graph, formula, graph_figsize, handed_back, paren, shape_text

#: The ring's size (width, height) around each kind of node, in grid units: a circle 0.04 outside an operator's
#: circle (0.3 in radius), which also clears a data box's corners; an ellipse 0.07 outside a parameter's ellipse
#: (0.66 by 0.42), which a circle as wide would meet at its ends.
RING_SIZE = {"op": (0.68, 0.68), "data": (0.68, 0.68), "param": (0.8, 0.56)}


def _few(values, k=4):
    flat = np.ravel(values)
    shown = ", ".join(f"{v:+.3f}" for v in flat[:k])
    return f"[{shown}{', …' if flat.size > k else ''}]"


class GraphExplorer(Explorer):
    """The graph with the current operator ringed (solid) and its inputs ringed (dashed).

    Forwards, step k is the k-th operator computing its value from its inputs. Backwards, the steps run
    the operators in reverse, as notebook 01's ``backward`` does: each hands every input its part of the
    gradient, and an input's gradient is complete once its first user (the last one visited) has handed
    its part. ``grads`` maps every node's name to dJ/d(node), as the notebook's backward returned it.
    """

    def __init__(self, graph, grads, direction, equations):
        from matplotlib.patches import Ellipse

        self.graph, self.grads, self.equations = graph, grads, equations
        self.ops = [node for node in graph.nodes if node.kind == "op"]
        # (user, k) for every input slot that reads a node, in the order backward hands the parts over
        self.parts = {node.name: [] for node in graph.nodes}
        for user in reversed(self.ops):
            for k, inp in enumerate(user.inputs):
                self.parts[inp.name].append((user, k))
        controls = {
            "step": main_slider(range(1, len(self.ops) + 1), 1, "step"),
            "direction": widgets.ToggleButtons(options=["forward", "backward"], value=direction, description="pass"),
        }
        width, height = graph_figsize(graph, dpi=96)
        fig = new_figure((width, height + 0.8), dpi=96)
        ax = fig.add_subplot()
        self.pos = draw_graph(graph, ax)
        self.ring = ax.add_patch(Ellipse((0, 0), 1, 1, fill=False, edgecolor="#D55E00", linewidth=2.5, zorder=4))
        inputs = max(len(node.inputs) for node in self.ops)
        self.input_rings = [ax.add_patch(Ellipse((0, 0), 1, 1, fill=False, edgecolor="#CC79A7", linewidth=2,
                                                 linestyle=(0, (3, 2)), zorder=4)) for _ in range(inputs)]
        self.info = fig.text(0.01, 0.02, " \n \n ", fontsize=10, family="monospace", va="bottom")
        self.title = fig.suptitle(" ", fontsize=11)
        super().__init__(controls, fig)

    def dynamic_artists(self):
        return [self.ring, *self.input_rings, self.info, self.title]

    def _ring(self, ring, node):
        """Put ``ring`` around ``node``, in the node's shape."""
        ring.set_center(self.pos[node.name])
        ring.set_width(RING_SIZE[node.kind][0])
        ring.set_height(RING_SIZE[node.kind][1])

    def compute(self, step, direction):
        order = self.ops if direction == "forward" else self.ops[::-1]
        node = order[min(step, len(order)) - 1]
        return {"direction": direction, "step": step, "node": node, "total": len(order),
                "result": node is self.graph.nodes[-1]}

    def _handed(self, node, k):
        """The line for what the backward step of ``node`` hands its k-th input."""
        inp = node.inputs[k]
        parts = self.parts[inp.name]
        done = parts.index((node, k)) + 1
        line = f"→ {inp.name} gets {handed_back(self.graph, node.name, k)}"
        if done < len(parts):
            value = node.pass_back(self.grads[node.name])[k]
            line += f", part {done} of {len(parts)} of its gradient:"
        else:
            value = self.grads[inp.name]
            whole = "that is" if len(parts) == 1 else f"its last part of {len(parts)}, which completes"
            line += f": {whole} ∂J/∂{paren(inp.name)},"
        notes = [f"eq. {self.equations[inp.name]}"] if inp.name in self.equations else []
        notes += ["data: not used in training"] if inp.kind == "data" else []
        return f"{line} {shape_text(value)} {_few(value)}" + "".join(f"; {note}" for note in notes)

    def draw(self, s):
        node = s["node"]
        self._ring(self.ring, node)
        for k, ring in enumerate(self.input_rings):
            ring.set_visible(k < len(node.inputs))
            if k < len(node.inputs):
                self._ring(ring, node.inputs[k])
        if s["direction"] == "forward":
            lines = [formula(self.graph, node.name), f"value: shape {shape_text(node.value)}, {_few(node.value)}"]
        else:
            start = " = 1 (the start)" if s["result"] else ""
            lines = [f"{formula(self.graph, node.name)}   hands ∂J/∂{paren(node.name)}{start} back to its inputs:"]
            lines += [self._handed(node, k) for k in range(len(node.inputs))]
        self.info.set_text("\n".join(lines + [" "] * (3 - len(lines))))
        self.title.set_text(self.headline(s))

    @staticmethod
    def headline(s):
        node = s["node"]
        inputs = " and ".join(dict.fromkeys(inp.name for inp in node.inputs))
        what = f"computes {node.name} from {inputs}" if s["direction"] == "forward" else \
            f"hands the gradient of {node.name} to {inputs}"
        last = ", the last operator: its result is J" if s["result"] else ""
        return f"{s['direction']} pass, step {s['step']} of {s['total']}: {node.op} {what}{last}"

    def describe(self, s):
        return self.headline(s) + "\n" + self.info.get_text().rstrip()
