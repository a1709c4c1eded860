"""Where ESPNetv2 weights are looked for, how they are downloaded (file:// URL, no network), and what a
user is told when they are missing."""

import shutil

import pytest
import torch

from ops.segmentation import checkpoints as ck
from ops.segmentation.checkpoints import (
    CHECKPOINTS,
    WeightsUnavailable,
    available_checkpoints,
    checkpoint,
    download_checkpoint,
    find_checkpoint,
    load_espnetv2,
)
from tests.english import english

SMALL = "espnetv2_s_0.5_pascal_256x256"   # the smallest released file: quick to copy and hash
UNREACHABLE = "http://127.0.0.1:9/espnetv2.pth"  # discard port on loopback: refused at once


@pytest.fixture
def hub(tmp_path):
    """An empty torch hub dir for one test (restored afterwards)."""
    previous = torch.hub.get_dir()
    torch.hub.set_dir(str(tmp_path / "hub"))
    yield tmp_path / "hub" / "checkpoints"
    torch.hub.set_dir(previous)


@pytest.fixture
def empty_env(tmp_path, monkeypatch):
    """PIXELWISE_WEIGHTS pointing to an empty folder."""
    folder = tmp_path / "weights"
    folder.mkdir()
    monkeypatch.setenv("PIXELWISE_WEIGHTS", str(folder))
    return folder


def test_table_matches_the_shared_weights_hashes_and_sizes(shared_weights):
    sums = dict(reversed(line.split()) for line in (shared_weights / "SHA256SUMS").read_text().splitlines()
                if line.strip())
    assert sums, "SHA256SUMS is empty"
    for filename, digest in sums.items():
        entry = checkpoint(filename)
        assert entry.sha256 == digest
        assert (shared_weights / filename).stat().st_size == entry.bytes
        assert ck.sha256_of(shared_weights / filename) == digest


def test_table_describes_each_file():
    best = CHECKPOINTS["espnetv2_s_2.0_pascal_384x384"]
    assert best.url == ("https://raw.githubusercontent.com/sacmehta/EdgeNets/master/model/segmentation/"
                        "model_zoo/espnetv2/espnetv2_s_2.0_pascal_384x384.pth")
    assert (best.width, best.train_size, best.miou, best.dataset) == (2.0, (384, 384), 67.01, "pascal")
    assert best.licence == "MIT, Copyright (c) 2021 Sachin Mehta"
    assert len(best.classes) == 21 and len(CHECKPOINTS["espnetv2_s_2.0_city_512x256"].classes) == 20
    pascal = [c.miou for c in CHECKPOINTS.values() if c.dataset == "pascal"]
    assert pascal == sorted(pascal, reverse=True), "best first"
    assert checkpoint("espnetv2_s_0.5_pascal_256x256.pth") is checkpoint(SMALL)
    with pytest.raises(KeyError, match="unknown"):
        checkpoint("espnetv2_s_3.0_pascal_256x256")


def test_env_folder_comes_before_the_hub_cache(shared_weights, hub, empty_env, monkeypatch):
    assert find_checkpoint(SMALL) is None
    hub.mkdir(parents=True)
    shutil.copy(shared_weights / checkpoint(SMALL).filename, hub)
    assert find_checkpoint(SMALL) == hub / checkpoint(SMALL).filename
    shutil.copy(shared_weights / checkpoint(SMALL).filename, empty_env)
    assert find_checkpoint(SMALL) == empty_env / checkpoint(SMALL).filename
    monkeypatch.delenv("PIXELWISE_WEIGHTS")
    assert find_checkpoint(SMALL) == hub / checkpoint(SMALL).filename


def test_available_checkpoints_lists_the_shared_files_best_first(shared_weights, hub, monkeypatch):
    monkeypatch.setenv("PIXELWISE_WEIGHTS", str(shared_weights))
    present = {p.stem for p in shared_weights.glob("espnetv2_*pascal*.pth")}
    assert available_checkpoints() == [name for name in CHECKPOINTS if name in present]


def test_download_from_a_file_url_lands_verified_in_the_hub_cache(shared_weights, hub, empty_env):
    source = shared_weights / checkpoint(SMALL).filename
    calls = []
    path = download_checkpoint(SMALL, progress=lambda done, total: calls.append((done, total)),
                               url=source.as_uri())
    assert path == hub / checkpoint(SMALL).filename
    assert path.read_bytes() == source.read_bytes()
    assert ck.sha256_of(path) == checkpoint(SMALL).sha256
    assert sorted(p.name for p in hub.iterdir()) == [path.name], "no temporary file left"
    size = checkpoint(SMALL).bytes
    assert calls[0] == (0, size) and calls[-1] == (size, size) and len(calls) > 2
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert find_checkpoint(SMALL) == path  # found in the hub once the env folder is empty
    model = load_espnetv2(SMALL)
    assert not model.training and model.width == 0.5


def test_a_wrong_hash_is_refused_and_no_file_is_left(shared_weights, hub, empty_env):
    other = shared_weights / checkpoint("espnetv2_s_1.0_pascal_256x256").filename
    with pytest.raises(WeightsUnavailable) as error:
        download_checkpoint(SMALL, url=other.as_uri())
    assert "sha256" in english(error.value)
    assert checkpoint(SMALL).filename in english(error.value)
    assert list(hub.iterdir()) == []
    assert find_checkpoint(SMALL) is None


def test_an_interrupted_download_leaves_no_file(shared_weights, hub, empty_env):
    def stop(done, total):
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        download_checkpoint(SMALL, progress=stop, url=(shared_weights / checkpoint(SMALL).filename).as_uri())
    assert list(hub.iterdir()) == []


def test_offline_with_no_file_anywhere_says_which_file_and_both_places(hub, empty_env):
    with pytest.raises(WeightsUnavailable) as error:
        download_checkpoint(SMALL, url=UNREACHABLE)
    message = english(error.value)
    for needed in (checkpoint(SMALL).filename, str(empty_env), str(hub), "PIXELWISE_WEIGHTS", UNREACHABLE):
        assert needed in message
    assert list(hub.iterdir()) == []
    with pytest.raises(WeightsUnavailable) as error:
        load_espnetv2(SMALL)
    message = english(error.value)
    for needed in (checkpoint(SMALL).filename, str(empty_env), str(hub), checkpoint(SMALL).url):
        assert needed in message


def test_missing_message_without_the_env_variable_still_names_it(hub, monkeypatch):
    monkeypatch.delenv("PIXELWISE_WEIGHTS", raising=False)
    with pytest.raises(WeightsUnavailable) as error:
        load_espnetv2(SMALL)
    assert "PIXELWISE_WEIGHTS" in english(error.value)
    assert str(hub) in english(error.value)


def test_a_corrupt_copy_is_refused_on_load(shared_weights, hub, empty_env):
    data = bytearray((shared_weights / checkpoint(SMALL).filename).read_bytes())
    data[-100] ^= 0xFF
    (empty_env / checkpoint(SMALL).filename).write_bytes(bytes(data))
    with pytest.raises(WeightsUnavailable) as error:
        load_espnetv2(SMALL)
    assert "wrong sha256" in english(error.value)


def test_load_espnetv2_loads_every_shared_checkpoint_strictly_in_eval_mode(shared_weights, monkeypatch):
    monkeypatch.setenv("PIXELWISE_WEIGHTS", str(shared_weights))
    for path in sorted(shared_weights.glob("espnetv2_*.pth")):
        model = load_espnetv2(path.stem)
        assert not model.training
        state = torch.load(path, map_location="cpu", weights_only=True)
        assert all(torch.equal(state[k], v) for k, v in model.state_dict().items())
