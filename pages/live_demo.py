"""Lab: a real network segments the class's own photo (upload, camera or a bundled sample).

Thin page: decoding, models and numbers come from ops.segmentation; pictures from
lessons/figures/live_views.py. Uploads stay in memory (never written to disk).
"""

import os

import streamlit as st

from lessons import i18n
from lessons.class_names import count_phrase, display_name
from lessons.devices import device_text
from lessons.figures import live_views as views
from ops.device import available_devices
from ops.segmentation import checkpoints
from ops.segmentation.images import EXTENSIONS, BadImage
from ops.segmentation.instances import from_semantic
from ops.segmentation.photo_job import PhotoJob
from ops.segmentation.photos import SegmentedPhoto, photo_key
from ops.segmentation.pipeline import compare_upsampling, load_model, palette_png
from ops.segmentation.registry import (
    WeightsUnavailable,
    available_models,
    download_weights,
    metric_words,
    missing_models,
)
from ops.segmentation.samples import sample_bytes
from ops.work_queue import QueueLeft
from pages import live_video, navigation, practice, practice_pictures, state, ui

SLUG = "live-demo"
RESULT = "live-demo.result"  # session: the SegmentedPhoto last segmented
PENDING = "live-demo.pending"  # session: the PhotoJob waiting for its turn (work queue) or for the model server
CANCELLED = "live-demo.cancelled"  # session: the key of the photo the student took out of the line
LATE_ERROR = "live-demo.late-error"  # session: a message from a segmentation the waiting panel ran
POLL = 0.5  # seconds between the waiting panel's runs


@st.cache_resource(max_entries=4, show_spinner=False)
def cached_model(name: str, device: str, half: bool):
    """One copy per (model, device, precision) for the whole server, shared by every session (eval mode)."""
    return load_model(name, device, half)


def model_once_per_server(name: str, device: str, half: bool):
    with st.spinner(ui.t("live_demo.loading_model_once_per_server", device=device_text(device, ui.lang()))):
        return cached_model(name, device, half)


def model_label(spec) -> str:
    metric, value = next(iter(spec.metrics.items()))
    title, name = i18n.say(spec.title_words, ui.lang()), i18n.say(metric_words(metric, short=True), ui.lang())
    return f"{title} · {name} {value:g}"


def start_job(key: str, data: bytes, label: str, model_name: str, device: str, half: bool) -> PhotoJob:
    """Queue a photo; a newer photo replaces the one still waiting."""
    old = st.session_state.get(PENDING)
    if old is not None:
        old.cancel()
    st.session_state.pop(CANCELLED, None)
    job = st.session_state[PENDING] = PhotoJob(key, data, label, model_name, device, half)
    return job


def attempt(job: PhotoJob) -> str:
    """Segment the waiting photo if its turn has come: "done", or "waiting" (for a slot, or to retry)."""
    if not job.turn_has_come():
        return "waiting"
    try:
        with st.spinner(ui.t("live_demo.segmenting")):
            photo = job.run(model_once_per_server)
    except (QueueLeft, BadImage, WeightsUnavailable, RuntimeError, ValueError):
        st.session_state.pop(PENDING, None)
        raise
    if photo is None:
        return "waiting"
    st.session_state[RESULT] = photo
    st.session_state.pop(PENDING, None)
    return "done"


def cancel_pending() -> None:
    job = st.session_state.pop(PENDING, None)
    if job is not None:
        job.cancel()
        st.session_state[CANCELLED] = job.key


def retry_pending() -> None:
    job = st.session_state.get(PENDING)
    if job is not None:
        job.retry()


def pending_panel() -> None:
    """Ticks (st.fragment run_every) while a photo waits: its place in line or the model server's state."""
    job = st.session_state.get(PENDING)
    if job is None:
        return
    if not job.gave_up:
        try:
            outcome = attempt(job)
        except QueueLeft:
            outcome = "gone"
        except (BadImage, WeightsUnavailable, RuntimeError, ValueError) as error:
            st.session_state[LATE_ERROR] = ui.t("live_demo.photo_cannot_used") + ui.error_text(error)
            outcome = "done"
        if outcome in ("done", "gone"):
            st.rerun()  # the whole page draws the new photo
    ahead = job.ahead
    if ahead is not None:
        st.info(
            ui.tn("live_demo.queue.ahead", ahead),
            icon=":material/hourglass_top:",
        )
    elif job.error is not None and not job.gave_up:
        st.info(ui.error_text(job.error), icon=":material/hourglass_top:")
    elif job.error is not None:
        st.warning(ui.t("live_demo.serving.gave_up", attempts=job.attempts), icon=":material/cloud_off:")
        st.button(ui.t("live_demo.serving.try_again"), key="live-demo.retry", on_click=retry_pending,
                  icon=":material/refresh:")
    st.button(ui.t("live_demo.queue.cancel"), key="live-demo.cancel", on_click=cancel_pending,
              icon=":material/close:")


