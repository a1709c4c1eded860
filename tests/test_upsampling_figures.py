"""The lesson's figures carry the right numbers, and the fast animation figure still exports to slides."""

import numpy as np

from lessons.figures import export
from lessons.figures.upsampling_figures import cell_walk_animation, panels_figure, stamp_animation
from ops.upsampling import get_operator

LABELS = {"input": "Input", "output": "Output", "kernel": "Kernel", "output_so_far": "Output so far",
          "play": "Play", "pause": "Pause", "step": "output cell", "input_step": "input cell",
          "formula_cell": "output[{row}, {col}] =", "nothing_lands": "0", "stamp": "input[{row}, {col}] = {value}"}
X = np.array([[1.0, 2.0], [3.0, 4.0]])


def test_cell_walk_frames_write_each_cells_sum_and_outline_its_inputs():
    out, trace = get_operator("bilinear")(X, scale=2)
    cells = [(r, c) for r in range(4) for c in range(4)]
    fig = cell_walk_animation(X, out[0], trace, cells, LABELS, active=1)
    frames = fig.to_dict()["frames"]
    assert [f["name"] for f in frames] == [f"{r},{c}" for r, c in cells]
    for frame, (r, c) in zip(frames, cells):
        assert frame["layout"]["title"]["text"].endswith(f"<b>{out[0, r, c]:.2f}</b>")
    assert fig.layout.sliders[0].active == 1
    assert fig.layout.title.text == "output[0, 1] = 0.75 × 1 + 0.25 × 2 = <b>1.25</b>"
    outlined = frames[1]["data"][1]  # contributors of output (0, 1): input (0, 0) and (0, 1)
    assert sorted({(y, x) for x, y in zip(outlined["x"], outlined["y"]) if x is not None}) == \
        [(-0.5, -0.5), (-0.5, 0.5), (-0.5, 1.5), (0.5, -0.5), (0.5, 0.5), (0.5, 1.5)]


def test_stamp_frames_add_up_to_the_output():
    out, trace = get_operator("transposed_conv")(X, kernel=np.ones((3, 3)), stride=2, padding=1, output_padding=1)
    fig = stamp_animation(X, np.ones((3, 3)), out[0], trace, LABELS)
    last = fig.to_dict()["frames"][-1]["data"][0]["z"]
    np.testing.assert_allclose(np.asarray(last, dtype=float), out[0])


def test_animation_exports_every_frame_for_a_gif():
    out, trace = get_operator("nearest")(X, scale=2)
    fig = cell_walk_animation(X, out[0], trace, [(0, 0), (0, 1), (1, 1)], LABELS)
    assert len(fig.frames) == 3
    stills = list(export.frame_figures(fig))
    assert [s.layout.title.text.split(" =")[0] for s in stills] == ["output[0, 0]", "output[0, 1]", "output[1, 1]"]
    assert b"output[1, 1]" in export.to_html(fig)


def test_panels_show_numbers_to_two_decimals_and_a_title_per_grid():
    fig = panels_figure([X, X * 10], ["a", "b"], "Input → output", per_row=1)
    assert fig.data[1].text[1][1] == "40.00"
    assert [a.text for a in fig.layout.annotations] == ["<b>a</b>", "<b>b</b>"]
