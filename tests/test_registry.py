"""The model registry: every torchvision model builds and runs the whole pipeline; weights are found,
downloaded (from a local file:// URL) and refused with a clear message when absent."""

from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ops.segmentation import checkpoints
from ops.segmentation.pipeline import (
    argmax_and_confidence,
    argmax_ids,
    bare_forward,
    forward,
    load_model,
    preprocess,
    segment_in_process,
    upsample_scores,
)
from ops.segmentation.registry import (
    MODELS,
    WeightsUnavailable,
    available_models,
    best_available,
    download_weights,
    find_weights,
)
from tests.english import english

TORCHVISION = [name for name, spec in MODELS.items() if spec.family == "torchvision"]


def small_photo(width=72, height=56) -> Image.Image:
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))


@pytest.fixture
def empty_weights(tmp_path, monkeypatch):
    """No weights anywhere: an empty $PIXELWISE_WEIGHTS folder and an empty torch hub cache."""
    (tmp_path / "weights").mkdir()
    monkeypatch.setenv("PIXELWISE_WEIGHTS", str(tmp_path / "weights"))
    previous = torch.hub.get_dir()
    torch.hub.set_dir(str(tmp_path / "hub"))
    yield tmp_path
    torch.hub.set_dir(previous)


def test_registry_describes_every_model():
    assert set(TORCHVISION) == {"lraspp_mobilenet_v3_large", "deeplabv3_mobilenet_v3_large", "fcn_resnet50",
                                "deeplabv3_resnet50", "maskrcnn_resnet50_fpn_v2"}
    from torchvision.models import get_weight

    for spec in MODELS.values():
        assert spec.task in ("semantic", "instance") and spec.classes and spec.weights_file and spec.url
        assert spec.licence and spec.size_mb > 0 and spec.metrics and spec.quality > 0
        if spec.family == "torchvision":  # numbers read from torchvision's own weights metadata
            weights = get_weight(spec.weights_enum)
            assert spec.classes == tuple(weights.meta["categories"])
            assert spec.url.endswith(spec.weights_file) and weights.url == spec.url
            assert spec.params == weights.meta["num_params"]
        else:
            assert len(spec.classes) == 21 and spec.classes[10] == "cow"
    assert len(MODELS["maskrcnn_resnet50_fpn_v2"].classes) == 91
    assert MODELS["deeplabv3_resnet50"].metrics["mIoU % (COCO-val2017-VOC-labels)"] == 66.4


@pytest.mark.slow
@pytest.mark.parametrize("name", TORCHVISION)
def test_every_torchvision_model_runs_the_whole_pipeline_with_random_weights(name):
    torch.manual_seed(0)
    loaded = load_model(name, "cpu", random_weights=True, warmup=False)
    image = small_photo()
    result = segment_in_process(image, loaded, size=64)
    assert result.labels.shape == (56, 72) and np.issubdtype(result.labels.dtype, np.integer)
    assert result.labels.min() >= 0 and result.labels.max() < len(result.classes)
    assert result.classes == list(MODELS[name].classes)
    assert np.all((result.confidence >= 0) & (result.confidence <= 1 + 1e-6))
    assert result.latency.forward_ms > 0 and result.device == "cpu"
    if MODELS[name].task == "semantic":
        # the split forward (kept coarse scores) gives exactly the model's own output
        x = preprocess(loaded.spec, image, 64)
        with torch.inference_mode():
            logits, coarse = forward(loaded, x)
            reference = bare_forward(loaded, x)
        torch.testing.assert_close(logits, reference, rtol=0, atol=0)
        assert result.scores.shape == (len(result.classes), *x.shape[-2:])
        winners = Image.fromarray(result.scores.argmax(0).astype(np.uint8))  # torch-free reference of the labels
        assert np.array_equal(result.labels, np.asarray(winners.resize(image.size, Image.NEAREST)))
        assert result.coarse.shape[0] == len(result.classes) and result.coarse.shape[1] < x.shape[2]
    else:
        assert result.instances is not None and result.instances.source == "mask-rcnn"


