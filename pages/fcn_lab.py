"""Lab: train a small FCN live on synthetic scenes, then compare the six decoder upsamplings.

Training advances one epoch per run of a fragment that reruns itself every TICK seconds while a job
is active; the job (a plan from ops.lab.plan_factory: here or on the Ray cluster) lives in the session,
so the Stop button only has to stop it and the panel stops ticking. An epoch interrupted by a page rerun
is rolled back by the Trainer, so the curve stays the same as an uninterrupted run's.
"""

import streamlit as st

from lessons.devices import device_text
from lessons.figures.lab_curves import checkerboard_figure, training_curves_figure
from lessons.figures.lab_scenes import comparison_grid_figure, gallery_figure, prediction_strip_figure
from ops import shared_server
from ops.device import best_device
from ops.errors import UserFacingError
from ops.lab import CLASSES, DECODERS, TrainSettings, make_dataset
from ops.lab.plan import Plan
from ops.lab.plan_factory import make_plan
from ops.serving.addresses import ray_address
from pages import navigation, practice_pictures, state, ui
from pages.classroom_ui import client_id
from pages.lesson_start import lesson_start

SLUG = "fcn-lab"
TICK = 0.25  # seconds between automatic panel reruns while a job is active
SHOWN = 6  # images in the gallery and the prediction strip
RUNNING = "fcn-lab.running"  # which job is active: "single", "comparison" or None
CANCELLED = "fcn-lab.cancelled"  # which job the student took out of the line


def cancel(kind: str) -> None:
    """Cancel button while a job waits for a training slot: out of the line, nothing trained."""
    s = st.session_state
    if s.get(f"fcn-lab.{kind}") is not None:
        s[f"fcn-lab.{kind}"].stop()
    s[f"fcn-lab.{kind}"] = None
    s[RUNNING] = None
    s[CANCELLED] = kind


def bounds(key: str) -> tuple[int, int]:
    """A widget's (min, max): those pages/state.py declares for its URL value, not a second copy here."""
    setting = state.setting(key)
    return int(setting.lo), int(setting.hi)


def decoder_label(name: str, short: bool = False) -> str:
    return ui.t(f"decoder.{name}.short" if short else f"decoder.{name}")


@st.cache_resource(max_entries=6, show_spinner=False)
def dataset(n_train: int, n_val: int, seed: int):
    """Shared by every session (read only): the same settings always give the same scenes."""
    return make_dataset(n_train, n_val, seed)


def current_dataset():
    s = st.session_state
    with st.spinner(ui.t("fcn_lab.drawing_scenes")):
        return dataset(s["fcn-lab.train_images"], s["fcn-lab.val_images"], s["fcn-lab.seed"])


def settings_from_widgets(epochs: int) -> TrainSettings:
    s = st.session_state
    return TrainSettings(
        decoder=s["fcn-lab.decoder"],
        skips=s["fcn-lab.skips"],
        epochs=epochs,
        batch_size=s["fcn-lab.batch"],
        learning_rate=s["fcn-lab.lr"],
        seed=s["fcn-lab.seed"],
    )


def start(kind: str) -> None:
    """Button callback: replace this kind's job with a fresh one and make it the active job."""
    s = st.session_state
    active = s.get(RUNNING)
    if active and s.get(f"fcn-lab.{active}") is not None:
        s[f"fcn-lab.{active}"].stop()  # one job at a time: a new one stops the old
    epochs = s["fcn-lab.epochs"] if kind == "single" else s["fcn-lab.compare_epochs"]
    decoders = (s["fcn-lab.decoder"],) if kind == "single" else tuple(DECODERS)
    s.pop(CANCELLED, None)
    try:
        if ray_address():  # a shared server limits remote trainings per device (ops.shared_server)
            shared_server.RATES.take("training", client_id())
        plan = make_plan(current_dataset(), settings_from_widgets(epochs), decoders, data_seed=s["fcn-lab.seed"])
        s[f"fcn-lab.{kind}"] = plan
        s[RUNNING] = kind
    except UserFacingError as error:
        s[f"fcn-lab.{kind}.error"] = ui.error_text(error)
    except (RuntimeError, ValueError, ConnectionError) as error:
        s[f"fcn-lab.{kind}.error"] = str(error)


