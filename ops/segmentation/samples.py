"""Sample photos for the live demo, read from files scikit-image ships inside its wheel.

Never downloaded at run time: the files are opened straight from skimage's bundled data folder
(public domain or free-licensed photos, see skimage.data's documentation).
"""

from pathlib import Path

from PIL import Image

from ops.segmentation.images import load_image

# name -> (file in skimage's data folder, what is in the picture)
SAMPLES = {
    "astronaut": ("astronaut.png", "Eileen Collins, NASA astronaut (public domain)"),
    "chelsea": ("chelsea.png", "Chelsea the cat (public domain)"),
    "motorcycle": ("motorcycle_left.png", "a motorcycle (Middlebury stereo data set)"),
    "coffee": ("coffee.png", "a cup of coffee: no Pascal VOC class fits (public domain)"),
    "rocket": ("rocket.jpg", "a rocket on its launch pad: not a Pascal VOC class (public domain)"),
}


def sample_path(name: str) -> Path:
    import skimage.data

    return Path(skimage.data.__file__).parent / SAMPLES[name][0]


def sample_bytes(name: str) -> bytes:
    """The sample's encoded file, as if a student had uploaded it."""
    return sample_path(name).read_bytes()


def sample_image(name: str) -> Image.Image:
    return load_image(sample_path(name))
