"""What an upsampling operator did, cell by cell: the data behind every explanation on the page.

Every operator in this package is linear in its input: each output cell is a weighted sum of some
input cells. The Trace records, for every output cell, which input cells contributed and with which
weight, so the page can highlight them and write the formula with the actual numbers, and a test can
check that the sums really rebuild the output.

Cells are named by (channel, row, column) tuples.
"""

from dataclasses import dataclass, field

import numpy as np

Cell = tuple[int, int, int]  # (channel, row, column)


@dataclass
class Trace:
    """For every output cell, the list of (input cell, weight) that sum to its value."""

    input_shape: tuple[int, int, int]
    output_shape: tuple[int, int, int]
    # output cell -> [(input cell, weight), ...] in the order they were added up
    sources: dict[Cell, list[tuple[Cell, float]]] = field(default_factory=dict)
    # input cells in the order an input-centred operator visited them (transposed convolution);
    # empty for operators that are naturally explained output cell by output cell
    stamp_order: list[Cell] = field(default_factory=list)

    def add(self, output_cell: Cell, input_cell: Cell, weight: float) -> None:
        """Record that `input_cell` contributes `weight` × its value to `output_cell`."""
        self.sources.setdefault(output_cell, []).append((input_cell, float(weight)))

    def record(self, output_cell: Cell, pairs: list[tuple[Cell, float]]) -> None:
        """Record all (input cell, weight) pairs of one output cell at once."""
        self.sources[output_cell] = [(cell, float(weight)) for cell, weight in pairs]

    def contributions(self, output_cell: Cell) -> list[tuple[Cell, float]]:
        """The (input cell, weight) pairs of one output cell; [] when nothing reaches it (a zero)."""
        return self.sources.get(tuple(output_cell), [])

    def value(self, x: np.ndarray, output_cell: Cell) -> float:
        """One output cell recomputed from the trace: the sum of weight × input, in recorded order."""
        total = 0.0
        for (c, i, j), weight in self.contributions(output_cell):
            total += weight * float(x[c, i, j])
        return total

    def rebuild(self, x: np.ndarray) -> np.ndarray:
        """The whole output recomputed from the trace alone (cells nobody reaches stay 0)."""
        x = np.asarray(x, dtype=np.float64)
        out = np.zeros(self.output_shape)
        for cell in self.sources:
            out[cell] = self.value(x, cell)
        return out

    def stamps(self) -> dict[Cell, list[tuple[Cell, float]]]:
        """The input-centred view: for every input cell, the output cells it adds to and the weights.

        For transposed convolution this is the "stamp": each input cell adds a copy of the kernel,
        scaled by its value, into the output; overlapping stamps add up.
        """
        view: dict[Cell, list[tuple[Cell, float]]] = {}
        for out_cell, pairs in self.sources.items():
            for in_cell, weight in pairs:
                view.setdefault(in_cell, []).append((out_cell, weight))
        return view

    def overlap_counts(self, channel: int = 0) -> np.ndarray:
        """How many input cells reach each output cell of one channel (the checkerboard's cause)."""
        counts = np.zeros(self.output_shape[1:], dtype=int)
        for (c, y, x), pairs in self.sources.items():
            if c == channel:
                counts[y, x] = len({cell for cell, _ in pairs})
        return counts

    def formula_terms(self, x: np.ndarray, output_cell: Cell) -> tuple[list[str], float]:
        """The sum for one output cell as text terms "weight × value", and its total.

        E.g. bilinear [[1, 2], [3, 4]], cell (0, 0, 1): (["0.75 × 1", "0.25 × 2"], 1.25).
        """
        terms = []
        for cell, weight in self.contributions(output_cell):
            value = float(x[cell])
            shown_weight = f"{weight:.4g}" if weight >= 0 else f"({weight:.4g})"
            shown_value = f"{value:.4g}" if value >= 0 else f"({value:.4g})"
            terms.append(f"{shown_weight} × {shown_value}")
        return terms, self.value(x, output_cell)