def test_argmax_and_confidence_match_torch():
    scores = torch.randn(21, 40, 50)
    scores[3, :5] = scores[7, :5] = 100.0  # exact ties: the lower class wins, as torch.argmax does
    ids, confidence = argmax_and_confidence(scores.numpy())
    assert np.array_equal(ids, scores.argmax(0).numpy())
    np.testing.assert_allclose(confidence, torch.softmax(scores, 0).amax(0).numpy(), rtol=1e-5, atol=1e-6)
    assert np.all(ids[:5] == 3)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 9), st.integers(1, 9), st.integers(0, 2**31 - 1))
def test_argmax_and_confidence_property(classes, height, width, seed):
    rng = np.random.default_rng(seed)
    scores = rng.integers(-3, 4, (classes, height, width)).astype(np.float32)  # small ints: many ties
    ids, confidence = argmax_and_confidence(scores)
    reference = torch.from_numpy(scores)
    assert np.array_equal(ids, reference.argmax(0).numpy())
    assert np.array_equal(argmax_ids(scores), ids)
    np.testing.assert_allclose(confidence, torch.softmax(reference, 0).amax(0).numpy(), rtol=1e-5)


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_upsample_scores_is_torch_interpolate(mode):
    coarse = torch.randn(3, 5, 7)
    expected = torch.nn.functional.interpolate(coarse[None], size=(20, 28), mode=mode,
                                               **({"align_corners": False} if mode == "bilinear" else {}))[0]
    np.testing.assert_allclose(upsample_scores(coarse.numpy(), (20, 28), mode), expected.numpy(), rtol=0, atol=0)


def _random_lraspp_file(folder: Path) -> tuple[Path, dict]:
    import torchvision.models.segmentation as segmentation

    torch.manual_seed(1)
    state = segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=21).state_dict()
    path = folder / "random_lraspp.pth"
    torch.save(state, path)
    return path, state


def test_download_from_a_file_url_lands_where_torchvision_looks(empty_weights):
    source, state = _random_lraspp_file(empty_weights)
    spec = MODELS["lraspp_mobilenet_v3_large"]
    assert find_weights(spec) is None and not spec.present
    calls = []
    path = download_weights(spec, progress=lambda done, total: calls.append((done, total)),
                            url=source.as_uri(), verify=False)  # a random file cannot match the real hash
    assert path == Path(torch.hub.get_dir()) / "checkpoints" / spec.weights_file
    assert path.read_bytes() == source.read_bytes()
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] == source.stat().st_size
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert find_weights(spec) == path and spec in available_models("semantic")
    # our loader and torchvision's own weights API both pick up the downloaded file, offline
    loaded = load_model(spec.name, "cpu", warmup=False)
    import torchvision.models.segmentation as segmentation

    theirs = segmentation.lraspp_mobilenet_v3_large(weights=segmentation.LRASPP_MobileNet_V3_Large_Weights.DEFAULT)
    for key in ("backbone.0.0.weight", "classifier.low_classifier.bias"):
        torch.testing.assert_close(loaded.module.state_dict()[key], state[key])
        torch.testing.assert_close(theirs.state_dict()[key], state[key])


def test_a_download_with_the_wrong_hash_is_discarded(empty_weights):
    source, _ = _random_lraspp_file(empty_weights)
    spec = MODELS["lraspp_mobilenet_v3_large"]
    with pytest.raises(WeightsUnavailable) as error:
        download_weights(spec, url=source.as_uri())
    assert "discarded" in english(error.value)
    folder = Path(torch.hub.get_dir()) / "checkpoints"
    assert not list(folder.iterdir())  # neither the file nor a half-written .part is left


def test_offline_with_no_file_says_which_file_and_where(empty_weights):
    spec = MODELS["deeplabv3_resnet50"]
    with pytest.raises(WeightsUnavailable) as error:
        load_model(spec.name, "cpu")
    message = english(error.value)
    assert spec.weights_file in message and str(empty_weights / "weights") in message
    assert str(Path(torch.hub.get_dir()) / "checkpoints") in message and spec.url in message
    with pytest.raises(WeightsUnavailable) as error:
        download_weights(spec, url=(empty_weights / "nowhere.pth").as_uri())
    assert "Download failed" in english(error.value)
    with pytest.raises(WeightsUnavailable) as error:
        best_available("semantic")
    assert "No semantic segmentation weights" in english(error.value)
    assert available_models() == []


