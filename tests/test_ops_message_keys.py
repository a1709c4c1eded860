"""ops/ holds no words: every error a page shows is raised with a message key that both catalogs have, with
the same placeholders as the values the code passes.

The scan reads ops/ (and pages/, which raise StackError too) with ast, so a new `raise BadImage("...")`
with English text, a key missing from a catalog, or a misspelt placeholder fails here.
"""

import ast
from pathlib import Path

import pytest
import torch

from lessons import i18n
from ops.errors import UserFacingError
from ops.segmentation import checkpoints
from ops.segmentation.registry import MODELS, best_available, download_weights
from tests.english import english

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "ops").rglob("*.py"), *(ROOT / "pages").glob("*.py")])
LANGUAGES = ("en", "zh")
SMALL = "espnetv2_s_0.5_pascal_256x256"


def _trees() -> dict[Path, ast.AST]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in SOURCES}


def _class_defs(trees) -> list[ast.ClassDef]:
    return [node for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]


def _inherited(classes: list[ast.ClassDef], known: dict) -> dict:
    """`known` (class name -> value) spread to every subclass, directly or through another: a subclass gets
    the value of its first base that has one, unless it has its own."""
    known, grew = dict(known), True
    while grew:
        grew = False
        for node in classes:
            bases = [getattr(base, "id", getattr(base, "attr", None)) for base in node.bases]
            found = [known[b] for b in bases if b in known]
            if node.name not in known and found:
                known[node.name] = found[0]
                grew = True
    return known


def user_facing_classes(trees) -> set[str]:
    """Names of UserFacingError and every class in ops/ that subclasses it (directly or through another)."""
    return set(_inherited(_class_defs(trees), {"UserFacingError": True}))


def class_keys(trees) -> dict[str, str]:
    """Classes that carry their message key as a class attribute (`key = "serving.busy"`), inherited by their
    subclasses: raising one passes an English detail for the logs first, not a key."""
    classes = _class_defs(trees)
    own = {node.name: statement.value.value for node in classes for statement in node.body
           if isinstance(statement, ast.Assign) and [getattr(t, "id", None) for t in statement.targets] == ["key"]
           and isinstance(statement.value, ast.Constant)}
    return _inherited(classes, own)


def raised_messages() -> list[tuple[str, int, str | None, set[str], bool]]:
    """(file, line, key or None when not a literal, keyword names passed, whether **values are passed too)."""
    trees = _trees()
    classes = user_facing_classes(trees) - {"UserFacingError"}
    own_keys = class_keys(trees)
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            name = getattr(node.func, "id", getattr(node.func, "attr", None)) if isinstance(node, ast.Call) else None
            if name in classes:
                first = node.args[0] if node.args else None
                key = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
                key = own_keys.get(name, key)
                names = {kw.arg for kw in node.keywords if kw.arg is not None}
                starred = any(kw.arg is None for kw in node.keywords)
                found.append((str(path.relative_to(ROOT)), node.lineno, key, names, starred))
    return found


def image_notes() -> list[tuple[str, int, str, set[str]]]:
    """The ("image_note.*", {values}) pairs ops/segmentation/images.py records for the live demo's caption."""
    path = ROOT / "ops" / "segmentation" / "images.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[0], ast.Constant) \
                and str(node.elts[0].value).startswith("image_note.") and isinstance(node.elts[1], ast.Dict):
            names = {k.value for k in node.elts[1].keys if isinstance(k, ast.Constant)}
            found.append((str(path.relative_to(ROOT)), node.lineno, node.elts[0].value, names))
    return found


def test_the_scan_finds_the_errors_of_every_part():
    keys = {key for _, _, key, _, _ in raised_messages()}
    for prefix in ("image.", "download.", "weights.", "stack.", "upsampling.error.", "loss.error."):
        assert any(key and key.startswith(prefix) for key in keys), prefix
    assert len(image_notes()) >= 8
    assert {"BadImage", "WeightsUnavailable", "DownloadFailed", "StackError", "UpsamplingError",
            "LossInputError"} <= user_facing_classes(_trees())


