"""Find English words written into Python where a user would read them: figure titles, hover texts, trace
names, axis titles, and the text arguments of st.* calls. The words belong in the catalogs (lessons/)."""

import ast
import re
from pathlib import Path

# keyword arguments (and dict keys) whose string value a user reads on the page or in a figure
SHOWN_KEYWORDS = {"title", "title_text", "text", "hovertemplate", "texttemplate", "name", "label", "help",
                  "placeholder", "caption", "annotation_text", "subplot_titles", "ticktext", "tooltip",
                  "body", "options", "value"}
# st.* calls whose first positional argument is shown text
SHOWN_CALLS = {"title", "header", "subheader", "markdown", "caption", "write", "text", "info", "warning", "error",
               "success", "button", "checkbox", "radio", "selectbox", "slider", "toggle", "expander", "tabs",
               "metric", "number_input", "text_input", "text_area", "download_button", "link_button", "page_link",
               "toast", "status", "spinner", "popover", "form_submit_button", "segmented_control", "pills",
               "multiselect", "select_slider", "file_uploader", "camera_input", "color_picker", "date_input",
               "latex"}  # not st.code: code is code in every language
# what is not a word: plotly's %{...} fields, format fields {...}, HTML tags and entities, CSS-like tokens
NOT_WORDS = re.compile(r"%\{[^}]*\}|\{[^{}]*\}|<[^<>]*>|<\w[^<>]*$|^[^<>]*>|&\w+;|:material/\w+:|\$[^$]*\$")
WORD = re.compile(r"(?<![\w.#/-])[A-Za-z][a-z]+(?![\w/-])")
# symbols and units every language writes alike
NEUTRAL = {"mIoU", "ms", "px", "Hz", "dB", "fps", "mAP", "RGB", "ReLU", "softmax", "argmax", "ONNX", "IoU",
           "PyTorch", "Pixelwise", "nats", "Cᵀ"}


def english_words(text: str) -> list[str]:
    """The English words of a shown string (acronyms, units and placeholders are not words)."""
    words = WORD.findall(NOT_WORDS.sub(" ", text))
    return [w for w in words if w not in NEUTRAL and not w.isupper()]


def _strings(node) -> list[ast.Constant]:
    """The literal text pieces of an expression: constants, f-string parts, both sides of + and a ternary."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, ast.JoinedStr):
        return [part for part in node.values if isinstance(part, ast.Constant)]
    if isinstance(node, ast.BinOp):
        return _strings(node.left) + _strings(node.right)
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [piece for element in node.elts for piece in _strings(element)]
    return []


def _shown(tree: ast.AST):
    """Every expression in the module whose text is shown."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in SHOWN_KEYWORDS:
                    yield keyword.value
            name = getattr(node.func, "attr", None)
            owner = getattr(getattr(node.func, "value", None), "id", None)
            if name in SHOWN_CALLS and owner in {"st", "column", "col", "left", "right", "box", "tab"} and node.args:
                yield node.args[0]
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value in {"title", "text", "hovertemplate", "name"}:
                    yield value


def leaks(path: Path) -> list[str]:
    """'file:line: word' for each English word the module shows."""
    found = []
    for expression in _shown(ast.parse(path.read_text(encoding="utf-8"))):
        for piece in _strings(expression):
            for word in english_words(piece.value):
                found.append(f"{path.name}:{piece.lineno}: {word!r} in {piece.value!r}")
    return found
