"""The live demo's video source: the camera streamed over WebRTC (streamlit-webrtc), every frame labelled.

Thin layout: the stream's slot in the work queue, its newest-frame processor and the per-frame path are
ops/segmentation/video*.py; the overlay is drawn by lessons/figures/live_views.video_picture. Frames stay
in memory: nothing is recorded or written.
"""

import time

import streamlit as st
from streamlit_webrtc import WebRtcMode, webrtc_streamer

from lessons.class_names import display_name
from lessons.devices import device_text
from lessons.figures import live_views as views
from ops.segmentation.registry import WeightsUnavailable, spec_for
from ops.segmentation.video_frame import SIZES, VIEWS, FrameSettings, frame_precision, video_models
from ops.segmentation.video_ice import BadIceServers, rtc_configuration
from ops.segmentation.video_stream import VideoStream
from pages import state, ui

STREAM = "live-demo.video.stream"  # session: this browser's VideoStream (replaced after Stop)
TICK_S = 1.0  # the live figures' refresh while a stream runs
WEBRTC_WORDS = ("start", "stop", "select_device", "media_api_not_available", "device_ask_permission",
                "device_not_available", "device_access_denied", "turn_camera_on", "turn_camera_off",
                "select_camera")


def _stream(device: str) -> VideoStream:
    """This session's stream object: a fresh one after Stop or when the device changes."""
    stream = st.session_state.get(STREAM)
    if stream is None or stream.processor.stopped or stream.device != device:
        if stream is not None:
            stream.stop()
        stream = st.session_state[STREAM] = VideoStream(device, views.video_picture)
    return stream


def _callback(stream: VideoStream):
    """streamlit-webrtc's frame callback (its own thread): hand the frame over, send back the newest overlay."""
    import av

    def on_frame(frame: "av.VideoFrame") -> "av.VideoFrame":
        captured = time.perf_counter()
        newest = stream.offer(frame.to_ndarray(format="rgb24"), captured)
        if newest is None or newest.picture is None:
            return frame  # no label yet (waiting for a slot, first frame): the camera as it is
        return av.VideoFrame.from_ndarray(newest.picture, format="rgb24")

    return on_frame


def live_panel(stream: VideoStream, classes: list[str], lang: str) -> None:
    """Ticks while the stream runs: its place in line, or frames/s, latency, device and the last frame."""
    ahead = stream.ahead
    if ahead is not None:
        st.info(ui.tn("live_video.queue.ahead", ahead),
                icon=":material/hourglass_top:")
        return
    stats = stream.stats()
    newest = stream.latest
    if stream.processor.error is not None:
        ui.bad_input(ui.t("live_video.error.frame") + ui.error_text(stream.processor.error))
    if newest is None:
        st.caption(ui.t("live_video.waiting_first_frame"))
        return
    settings = newest.settings
    fps, dropped = st.columns(2)
    p50, p95 = st.columns(2)
    fps.metric(ui.t("live_video.fps"), f"{stats.fps:.1f}")
    dropped.metric(ui.t("live_video.dropped"), f"{stats.dropped}", help=ui.t("live_video.dropped_help"))
    p50.metric(ui.t("live_video.latency_p50"), "–" if stats.latency_p50_ms is None else f"{stats.latency_p50_ms:.0f}",
               help=ui.t("live_video.latency_help"))
    p95.metric(ui.t("live_video.latency_p95"), "–" if stats.latency_p95_ms is None else f"{stats.latency_p95_ms:.0f}",
               help=ui.t("live_video.latency_help"))
    segmentation = newest.segmentation
    in_w, in_h = segmentation.input_size
    # on the CPU, the threads the stream's own labelling thread ran on (video_threads), not this thread's
    device = (ui.tn("device.cpu", newest.threads) if segmentation.device == "cpu" and newest.threads
              else device_text(segmentation.device, ui.lang()))
    st.caption(ui.t("live_video.running_on", device=device, in_w=in_w, in_h=in_h, model=segmentation.model)
               + (ui.t("live_video.float16") if settings.model is not None and settings.model.half else ""))
    counts = newest.class_counts()
    total = max(sum(counts.values()), 1)
    rows = sorted(counts.items(), key=lambda item: -item[1])
    if settings.view == "confidence":
        st.markdown(views.confidence_bar_html(ui.t("live_demo.probability")), unsafe_allow_html=True)
    st.markdown(
        f"| {ui.t('live_video.table.class')} | {ui.t('live_video.table.pixels')} | % |\n|---|--:|--:|\n"
        + "\n".join(f"| {views.swatch_html(c)} {display_name(classes[c], lang)} | {n} | {100 * n / total:.1f} |"
                     for c, n in rows), unsafe_allow_html=True)
    height, width = newest.rgb.shape[:2]
    st.image(newest.rgb, output_format="PNG", width="stretch",
             caption=ui.t("live_video.last_frame", width=width, height=height, digest=newest.digest()))