def waiting_for_slot(plan: Plan, kind: str) -> bool:
    """True (and the place in line shown, with Cancel) while the job waits for a training slot."""
    ahead = plan.ahead()
    if ahead is None:
        return False
    slots = plan.slots
    st.info(
        ui.tn("fcn_lab.queue.ahead", ahead, slots=slots),
        icon=":material/hourglass_top:",
    )
    st.button(ui.t("fcn_lab.queue.cancel"), icon=":material/close:", key=f"fcn-lab.cancel.{kind}", on_click=cancel,
              args=(kind,))
    return True


def advance(plan: Plan, kind: str) -> bool:
    """Advance the active job (one epoch here, or what the cluster streamed), with a progress bar and a Stop
    button. False while the job still waits for a training slot (its place is shown instead)."""
    if waiting_for_slot(plan, kind):
        return False
    st.button(
        ui.t("fcn_lab.stop"),
        icon=":material/stop_circle:",
        key=f"fcn-lab.stop.{kind}",
        on_click=plan.stop,
        help=ui.t("fcn_lab.stops_after_epoch_progress_what") if plan.stops_between_epochs else None,
    )
    done, total, run = plan.epochs_done, plan.epochs_total, plan.current
    label = decoder_label(run.settings.decoder) if run is not None else ""
    if run is None or not plan.started:  # the cluster has not sent an epoch yet
        bar = st.progress(min(1.0, done / total), text=ui.t("fcn_lab.remote.waiting"))
    else:
        bar = st.progress(
            min(1.0, done / total),
            text=ui.t("fcn_lab.progress.epoch", label=label, epoch=len(run.history) + 1, epochs=run.settings.epochs),
        )

    def on_batch(batch: int, batches: int, loss: float) -> None:
        bar.progress(
            (done + batch / batches) / total,
            text=ui.t(
                "fcn_lab.progress.epoch_batch",
                label=label,
                epoch=len(run.history) + 1,
                epochs=run.settings.epochs,
                batch=batch,
                batches=batches,
                loss=loss,
            ),
        )

    plan.step(on_batch)
    if plan.finished:
        if plan.errors:
            st.session_state[f"fcn-lab.{kind}.error"] = ui.error_text(plan.errors[0])
        st.session_state[RUNNING] = None
        st.rerun()  # a full run redraws the page without the ticking
    return True


def curve_labels() -> dict:
    return {
        "loss_title": ui.t("fcn_lab.loss_per_pixel_cross_entropy"),
        "miou_title": ui.t("fcn_lab.validation_mean_iou"),
        "epoch": ui.t("fcn_lab.epoch"),
        "loss": ui.t("fcn_lab.cross_entropy_nats"),
        "miou": ui.t("fcn_lab.miou_0_1"),
        "batch": ui.t("fcn_lab.training_batches"),
        "validation": ui.t("fcn_lab.validation"),
        "target": ui.t("fcn_lab.goal"),
        "line_key": ui.t("fcn_lab.thin_line_each_training_batch"),
    }


def status_line(plan: Plan, active: bool) -> None:
    s = plan.settings
    state = (
        ui.t("fcn_lab.training")
        if active
        else ui.t("fcn_lab.stopped_early")
        if not plan.complete
        else ui.t("fcn_lab.done")
    )
    st.caption(
        ui.t(
            "fcn_lab.device_training_validation_images_batch",
            state=state,
            device=device_text(best_device(), ui.lang()),
            n_train_images=len(plan.dataset.train_images),
            n_val_images=len(plan.dataset.val_images),
            batch_size=s.batch_size,
            learning_rate=s.learning_rate,
            skips=ui.t("switch.on" if s.skips else "switch.off"),
            seed=s.seed,
        )
    )


def error_note(kind: str) -> None:
    message = st.session_state.pop(f"fcn-lab.{kind}.error", None)
    if message:
        ui.bad_input(message)
    if st.session_state.get(CANCELLED) == kind:
        st.caption(ui.t("fcn_lab.queue.cancelled"))


