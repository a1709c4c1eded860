"""Lab: your own network (issue 22). A student uploads an ONNX segmentation model, or picks one of the project's
exported on the spot, and sees its anatomy in the lecture's words.

Thin page: every number comes from ops/own_network, every figure from lessons/figures/own_network.py. Uploads
stay in memory (never written to disk); analyses are shared per server (ops/own_network/cached.py).
"""

import numpy as np
import streamlit as st

from lessons.class_names import display_name
from lessons.figures import own_network as figures
from ops.errors import UserFacingError
from ops.own_network.choices import MAX_UPLOAD_MB, PROJECT_MODELS, TINY
from ops.segmentation.samples import SAMPLES
from pages import navigation, practice_pictures, state, ui
from pages.lesson_start import lesson_start
from pages.navigation import lesson_page

SLUG = "own-network"
RESULTS = "own-network.results"  # session: (what was computed) -> effective field or label map, the latest few
CLASS_SETS = ("voc", "cityscapes", "coco_stuff", "typed", "numbers")
UP_OPERATOR = {"nearest": "nearest", "linear": "bilinear", "cubic": "bicubic"}


def choose_model(size: int):
    """(ONNX bytes or None, whether the weights are random, a title) from the project or an upload."""
    st.segmented_control(ui.t("own_network.source"), state.choices("own-network.source"), key="own-network.source",
                         required=True, format_func=lambda s: ui.t(f"own_network.source.{s}"))
    if st.session_state["own-network.source"] == "project":
        st.selectbox(ui.t("own_network.project_model"), PROJECT_MODELS, key="own-network.model",
                     format_func=lambda name: ui.t(f"own_network.model.{name}"))
        name = st.session_state["own-network.model"]
        from ops.own_network.exports import export_project_model

        with st.spinner(ui.t("own_network.exporting", model=ui.t(f"own_network.model.{name}"), size=size)):
            exported = export_project_model(name, size)
        return exported.data, exported.random_weights, ui.t(f"own_network.model.{name}")
    upload = st.file_uploader(ui.t("own_network.upload", mb=MAX_UPLOAD_MB), type=["onnx"],
                              max_upload_size=MAX_UPLOAD_MB, key="own-network.file")
    st.caption(ui.t("own_network.upload_limit", mb=MAX_UPLOAD_MB))
    if upload is None:
        return None, False, ""
    return upload.getvalue(), False, upload.name


def analyse(data: bytes, size: int):
    """The Anatomy (shared per server), with a progress bar while it is computed; None after saying why not."""
    from ops.own_network.cached import inspect_cached

    bar = st.progress(0.0, text=ui.t("own_network.step.checking"))
    try:
        return inspect_cached(data, (size, size), progress=lambda step, done: bar.progress(done, text=ui.t(step)))
    except UserFacingError as error:
        ui.bad_input(ui.t("own_network.cannot_read") + " " + ui.error_text(error))
        return None
    finally:
        bar.empty()


def summary(anatomy) -> None:
    columns = st.columns(4)
    columns[0].metric(ui.t("own_network.output_stride"), anatomy.output_stride)
    columns[1].metric(ui.t("own_network.theoretical_field"), f"{anatomy.receptive_field} px")
    columns[2].metric(ui.t("own_network.params"), f"{anatomy.params / 1e6:,.2f} M")
    columns[3].metric(ui.t("own_network.gflops"), f"{anatomy.flops / 1e9:,.2f}")
    st.caption(ui.t("own_network.summary", nodes=anatomy.nodes, opset=anatomy.opset, height=anatomy.size[0],
                    width=anatomy.size[1], shape=" × ".join(map(str, anatomy.output_shape)),
                    seconds=f"{anatomy.seconds:.1f}"))
    if anatomy.fixed_size:
        st.info(ui.t("own_network.fixed_size", height=anatomy.size[0], width=anatomy.size[1]),
                icon=":material/aspect_ratio:")