def section(model_name: str, device: str, lang: str, load_model) -> None:
    """The live video source: its controls, the WebRTC player and the ticking figures.

    load_model(name, device, half): the page's server-wide model cache (one copy shared by every session)."""
    spec = spec_for(model_name)
    if not video_models([spec]):
        ui.bad_input(ui.t("live_video.semantic_only", model=spec.title_words))
        return
    half, _ = frame_precision(spec, device)
    classes = list(spec.classes)
    st.header(ui.t("live_video.heading"))
    st.markdown(ui.t("live_video.intro"))

    if st.session_state.get("live-demo.video.size") not in SIZES:
        st.session_state["live-demo.video.size"] = spec.input_size if spec.input_size in SIZES else 256
    size_column, opacity_column = st.columns(2)
    size_column.select_slider(ui.t("live_video.size"), SIZES, key="live-demo.video.size",
                              format_func=lambda s: f"{s} px", help=ui.t("live_video.size_help"))
    opacity_column.slider(ui.t("live_demo.colour_opacity"), state.setting("live-demo.opacity").lo,
                          state.setting("live-demo.opacity").hi, step=0.05, key="live-demo.opacity",
                          help=ui.t("live_demo.0_shows_photo_alone_1"))
    st.segmented_control(ui.t("live_video.view"), VIEWS, key="live-demo.video.view", default="final",
                         required=True, format_func=lambda v: ui.t(f"live_video.view.{v}"))
    objects = list(range(1, len(classes)))
    shown = st.pills(ui.t("live_video.classes"), objects, selection_mode="multi", default=objects,
                     key=f"live-demo.video.shown.{spec.name}", format_func=lambda c: display_name(classes[c], lang))

    try:
        configuration = rtc_configuration()
    except BadIceServers as error:
        ui.bad_input(error)
        configuration = {"iceServers": []}
    try:
        model = load_model(spec.name, device, half)
    except (WeightsUnavailable, RuntimeError, ValueError) as error:  # weights gone, device out of memory
        ui.bad_input(ui.t("live_demo.model_could_not_run") + ui.error_text(error))
        return
    stream = _stream(device)
    stream.configure(FrameSettings(model=model, size=int(st.session_state["live-demo.video.size"]),
                                   opacity=float(st.session_state["live-demo.opacity"]),
                                   shown=frozenset(shown or ()), view=st.session_state["live-demo.video.view"]))
    player, figures = st.columns([3, 2])
    with player:
        try:
            context = webrtc_streamer(
                key="live-demo.webrtc",
                mode=WebRtcMode.SENDRECV,
                rtc_configuration=configuration,
                media_stream_constraints={"video": True, "audio": False},
                video_frame_callback=_callback(stream),
                on_video_ended=stream.stop,
                async_processing=True,
                video_html_attrs={"autoPlay": True, "controls": False, "muted": True, "style": {"width": "100%"}},
                translations={word: ui.t(f"live_video.webrtc.{word}") for word in WEBRTC_WORDS},
            )
        except Exception as error:  # the player needs a real Streamlit server (not AppTest): say so, no traceback
            ui.bad_input(ui.t("live_video.player_failed", problem=f"{type(error).__name__}: {error}"))
            context = None
        st.caption(ui.t("live_video.no_camera"))
    with figures:
        if context is not None and context.state.playing:
            st.fragment(live_panel, run_every=TICK_S)(stream, classes, lang)
        else:
            stream.stop()  # Stop pressed (or never started): the slot goes to the next stream now
            st.info(ui.t("live_video.press_start"), icon=":material/videocam:")