def test_espnetv2_weights_come_from_the_shared_folder(shared_weights, monkeypatch):
    monkeypatch.setenv("PIXELWISE_WEIGHTS", str(shared_weights))
    names = [spec.name for spec in available_models("semantic")]
    assert names[0] == "espnetv2_s_2.0_pascal_384x384"  # the best present model is the default
    assert best_available().name == names[0]
    assert find_weights(names[0]) == checkpoints.find_checkpoint(names[0])


def test_palette_png_keeps_the_class_ids_and_uses_voc_colours():
    import io

    from ops.segmentation.pipeline import palette_png

    labels = np.arange(30 * 40).reshape(30, 40) % 21
    image = Image.open(io.BytesIO(palette_png(labels)))
    assert image.mode == "P" and np.array_equal(np.asarray(image), labels)
    palette = image.getpalette()
    assert tuple(palette[10 * 3: 10 * 3 + 3]) == (64, 128, 0)  # cow, as in the Pascal VOC ground truth files
    with pytest.raises(ValueError):
        palette_png(np.full((4, 4), 300))


def test_bilinear_upsampling_of_the_coarse_scores_is_the_networks_output():
    from ops.segmentation.pipeline import compare_upsampling

    torch.manual_seed(0)
    loaded = load_model("lraspp_mobilenet_v3_large", "cpu", random_weights=True, warmup=False)
    result = segment_in_process(small_photo(96, 80), loaded, size=80)
    width, height = result.input_size
    nearest, bilinear, differ = compare_upsampling(result.coarse, (height, width))
    assert np.array_equal(bilinear, result.scores.argmax(0))
    assert nearest.shape == bilinear.shape and differ == pytest.approx((nearest != bilinear).mean())


# -- issue 19: a shared server's downloads ------------------------------------------------------------------
def test_on_a_shared_server_only_the_admin_token_downloads(empty_weights, monkeypatch):
    """Any visitor could make the server download every missing model; now only the operator's token can."""
    from ops.shared_server import ADMIN_TOKEN_ENV, AdminOnly

    source, _ = _random_lraspp_file(empty_weights)
    spec = MODELS["lraspp_mobilenet_v3_large"]
    monkeypatch.setenv(ADMIN_TOKEN_ENV, "operator-secret")
    for visitor in (None, "", "guess", "operator-secret-not"):
        with pytest.raises(AdminOnly) as refused:
            download_weights(spec, url=source.as_uri(), verify=False, token=visitor)
        assert "administrator" in english(refused.value)
    assert find_weights(spec) is None, "nothing was fetched for a visitor"
    assert download_weights(spec, url=source.as_uri(), verify=False, token="operator-secret").exists()
    monkeypatch.delenv(ADMIN_TOKEN_ENV)  # the laptop default: anyone may download
    assert download_weights(spec, url=source.as_uri(), verify=False).exists()


def test_concurrent_clicks_download_a_file_once(empty_weights, monkeypatch):
    import threading

    from ops.segmentation import registry

    source, _ = _random_lraspp_file(empty_weights)
    spec = MODELS["lraspp_mobilenet_v3_large"]
    real, started, fetched = registry._download, threading.Event(), []

    def slow_download(*args):
        fetched.append(args[0].name)
        started.set()
        release.wait(30)
        return real(*args)

    release = threading.Event()
    monkeypatch.setattr(registry, "_download", slow_download)
    paths = []
    clicks = [threading.Thread(target=lambda: paths.append(download_weights(spec, url=source.as_uri(),
                                                                            verify=False))) for _ in range(4)]
    clicks[0].start()
    assert started.wait(30)
    for click in clicks[1:]:
        click.start()
    release.set()
    for click in clicks:
        click.join(60)
    assert fetched == [spec.name] and len(paths) == 4 and len(set(paths)) == 1