def stages_section(anatomy) -> None:
    st.subheader(ui.t("own_network.where_resolution_changes"))
    ui.text(SLUG, "stages")
    labels = {"title": ui.t("own_network.resolution_title"), "depth": ui.t("own_network.depth"),
              "side": ui.t("own_network.side"), "path": ui.t("own_network.deepest_path"),
              "conv": ui.t("own_network.kind.conv"), "pool": ui.t("own_network.kind.pool"),
              "up": ui.t("own_network.kind.up"), "other": ui.t("own_network.kind.other")}
    ui.chart(figures.resolution_figure(anatomy.points, anatomy.stages, anatomy.size[0], labels),
             key=f"{SLUG}.resolution")
    rows = [{ui.t("own_network.node"): name, ui.t("own_network.stride_so_far"): stride,
             ui.t("own_network.side"): f"{anatomy.size[0] // stride} × {anatomy.size[1] // stride}"}
            for name, stride in anatomy.stages]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    if anatomy.context:
        st.caption(ui.t("own_network.context_branches", count=len(anatomy.context),
                        names=", ".join(anatomy.context[:3]) + (" …" if len(anatomy.context) > 3 else "")))


def _link_params(entry: dict) -> dict:
    """The upsampling lesson's URL settings that show this operator."""
    scale = entry.get("scale")
    params = {}
    if entry["op"] == "resize":
        params["upsampling.op"] = UP_OPERATOR.get(entry["mode"], "bilinear")
        if entry["mode"] != "nearest":
            params["upsampling.align_corners"] = str(entry["coordinate_mode"] == "align_corners")
    elif entry["op"] == "conv_transpose":
        params["upsampling.op"] = "transposed_conv"
        stride, kernel, padding = entry["stride"][0], entry["kernel"][0], entry.get("padding", (0, 0))[0]
        if stride <= 4:
            params["upsampling.stride"] = str(stride)
        if kernel <= 5:
            params["upsampling.kernel"] = ";".join([",".join(["1"] * kernel)] * kernel)
        if padding <= 6:
            params["upsampling.padding"] = str(padding)
        scale = None
    else:
        params["upsampling.op"] = "max_unpool"
    if scale is not None and float(scale).is_integer() and int(scale) in (2, 3, 4):
        params["upsampling.scale"] = str(int(scale))
    return params


def _describe(entry: dict) -> str:
    if entry["op"] == "resize":
        return ui.t("own_network.up.resize", operator=ui.t(f"operator.{UP_OPERATOR.get(entry['mode'], 'bilinear')}"),
                    mode=entry["mode"], coordinate=entry["coordinate_mode"], scale=f"{entry['scale']:g}")
    if entry["op"] == "conv_transpose":
        text = ui.t("own_network.up.conv_transpose", kernel=" × ".join(map(str, entry["kernel"])),
                    stride=" × ".join(map(str, entry["stride"])), scale=f"{entry['scale']:g}")
        risk = "own_network.up.checkerboard" if entry["checkerboard"] else "own_network.up.even_overlap"
        return text + " " + ui.t(risk)
    return ui.t("own_network.up.max_unpool", kernel=" × ".join(map(str, entry["kernel"])),
                stride=" × ".join(map(str, entry["stride"])), scale=f"{entry['scale']:g}")


def upsampling_section(anatomy) -> None:
    st.subheader(ui.t("own_network.how_it_upsamples"))
    ui.text(SLUG, "upsampling")
    if not anatomy.upsampling:
        st.info(ui.t("own_network.no_upsampling"), icon=":material/info:")
        return
    groups: dict = {}
    for entry in anatomy.upsampling:
        key = tuple(sorted((k, v) for k, v in entry.items() if k not in ("node", "context")))
        groups.setdefault(key, []).append(entry)
    for entries in groups.values():
        entry = entries[0]
        text, link = st.columns([3, 1])
        where = ui.t("own_network.up.context") if entry["context"] else ""
        text.markdown(f"**{len(entries)} ×** {_describe(entry)} {where}  \n`{entry['node']}`")
        with link:
            st.page_link(lesson_page("upsampling"), label=ui.t("own_network.open_lesson"),
                         icon=":material/open_in_full:", query_params=_link_params(entry))