def render() -> None:
    lesson_start(SLUG, practice_pictures.fcn_lab)

    class_names = [ui.t(f"class.{c}") for c in CLASSES]

    # ---------------------------------------------------------------------------------------------- data
    st.header(ui.t("fcn_lab.1_data"))
    ui.text(SLUG, "data")
    size_column, val_column, seed_column = st.columns(3)
    size_column.select_slider(
        ui.t("fcn_lab.training_images"), state.choices("fcn-lab.train_images"), key="fcn-lab.train_images"
    )
    val_column.select_slider(
        ui.t("fcn_lab.validation_images"), state.choices("fcn-lab.val_images"), key="fcn-lab.val_images"
    )
    seed_column.number_input(ui.t("fcn_lab.random_seed_scenes_weights"), *bounds("fcn-lab.seed"), step=1,
                             key="fcn-lab.seed")
    data = current_dataset()
    shown = min(SHOWN, len(data.train_images))
    ui.chart(
        gallery_figure(
            data.train_images[:shown],
            data.train_masks[:shown].numpy(),
            class_names,
            [ui.t("fcn_lab.image"), ui.t("fcn_lab.labels")],
            ui.t("fcn_lab.training_scenes_64_64_pixels", shown=shown, n_train_images=len(data.train_images)),
        ),
        key="fcn-lab.gallery",
        export="fcn-lab-scenes",
    )

    # -------------------------------------------------------------------------------------------- jobs

    def single_panel() -> None:
        plan: Plan | None = st.session_state.get("fcn-lab.single")
        active = st.session_state.get(RUNNING) == "single"
        error_note("single")
        if plan is None:
            st.info(ui.t("fcn_lab.press_train_start_curves_predictions"), icon=":material/model_training:")
            return
        if active and not advance(plan, "single"):
            return
        status_line(plan, active)
        run = plan.runs.get(plan.decoders[0])
        if run is None or not run.history:
            return
        last = run.history[-1]
        columns = st.columns(5)
        columns[0].metric(ui.t("fcn_lab.validation_miou"), f"{last.val_miou:.3f}")
        columns[1].metric(ui.t("fcn_lab.pixel_accuracy"), f"{last.val_accuracy:.1%}")
        columns[2].metric(ui.t("fcn_lab.epochs"), f"{last.epoch} / {run.settings.epochs}")
        columns[3].metric(ui.t("fcn_lab.time_s"), f"{last.seconds:.1f}")
        columns[4].metric(ui.t("fcn_lab.speed_images_s"), f"{last.images_per_s:.0f}")
        name = decoder_label(run.settings.decoder)
        ui.chart(
            training_curves_figure({name: run.history}, curve_labels(), total_epochs=run.settings.epochs),
            key="fcn-lab.single.curves",
        )
        if not run.previews:  # a remote run sends its previews when it ends
            return
        epochs = sorted({1, (len(run.previews) + 1) // 2, len(run.previews)})
        shown = len(run.previews[-1])
        ui.chart(
            prediction_strip_figure(
                plan.dataset.val_images[:shown],
                plan.dataset.val_masks[:shown].numpy(),
                [run.previews[e - 1] for e in epochs],
                [ui.t("fcn_lab.strip.epoch", epoch=e) for e in epochs],
                class_names,
                ui.t("fcn_lab.image"),
                ui.t("fcn_lab.truth"),
                ui.t("fcn_lab.validation_images_predictions_sharpen_training"),
            ),
            key="fcn-lab.single.strip",
        )

    def comparison_panel() -> None:
        plan: Plan | None = st.session_state.get("fcn-lab.comparison")
        active = st.session_state.get(RUNNING) == "comparison"
        error_note("comparison")
        if plan is None:
            return
        if active and not advance(plan, "comparison"):
            return
        status_line(plan, active)
        runs = {name: run for name, run in plan.runs.items() if run.history}
        if not runs:
            return
        short = {name: decoder_label(name, short=True) for name in runs}
        ui.chart(
            training_curves_figure(
                {short[name]: run.history for name, run in runs.items()},
                curve_labels(),
                total_epochs=plan.settings.epochs,
            ),
            key="fcn-lab.comparison.curves",
        )
        finished = {name: run for name, run in runs.items() if (run.finished or plan.stopped) and run.previews}
        if active or not finished:
            return
        flat = {name: run.checkerboard() for name, run in finished.items()}
        columns = {
            "decoder": ui.t("fcn_lab.decoder"),
            "miou": ui.t("fcn_lab.column.miou"),
            "accuracy": ui.t("fcn_lab.column.accuracy"),
            "epochs": ui.t("fcn_lab.column.epochs"),
            "time": ui.t("fcn_lab.column.time"),
            "parameters": ui.t("fcn_lab.parameters"),
            "checkerboard": ui.t("fcn_lab.checkerboard_score"),
        }
        rows = [
            {
                columns["decoder"]: decoder_label(name),
                columns["miou"]: run.history[-1].val_miou,
                columns["accuracy"]: run.history[-1].val_accuracy,
                columns["epochs"]: len(run.history),
                columns["time"]: run.history[-1].seconds,
                columns["parameters"]: run.parameters,
                columns["checkerboard"]: flat[name][0],
            }
            for name, run in finished.items()
        ]
        number = st.column_config.NumberColumn
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            column_config={
                columns["miou"]: number(format="%.3f"),
                columns["accuracy"]: number(format="percent"),
                columns["time"]: number(format="%.1f"),
                columns["parameters"]: number(format="localized"),
                columns["checkerboard"]: number(format="%.4f"),
            },
        )
        count = min(2, len(plan.dataset.val_images))
        ui.chart(
            comparison_grid_figure(
                plan.dataset.val_images[:count],
                plan.dataset.val_masks[:count].numpy(),
                {short[name]: run.previews[-1][:count] for name, run in finished.items()},
                class_names,
                ui.t("fcn_lab.image"),
                ui.t("fcn_lab.truth"),
                ui.t("fcn_lab.same_validation_images_through_every"),
            ),
            key="fcn-lab.comparison.grid",
        )
        ui.text(SLUG, "checkerboard")
        ui.chart(
            checkerboard_figure(
                {short[name]: (score, unevenness.numpy()) for name, (score, unevenness) in flat.items()},
                {
                    "title": ui.t("fcn_lab.logits_flat_patch_sky_how"),
                    "colorbar": ui.t("fcn_lab.rms_deviation"),
                    "score": ui.t("fcn_lab.score"),
                }, lang=ui.lang(),
            ),
            key="fcn-lab.comparison.flat",
        )

    # ------------------------------------------------------------------------------------------- train
    st.header(ui.t("fcn_lab.2_train_one_network"))
    ui.text(SLUG, "train")
    decoder_column, skip_column, epoch_column = st.columns([2, 1, 2])
    decoder_column.selectbox(
        ui.t("fcn_lab.decoder_upsampling"),
        state.choices("fcn-lab.decoder"),
        format_func=decoder_label,
        key="fcn-lab.decoder",
    )
    skip_column.toggle(
        ui.t("fcn_lab.skip_connections"), key="fcn-lab.skips", help=ui.t("fcn_lab.concatenate_encoder_s_feature_map")
    )
    epoch_column.slider(
        ui.t("fcn_lab.epochs_passes_over_training_images"), *bounds("fcn-lab.epochs"), key="fcn-lab.epochs"
    )
    with st.expander(ui.t("fcn_lab.optimiser_settings"), icon=":material/tune:"):
        batch_column, rate_column = st.columns(2)
        batch_column.select_slider(
            ui.t("fcn_lab.batch_size_images_per_step"), state.choices("fcn-lab.batch"), key="fcn-lab.batch"
        )
        rate_column.select_slider(
            ui.t("fcn_lab.learning_rate_adam_cosine_decay"), state.choices("fcn-lab.lr"), key="fcn-lab.lr"
        )
    if ray_address() and shared_server.enabled():  # the shared server's limit, in words
        limit = shared_server.LIMITS["training"]
        st.caption(ui.t("shared.limits.training", count=limit.count, minutes=round(limit.window_s / 60)))
    st.button(
        ui.t("fcn_lab.train"),
        type="primary",
        icon=":material/play_arrow:",
        key="fcn-lab.train",
        on_click=start,
        args=("single",),
    )
    st.fragment(single_panel, run_every=TICK if st.session_state.get(RUNNING) == "single" else None)()

    # ----------------------------------------------------------------------------------------- compare
    st.header(ui.t("fcn_lab.3_compare_six_decoders"))
    ui.text(SLUG, "compare")
    st.slider(
        ui.t("fcn_lab.epochs_per_decoder_same_budget"), *bounds("fcn-lab.compare_epochs"), key="fcn-lab.compare_epochs"
    )
    st.button(
        ui.t("fcn_lab.compare_all_six_decoders"),
        icon=":material/compare:",
        key="fcn-lab.compare",
        on_click=start,
        args=("comparison",),
    )
    st.fragment(comparison_panel, run_every=TICK if st.session_state.get(RUNNING) == "comparison" else None)()

    ui.text(SLUG, "after")
    navigation.link("upsampling")
    state.share_state()


if __name__ == "__main__":  # Streamlit ran this file as a page of its own (a fresh server): hand over to app.py
    from pages.shell import run_app

    run_app()
