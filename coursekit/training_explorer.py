"""The explorer of notebook 03: retrain on every move of the learning rate, width, epochs or seed."""

import ipywidgets as widgets
import numpy as np

from coursekit.explorer import Explorer, decade_ticks, log_grid, main_slider, new_figure, whole_number_ticks
from coursekit.training import BLOWUP, fit


class TrainingExplorer(Explorer):
    """Loss curves (train and test) and the fitted function, retrained on every change."""

    @staticmethod
    def learning_rates():
        """The learning rate slider's positions: 0.001 to 1, ten per decade (made when asked, not at import,
        where mutmut cannot follow a call)."""
        return log_grid(1e-3, 1.0, 10)

    def __init__(self, data, backward, forward, true_function, noise, lr, hidden, epochs, seed):
        self.data, self.backward, self.forward = data, backward, forward
        controls = {
            "lr": main_slider(self.learning_rates(), lr, "learning rate", style={"description_width": "initial"}),
            "hidden": widgets.IntSlider(value=hidden, min=2, max=64, description="width"),
            "epochs": widgets.IntSlider(value=epochs, min=10, max=400, step=10, description="epochs"),
            "seed": widgets.IntSlider(value=seed, min=0, max=9, description="init seed"),
        }
        X, Y, X_test, Y_test = data
        self.noise_floor = 0.5 * noise**2
        fig = new_figure((8.4, 3.5), dpi=96)
        self.axes = ax_loss, ax_fit = fig.subplots(1, 2)
        (self.train_line,) = ax_loss.semilogy([], [], color="C0", linewidth=2, label="training loss")
        (self.test_line,) = ax_loss.semilogy([], [], color="C1", linestyle="--", linewidth=1.5, label="test loss")
        self.floor_line = floor = ax_loss.axhline(self.noise_floor, color="0.25", linewidth=1.2, linestyle="-.",
                                label=f"noise floor σ²/2 = {self.noise_floor:.2g}")
        ax_loss.set(xlabel="epoch", ylabel="loss J (log scale)")
        decade_ticks(ax_loss.yaxis, numticks=6)
        whole_number_ticks(ax_loss.xaxis)
        # Below the panels, not on them: the curves can run through any corner of the left panel.
        fig.legend(handles=[self.train_line, self.test_line, floor], loc="outside lower left", ncols=3, fontsize=9,
                   frameon=False)
        self.grid = np.linspace(-2.2, 2.2, 200)[:, None]
        ax_fit.plot(X[:, 0], Y[:, 0], ".", color="0.6", markersize=3, label="training data")
        ax_fit.plot(X_test[:, 0], Y_test[:, 0], "x", color="C1", markersize=3, label="test data")
        ax_fit.plot(self.grid[:, 0], true_function(self.grid[:, 0]), color="k", linestyle=":", label="true function")
        (self.fit_line,) = ax_fit.plot([], [], color="C0", linewidth=2, label="network")
        # In the empty lower right (x > 0.5, y < 0), off the data and the true function.
        self.diverged_text = ax_fit.text(0.72, 0.14, "", transform=ax_fit.transAxes, ha="center", va="center",
                                         fontsize=12, color="#D55E00", bbox={"facecolor": "w", "alpha": 0.9})
        ax_fit.set(xlabel="x", ylabel="y", xlim=(-2.2, 2.2), ylim=(-3, 7.5))
        ax_fit.legend(loc="upper left", fontsize=9)
        self.title = fig.suptitle(" ", fontsize=11)
        super().__init__(controls, fig)

    def compute(self, lr, hidden, epochs, seed):
        run = fit(self.backward, self.data, hidden=hidden, lr=lr, epochs=epochs, seed=seed)
        curve = None
        if not run.diverged:
            result = self.forward(run.params, self.grid)
            if not (isinstance(result, tuple) and len(result) == 2 and np.shape(result[1]) == self.grid.shape):
                raise ValueError(f"forward must return (activations, Y_hat) with Y_hat of shape {self.grid.shape}")
            curve = result[1][:, 0]
        # The loss axis follows the run, in whole decades; a diverged run shows its few epochs.
        # The curves end with the loss after the last update (the headline's numbers) when there is one.
        train, test = run.losses, run.test_losses
        if not run.diverged:
            train, test = np.append(train, run.final_loss), np.append(test, run.test_loss)
        shown = np.concatenate([train, test, [self.noise_floor]])
        low, high = 10.0 ** np.floor(np.log10(shown.min()) - 0.2), 10.0 ** np.ceil(np.log10(shown.max()) + 0.2)
        right = epochs if not run.diverged else min(epochs, 10 * int(np.ceil(2 * max(run.diverged_at, 1) / 10)))
        return {"lr": lr, "hidden": hidden, "epochs": epochs, "seed": seed, "run": run, "fit": curve,
                "train": train, "test": test,
                "xlim": (0, right), "ylim": (low, high)}

    def cached_artists(self, s):
        return [(self.axes[0].xaxis, s["xlim"]), (self.axes[0].yaxis, s["ylim"])]

    def dynamic_artists(self):
        # The noise floor moves with the loss axis, which follows the run: it cannot stay in the background.
        return [self.floor_line, self.train_line, self.test_line, self.fit_line, self.diverged_text, self.title]

    def draw(self, s):
        run = s["run"]
        self.train_line.set_data(np.arange(len(s["train"])), s["train"])
        self.test_line.set_data(np.arange(len(s["test"])), s["test"])
        self.axes[0].set(xlim=s["xlim"], ylim=s["ylim"])
        self.fit_line.set_visible(s["fit"] is not None)
        if s["fit"] is not None:
            self.fit_line.set_data(self.grid[:, 0], s["fit"])
        self.diverged_text.set_text(f"diverged at epoch {run.diverged_at}:\nno fit to show" if run.diverged else "")
        self.diverged_text.set_visible(run.diverged)
        self.title.set_text(self.headline(s))

    @staticmethod
    def headline(s):
        run = s["run"]
        head = f"learning rate {s['lr']:.4f}, width {s['hidden']}, init seed {s['seed']}: "
        if run.diverged:
            return head + f"diverged at epoch {run.diverged_at} of {s['epochs']} (loss above {BLOWUP:.0e} × its start)"
        return head + (f"training loss {run.losses[0]:.3f} → {run.final_loss:.4f} in {s['epochs']} epochs, "
                       f"test loss {run.test_loss:.4f}")

    def describe(self, s):
        return self.headline(s)