def photo_section(anatomy):
    """(the photo as a PIL image or None for a blank input, the normalisation)."""
    from ops.segmentation.samples import sample_image

    st.subheader(ui.t("own_network.photo"))
    left, right = st.columns(2)
    left.selectbox(ui.t("own_network.sample"), ["blank", *SAMPLES], key="own-network.sample",
                   format_func=lambda s: ui.t("own_network.blank") if s == "blank" else s)
    right.selectbox(ui.t("own_network.normalisation"), ("imagenet", "unit"), key="own-network.normalise",
                    format_func=lambda s: ui.t(f"own_network.normalise.{s}"))
    upload = st.file_uploader(ui.t("own_network.photo_upload"), type=["png", "jpg", "jpeg", "webp", "bmp"],
                              key="own-network.photo")
    if upload is not None:
        from ops.segmentation.images import BadImage, decode_upload

        try:
            return decode_upload(upload.getvalue()), f"upload:{upload.file_id}"
        except BadImage as error:
            ui.bad_input(error)
    name = st.session_state["own-network.sample"]
    return (None, "blank") if name == "blank" else (sample_image(name), f"sample:{name}")


def _remembered(key, build):
    """A per-session store of the last few photo results (a rerun for another widget does not redo them)."""
    results = st.session_state.setdefault(RESULTS, {})
    if key not in results:
        results[key] = build()
        while len(results) > 4:
            results.pop(next(iter(results)))
    return results[key]


def field_section(anatomy, photo, photo_key: str, normalise: str) -> None:
    from ops.own_network.anatomy import effective_field, field_extent

    st.subheader(ui.t("own_network.receptive_field"))
    ui.text(SLUG, "field")
    try:
        with st.spinner(ui.t("own_network.computing_field")):
            field = _remembered(("field", anatomy.sha256, anatomy.size, photo_key, normalise),
                                lambda: effective_field(anatomy, photo, normalise))
    except UserFacingError as error:
        ui.bad_input(ui.t("own_network.no_torch") + " " + ui.error_text(error))
        return
    effective = field_extent(field)
    shown = None if photo is None else np.asarray(photo.convert("RGB").resize((anatomy.size[1], anatomy.size[0])))
    columns = st.columns(3)
    columns[0].metric(ui.t("own_network.theoretical_field"), f"{anatomy.receptive_field} px")
    columns[1].metric(ui.t("own_network.effective_field"), f"{effective} px")
    columns[2].metric(ui.t("own_network.input_side"), f"{anatomy.size[0]} px")
    if anatomy.field_exceeds_input:
        st.caption(ui.t("own_network.field_exceeds", field=anatomy.receptive_field, side=max(anatomy.size)))
    labels = {"title": ui.t("own_network.field_title"), "colorbar": ui.t("own_network.gradient"),
              "theory": ui.t("own_network.theoretical_field"), "effective": ui.t("own_network.effective_95")}
    ui.chart(figures.effective_field_figure(shown, field, anatomy.receptive_field, effective, labels, lang=ui.lang()),
             key=f"{SLUG}.field")
    navigation.link("receptive-field")


