"""Colour-blind-safe colours shared by every figure.

Class colours start with Okabe & Ito's eight (distinguishable under the common colour-vision
deficiencies) and continue with Paul Tol's 'muted' set; heatmaps use 'cividis', which is
perceptually uniform and readable with deuteranopia.
"""

OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
TOL_MUTED = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
             "#AA4499", "#DDDDDD"]
CLASS_COLOURS = OKABE_ITO + TOL_MUTED + ["#7F7F7F", "#BCBD22", "#17BECF", "#8C564B"]
HEATMAP = "cividis"
HIGHLIGHT = "#D55E00"  # vermillion: the cell being explained
CONTRIBUTOR = "#56B4E9"  # sky blue: cells that contribute to it


def class_colour(index: int) -> str:
    return CLASS_COLOURS[index % len(CLASS_COLOURS)]


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))