def test_every_user_facing_error_is_raised_with_a_literal_key_not_words():
    offenders = [f"{path}:{line}" for path, line, key, _, _ in raised_messages()
                 if key is None or " " in key or "." not in key]
    assert not offenders, offenders


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_raised_from_ops_is_in_the_catalog_with_the_placeholders_passed(lang):
    catalog = i18n.messages(lang)
    problems = []
    for path, line, key, names, starred in raised_messages():
        if key not in catalog:
            problems.append(f"{path}:{line}: {key} is not in lessons/{lang}/messages.po")
            continue
        fields = i18n.placeholders(catalog[key])
        if (names != fields) if not starred else not names <= fields:
            problems.append(f"{path}:{line}: {key} passes {sorted(names)}, the text has {sorted(fields)}")
    for path, line, key, names in image_notes():
        if key not in catalog or i18n.placeholders(catalog[key]) != names:
            problems.append(f"{path}:{line}: note {key} with {sorted(names)}")
    assert not problems, problems


# ------------------------------------------------------------------- errors built with **values, checked live

@pytest.fixture
def no_weights(tmp_path, monkeypatch):
    """An empty $PIXELWISE_WEIGHTS folder and an empty torch hub cache."""
    (tmp_path / "weights").mkdir()
    monkeypatch.setenv("PIXELWISE_WEIGHTS", str(tmp_path / "weights"))
    previous = torch.hub.get_dir()
    torch.hub.set_dir(str(tmp_path / "hub"))
    yield tmp_path
    torch.hub.set_dir(previous)


def _weights_errors(folder: Path) -> list[UserFacingError]:
    """Every way the weights can be unavailable, each produced by the real code (file:// URLs, no network)."""
    junk = folder / "junk.pth"
    junk.write_bytes(b"not a checkpoint" * 64)
    nowhere = (folder / "nowhere.pth").as_uri()
    torchvision = MODELS["lraspp_mobilenet_v3_large"]
    attempts = [
        lambda: checkpoints.load_espnetv2(SMALL),
        lambda: checkpoints.download_checkpoint(SMALL, url=nowhere),
        lambda: checkpoints.download_checkpoint(SMALL, url=junk.as_uri()),
        lambda: download_weights(torchvision, url=nowhere),
        lambda: download_weights(torchvision, url=junk.as_uri()),
        lambda: best_available("semantic"),
        lambda: best_available("instance"),
    ]
    errors = []
    for attempt in attempts:
        with pytest.raises(checkpoints.WeightsUnavailable) as error:
            attempt()
        errors.append(error.value)
    (folder / "weights" / checkpoints.checkpoint(SMALL).filename).write_bytes(junk.read_bytes())
    with pytest.raises(checkpoints.WeightsUnavailable) as error:
        checkpoints.load_espnetv2(SMALL)
    return [*errors, error.value]


def test_weights_messages_get_exactly_the_values_their_texts_name(no_weights):
    errors = _weights_errors(no_weights)
    assert {error.key for error in errors} == {
        "weights.espnetv2_missing", "weights.espnetv2_download_failed", "weights.espnetv2_download_wrong_sha256",
        "weights.download_failed", "weights.download_wrong_sha256", "weights.none_semantic",
        "weights.none_instance", "weights.espnetv2_copy_wrong_sha256"}
    for error in errors:
        for lang in LANGUAGES:
            assert i18n.placeholders(i18n.messages(lang)[error.key]) == set(error.params), (lang, error.key)
        text = english(error)
        assert "{" not in text and str(no_weights / "weights") in text and "PIXELWISE_WEIGHTS" in text


def test_a_chinese_weights_message_names_the_same_file_and_places(no_weights):
    error = _weights_errors(no_weights)[1]  # the ESPNetv2 download that failed
    chinese = i18n.t(error.key, "zh", **error.params)
    assert chinese != english(error)
    for value in (checkpoints.checkpoint(SMALL).filename, str(no_weights / "weights"), error.params["url"]):
        assert value in chinese
