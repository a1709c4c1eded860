"""Where the legibility line of the instance scenes sits: things just under it (the scenes no longer show them:
the shape that would hide them is left out) and just above it (drawn and counted), each highlighted in magenta
beside the scene as a student sees it.

    python bench/hidden_things.py --seed 1 --out screenshots/hidden_things.png

Scenes are drawn with the old rule (12 pixels, no share) so the things the current rule leaves out can be
seen; the printed lines say how many things and scenes the rule changes.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from PIL import Image, ImageDraw

import ops.lab.instance_scenes as scenes
from ops.lab.scenes import CLASSES, shape_region

OLD_RULE = {"MIN_VISIBLE": 12, "MIN_VISIBLE_SHARE": 0.0}


def old_rule_scene(seed: int, index: int):
    """The scene as the 12-pixel rule drew it (the module's constants swapped for one call)."""
    now = {k: getattr(scenes, k) for k in OLD_RULE}
    try:
        for k, v in OLD_RULE.items():
            setattr(scenes, k, v)
        return scenes.make_instance_scene(seed, index, "test")
    finally:
        for k, v in now.items():
            setattr(scenes, k, v)


def tile(scene, k: int, caption: str) -> Image.Image:
    shown = Image.fromarray((scene.image * 255).astype(np.uint8)).resize((256, 256), Image.NEAREST)
    marked = scene.image.copy()
    marked[scene.instances[k]] = (1.0, 0.0, 1.0)
    out = Image.new("RGB", (520, 280), "white")
    out.paste(shown, (0, 0))
    out.paste(Image.fromarray((marked * 255).astype(np.uint8)).resize((256, 256), Image.NEAREST), (262, 0))
    ImageDraw.Draw(out).text((2, 262), caption, fill="black")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenes", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("screenshots/hidden_things.png"))
    args = parser.parse_args()
    below, above, things, changed = [], [], 0, 0
    for index in range(args.scenes):
        scene = old_rule_scene(args.seed, index)
        changed += scene.counts() != scenes.make_instance_scene(args.seed, index, "test").counts()
        for k, (region, shape) in enumerate(zip(scene.instances, scene.shapes)):
            things += 1
            pixels, full = int(region.sum()), int(shape_region(shape).sum())
            caption = (f"scene {index}: {CLASSES[scene.labels[k]]}, {pixels} px, {pixels / full:.0%} of it in view; "
                       f"truth then {sum(scene.labels == scene.labels[k])}")
            if not scenes.legible(pixels, full):
                below.append(tile(scene, k, "under the line - " + caption))
            elif pixels < 40 or pixels < 0.4 * full:
                above.append(tile(scene, k, "above it - " + caption))
    print(f"seed {args.seed}, {args.scenes} scenes: {len(below)} of {things} things under the line "
          f"({scenes.MIN_VISIBLE} px and {scenes.MIN_VISIBLE_SHARE:.0%} of the shape); {changed} scenes' counts change")
    tiles = below[:6] + above[:6]
    sheet = Image.new("RGB", (1040, 280 * ((len(tiles) + 1) // 2)), "white")
    for j, t in enumerate(tiles):
        sheet.paste(t, ((j % 2) * 520, (j // 2) * 280))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out)
    print(f"wrote {args.out}: {min(6, len(below))} under the line (the rule now leaves out the shape that hid them), "
          f"then {min(6, len(above))} just above it")


if __name__ == "__main__":
    main()