def cost_section(anatomy) -> None:
    st.subheader(ui.t("own_network.cost"))
    ui.text(SLUG, "cost")
    if anatomy.torch_error is not None:
        ui.bad_input(ui.t("own_network.no_torch") + " " + ui.error_text(anatomy.torch_error))

    def ms(value):
        return "—" if value is None else f"{value:,.1f} ms"

    agree = anatomy.flops_torch == anatomy.flops
    rows = [
        (ui.t("own_network.params"), f"{anatomy.params:,}"),
        (ui.t("own_network.flops_graph"), f"{anatomy.flops:,}"),
        (ui.t("own_network.flops_torch"), "—" if anatomy.flops_torch is None else
         f"{anatomy.flops_torch:,} " + ("✓" if agree else "≠")),
        (ui.t("own_network.time_onnxruntime"), ms(anatomy.ort_ms)),
        (ui.t("own_network.time_torch"), ms(anatomy.torch_ms)),
        (ui.t("own_network.analysis_time"), f"{anatomy.seconds:.1f} s"),
    ]
    st.dataframe([{ui.t("own_network.measure"): name, ui.t("own_network.value"): value} for name, value in rows],
                 hide_index=True, width="stretch")
    if anatomy.pooling_flops:
        st.caption(ui.t("own_network.pooling_flops", flops=f"{anatomy.pooling_flops:,}"))
    with st.expander(ui.t("own_network.operators", count=len(anatomy.operators))):
        st.dataframe([{ui.t("own_network.operator"): op, ui.t("own_network.count"): n}
                      for op, n in anatomy.operators.items()], hide_index=True, width="stretch")


def predictions_section(anatomy, photo, photo_key: str, normalise: str) -> None:
    from ops.own_network.anatomy import predict
    from ops.own_network.class_sets import guess, names_for

    st.subheader(ui.t("own_network.predictions"))
    if not anatomy.scores:
        st.info(ui.t("own_network.not_scores"), icon=":material/info:")
        return
    ui.text(SLUG, "predictions")
    if photo is None:
        st.info(ui.t("own_network.choose_photo"), icon=":material/photo:")
        return
    left, right = st.columns(2)
    default = guess(anatomy.classes)
    chosen = left.selectbox(ui.t("own_network.class_names"), CLASS_SETS, index=CLASS_SETS.index(default),
                            key=f"own-network.classes.{anatomy.classes}",
                            format_func=lambda s: ui.t(f"own_network.classes.{s}"))
    typed = right.text_input(ui.t("own_network.typed_names"), key="own-network.typed",
                             disabled=chosen != "typed", placeholder=ui.t("own_network.typed_names_example"))
    names = [display_name(n, ui.lang()) for n in names_for(chosen, anatomy.classes, typed)]
    try:
        with st.spinner(ui.t("own_network.segmenting")):
            labels = _remembered(("labels", anatomy.sha256, anatomy.size, photo_key, normalise),
                                 lambda: predict(anatomy, photo, normalise))
    except UserFacingError as error:
        ui.bad_input(error)
        return
    picture = np.asarray(photo.convert("RGB"))
    ui.chart(figures.label_overlay_figure(picture, labels, names, ui.t("own_network.label_map")),
             key=f"{SLUG}.labels")


def render() -> None:
    lesson_start(SLUG, practice_pictures.receptive_field)
    st.subheader(ui.t("own_network.load"))
    ui.text(SLUG, "load")
    st.select_slider(ui.t("own_network.size"), state.choices("own-network.size"), key="own-network.size")
    size = st.session_state["own-network.size"]
    data, random_weights, title = choose_model(size)
    with st.expander(ui.t("own_network.export_code"), icon=":material/code:"):
        ui.text(SLUG, "export")
    if data is None:
        st.info(ui.t("own_network.waiting_for_upload"), icon=":material/upload_file:")
        state.share_state()
        return
    anatomy = analyse(data, size)
    if anatomy is None:
        state.share_state()
        return
    if random_weights:
        which = "own_network.random_weights_tiny" if st.session_state.get("own-network.model") == TINY else \
            "own_network.random_weights"
        st.info(ui.t(which, model=title), icon=":material/casino:")
    summary(anatomy)
    stages_section(anatomy)
    upsampling_section(anatomy)
    photo, photo_key = photo_section(anatomy)
    normalise = st.session_state["own-network.normalise"]
    field_section(anatomy, photo, photo_key, normalise)
    cost_section(anatomy)
    predictions_section(anatomy, photo, photo_key, normalise)
    ui.text(SLUG, "after")
    state.share_state()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