def render() -> None:
    ui.title(SLUG)
    ui.text(SLUG, "intro")
    lang = ui.lang()

    def name_of(classes: list[str], class_id: int) -> str:
        return display_name(classes[class_id], lang)

    # ------------------------------------------------------------------------------------------- choose
    present = available_models()
    devices = available_devices()
    state.init(SLUG, **{"live-demo.model": present[0].name if present else ""})
    practice.practice_section(SLUG, practice_pictures.live_demo)  # before the figures that give it away

    source_column, model_column, device_column = st.columns([3, 3, 2])
    with source_column:
        st.segmented_control(
            ui.t("live_demo.photo"),
            state.choices("live-demo.source"),
            key="live-demo.source",
            required=True,
            format_func=lambda s: {
                "sample": ui.t("live_demo.sample"),
                "upload": ui.t("live_demo.upload"),
                "camera": ui.t("live_demo.source.camera"),
                "video": ui.t("live_video.source"),
            }[s],
        )
    with model_column:
        if present:
            st.selectbox(
                ui.t("live_demo.model_only_those_whose_weights"),
                [s.name for s in present],
                key="live-demo.model",
                format_func=lambda n: model_label(next(s for s in present if s.name == n)),
            )
    with device_column:
        st.selectbox(
            ui.t("live_demo.device"),
            devices,
            key="live-demo.device",
            format_func=lambda d: {"cuda": "GPU (CUDA)", "mps": "GPU (Apple MPS)", "cpu": "CPU"}[d],
            help=ui.t("live_demo.fastest_device_chosen_first_cuda"),
        )
        st.toggle(
            ui.t("live_demo.half_precision"),
            key="live-demo.half",
            disabled=not st.session_state["live-demo.device"].startswith("cuda"),
            help=ui.t("live_demo.float16_cuda_gpu_about_twice"),
        )

    def missing_panel() -> None:
        """The models whose weights are not here: which file, where to put it, and a download button."""
        missing = missing_models()
        if not missing:
            return
        env = os.environ.get(checkpoints.ENV_VAR)
        heading = (
            ui.tn("live_demo.more_models_need_their_weights", len(missing))
            if present
            else ui.tn("live_demo.no_weights_yet_choose_one", len(missing))
        )
        with st.expander(heading, icon=":material/download:", expanded=not present):
            st.markdown(
                ui.t(
                    "live_demo.put_missing_file_or_torch",
                    weights_dir=env or ui.t("live_demo.weights_env_not_set"),
                    hub_dir=checkpoints.hub_checkpoint_dir(),
                )
            )
            from ops import shared_server

            token = None
            if shared_server.enabled():  # a shared server downloads only for its admin (ops.shared_server)
                token = st.text_input(ui.t("shared.admin_token"), type="password", key="live-demo.admin_token")
            for spec in missing:
                text, button = st.columns([5, 2])
                metric = ", ".join(f"{i18n.say(metric_words(k), ui.lang())}: {v}" for k, v in spec.metrics.items())
                title = i18n.say(spec.title_words, ui.lang())
                text.markdown(
                    f"**{title}** · `{spec.weights_file}` · {spec.size_mb:.1f} MB · {metric}  \n"
                    f"<small>{spec.url} · {spec.licence}</small>",
                    unsafe_allow_html=True,
                )
                if button.button(
                    ui.t("live_demo.download"), key=f"live-demo.download.{spec.name}", icon=":material/download:"
                ):
                    bar = st.progress(0.0, text=ui.t("live_demo.connecting"))

                    def show(done: int, total: int, bar=bar, spec=spec) -> None:
                        bar.progress(
                            min(1.0, done / max(total, 1)),
                            text=f"{spec.weights_file}: {done / 1e6:.1f} / {total / 1e6:.1f} MB",
                        )

                    try:
                        download_weights(spec, progress=show, token=token)
                    except shared_server.AdminOnly as error:
                        bar.empty()
                        ui.bad_input(ui.error_text(error))
                    except WeightsUnavailable as error:
                        bar.empty()
                        ui.bad_input(ui.t("live_demo.download_did_not_work_offline") + ui.error_text(error))
                    else:
                        st.rerun()

    missing_panel()
    if not present:
        ui.bad_input(ui.t("live_demo.no_segmentation_weights_were_found"))
        state.share_state()
        st.stop()

    # ------------------------------------------------------------------------------------------- photo
    source = st.session_state["live-demo.source"]
    if source == "video":  # the camera streamed live: its own section, none of the photo's figures
        live_video.section(st.session_state["live-demo.model"], st.session_state["live-demo.device"], lang,
                           model_once_per_server)
        state.share_state()
        st.stop()
    data, label = None, ""
    if source == "sample":
        st.selectbox(
            ui.t("live_demo.sample_photo_shipped_scikit_image"),
            state.choices("live-demo.sample"),
            key="live-demo.sample",
            format_func=lambda n: f"{n}: " + ui.t(f"sample.{n}"),
        )
        data, label = sample_bytes(st.session_state["live-demo.sample"]), st.session_state["live-demo.sample"]
    elif source == "upload":
        uploaded = st.file_uploader(
            ui.t("live_demo.your_photo_jpeg_png_webp"), type=EXTENSIONS, key="live-demo.upload", max_upload_size=50
        )
        if uploaded is not None:
            data, label = uploaded.getvalue(), uploaded.name
    else:
        shot = st.camera_input(ui.t("live_demo.take_photo"), key="live-demo.camera")
        if shot is not None:
            data, label = shot.getvalue(), ui.t("live_demo.camera")

    model_name = st.session_state["live-demo.model"]
    device = st.session_state["live-demo.device"]
    half = bool(st.session_state["live-demo.half"]) and device.startswith("cuda")
    previous = st.session_state.get(RESULT)

    def run(data: bytes, label: str) -> SegmentedPhoto | None:
        """The photo's segmentation, or None while it waits its turn (the pending panel says so)."""
        key = photo_key(data, model_name, device, half)
        last = st.session_state.get(RESULT)
        if last is not None and last.key == key:
            return last
        if st.session_state.get(CANCELLED) == key:  # the student took this photo out of the line
            return None
        job = st.session_state.get(PENDING)
        if job is None or job.key != key:
            job = start_job(key, data, label, model_name, device, half)
        if attempt(job) == "done":
            return st.session_state[RESULT]
        return None

    if data is None and source != "sample":
        st.info(ui.t("live_demo.choose_photo_above_or_take"), icon=":material/photo:")
    try:
        if data is not None:
            try:
                previous = run(data, label) or previous
            except BadImage as error:
                ui.bad_input(
                    ui.t("live_demo.photo_cannot_used")
                    + ui.error_text(error)
                    + ui.t("live_demo.last_good_photo_shown_instead")
                )
        if previous is None and CANCELLED not in st.session_state:  # nothing usable yet: the default sample
            previous = run(sample_bytes("astronaut"), "astronaut")
    except (WeightsUnavailable, RuntimeError, ValueError) as error:
        ui.bad_input(ui.t("live_demo.model_could_not_run") + ui.error_text(error))
        previous = st.session_state.get(RESULT)
    late_error = st.session_state.pop(LATE_ERROR, None)  # from a segmentation the waiting panel ran
    if late_error:
        ui.bad_input(late_error)
    if st.session_state.get(CANCELLED) is not None:
        st.caption(ui.t("live_demo.queue.cancelled"))
    if PENDING in st.session_state:
        waiting = not st.session_state[PENDING].gave_up
        st.fragment(pending_panel, run_every=POLL if waiting else None)()

    if previous is None:
        state.share_state()
        st.stop()

    image_array, result, notes, label = previous.pixels, previous.result, previous.notes, previous.label
    classes = result.classes
    height, width = result.labels.shape
    if notes:
        st.caption(ui.t("live_demo.converted_way") + "; ".join(ui.t(key, **params) for key, params in notes))

    # ----------------------------------------------------------------------------------------- overlay
    st.header(ui.t("live_demo.1_every_pixel_gets_class"))
    shares = result.class_shares()
    present_ids = [c for c, _ in shares]
    objects = [c for c in present_ids if c != 0]
    toggle_key = f"live-demo.shown.{hash(tuple(objects))}"
    controls, legend = st.columns([2, 3])
    with controls:
        st.slider(
            ui.t("live_demo.colour_opacity"),
            state.setting("live-demo.opacity").lo,
            state.setting("live-demo.opacity").hi,
            step=0.05,
            key="live-demo.opacity",
            help=ui.t("live_demo.0_shows_photo_alone_1"),
        )
        shown = st.pills(
            ui.t("live_demo.classes_shown_click_hide"),
            objects,
            selection_mode="multi",
            default=objects,
            key=toggle_key,
            format_func=lambda c: name_of(classes, c),
        )
    with legend:
        legend_fig = views.share_figure(
            [(name_of(classes, c), f, views.colour_hex(c)) for c, f in shares],
            ui.t("live_demo.classes_picture_share_its_pixels"),
            ui.t("live_demo.pixels"),
        )
        ui.chart(legend_fig, key="live-demo.legend")

    overlaid = views.overlay(
        image_array, result.labels, len(classes), st.session_state["live-demo.opacity"], set(shown or [])
    )
    left, right = st.columns(2)
    left.image(
        image_array, caption=ui.t("live_demo.input_pixels", label=label, width=width, height=height), width="stretch"
    )
    right.image(overlaid, caption=ui.t("live_demo.output_class_per_pixel_drawn", model=result.model), width="stretch")
    save_mask, save_overlay, _ = st.columns([1, 1, 2])
    save_mask.download_button(
        ui.t("live_demo.label_mask_palette_png"),
        palette_png(result.labels),
        file_name="labels.png",
        mime="image/png",
        icon=":material/download:",
        on_click="ignore",
        help=ui.t("live_demo.pixel_value_class_id_pascal"),
    )
    save_overlay.download_button(
        ui.t("live_demo.overlay_png"),
        views.png(overlaid),
        file_name="overlay.png",
        mime="image/png",
        icon=":material/download:",
        on_click="ignore",
    )

    ui.text(SLUG, "confidence")
    confidence = views.resize_map(result.confidence, (width, height))
    ui.chart(
        views.heatmap_figure(
            confidence,
            ui.t("live_demo.confidence_highest_softmax_probability_each"),
            ui.t("live_demo.probability"),
            zmin=0,
            zmax=1,
            hover=ui.t("live_demo.probability"), lang=ui.lang(),
        ),
        key="live-demo.confidence",
        export="live-confidence",
    )

    # -------------------------------------------------------------------------------- coarse vs final
    if result.coarse is not None:
        st.header(ui.t("live_demo.2_what_network_really_predicts"))
        ui.text(SLUG, "coarse")
        coarse = result.coarse
        in_w, in_h = result.input_size
        st.caption(
            ui.t(
                "live_demo.network_saw_pixels_predicted_class",
                in_w=in_w,
                in_h=in_h,
                classes=coarse.shape[0],
                coarse_w=coarse.shape[2],
                coarse_h=coarse.shape[1],
                output_stride=round(in_w / coarse.shape[2]),
            )
        )
        inspect_options = objects or present_ids
        if st.session_state.get("live-demo.inspect") not in inspect_options:
            st.session_state["live-demo.inspect"] = inspect_options[0]
        inspected = st.selectbox(
            ui.t("live_demo.class_whose_scores_are_shown"),
            inspect_options,
            key="live-demo.inspect",
            format_func=lambda c: name_of(classes, c),
        )
        align = result.model.startswith("espnetv2")
        derived = st.session_state.get("live-demo.upsampled")
        if derived is None or derived[0] is not result:  # once per photo, not on every slider move
            derived = (result, compare_upsampling(coarse, (in_h, in_w), align_corners=align))
            st.session_state["live-demo.upsampled"] = derived
        nearest, bilinear, differ = derived[1]
        coarse_ids = coarse.argmax(0)
        first, second = st.columns(2)
        with first:
            ui.chart(
                views.heatmap_figure(
                    coarse[inspected],
                    ui.t(
                        "live_demo.coarse_scores_before_upsampling",
                        class_name=name_of(classes, inspected),
                        coarse_w=coarse.shape[2],
                        coarse_h=coarse.shape[1],
                    ),
                    ui.t("live_demo.score_logit"),
                    hover=ui.t("live_demo.score"), lang=ui.lang(),
                ),
                key="live-demo.coarse-scores",
            )
        with second:
            st.image(
                views.crisp(views.colourise(coarse_ids, len(classes))),
                width="stretch",
                caption=ui.t(
                    "live_demo.coarse_class_map_best_class", coarse_w=coarse.shape[2], coarse_h=coarse.shape[1]
                ),
            )
        third, fourth = st.columns(2)
        third.image(
            views.colourise(nearest, len(classes)),
            width="stretch",
            caption=ui.t("live_demo.scores_upsampled_nearest_neighbour_then", in_w=in_w, in_h=in_h),
        )
        fourth.image(
            views.colourise(bilinear, len(classes)),
            width="stretch",
            caption=ui.t("live_demo.scores_upsampled_bilinearly_then_best", in_w=in_w, in_h=in_h),
        )
        st.metric(ui.t("live_demo.pixels_labelled_differently_nearest_bilinear"), f"{differ:.1%}")
        st.markdown(
            views.legend_html([(name_of(classes, c), views.colour_hex(c)) for c in present_ids]), unsafe_allow_html=True
        )
        navigation.link("upsampling", ui.t("live_demo.back_upsampling_lesson_nearest_bilinear"))

    # ------------------------------------------------------------------------------ semantic vs instance
    st.header(ui.t("live_demo.3_semantic_or_instance_how"))
    if result.instances is not None:
        found = result.instances
        ui.text(SLUG, "instances-maskrcnn")
    else:
        found = from_semantic(result.labels, classes)
        ui.text(SLUG, "instances-components")
    counts = found.counts()
    first, second = st.columns(2)
    first.image(
        views.colourise(result.labels, len(classes)),
        width="stretch",
        caption=ui.t("live_demo.semantic_one_colour_per_class"),
    )
    second.image(
        views.object_overlay(image_array, found.ids, 0.65),
        width="stretch",
        caption=ui.t("live_demo.instances_one_colour_per_object")
        + (
            ui.t("live_demo.mask_r_cnn")
            if found.source == "mask-rcnn"
            else ui.t("live_demo.connected_blobs_semantic_map")
        ),
    )
    if counts:
        st.subheader(", ".join(count_phrase(name, n, lang) for name, n in counts.items()))
    else:
        st.subheader(ui.t("live_demo.no_objects_found"))
    if found.source != "mask-rcnn":
        navigation.link("things-and-stuff", ui.t("live_demo.why_touching_objects_merge_what"))

    # ------------------------------------------------------------------------------------------ latency
    st.header(ui.t("live_demo.4_where_time_went"))
    stages = result.latency.as_dict()
    stage_names = {
        "decode": ui.t("live_demo.decode"),
        "preprocess": ui.t("live_demo.preprocess"),
        "forward": ui.t("live_demo.forward_pass"),
        "postprocess": ui.t("live_demo.postprocess"),
    }
    st.markdown(
        ui.t("live_demo.latency.device", device=device_text(result.device, ui.lang()))
        + (ui.t("live_demo.latency.half_precision") if half else "")
        + (
            ui.t("live_demo.waited_ms_other_students_photos", wait_ms=result.latency.wait_ms)
            if result.latency.wait_ms >= 1
            else ""
        )
    )
    columns = st.columns(4)
    for column, (stage, ms) in zip(columns, stages.items()):
        column.metric(stage_names[stage] + " (ms)", f"{ms:.1f}")
    on_gpu = not result.device.startswith("cpu")
    ui.chart(
        views.latency_figure(
            stages,
            stage_names,
            ui.t(
                "live_demo.latency_title_gpu" if on_gpu else "live_demo.latency_title", total_ms=result.latency.total_ms
            ),
            "ms",
        ),
        key="live-demo.latency",
    )
    ui.text(SLUG, "latency")
    state.share_state()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
