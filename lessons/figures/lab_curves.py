"""The FCN lab's charts: live loss and validation mIoU curves, and the checkerboard on a flat patch."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.figures import hover
from lessons.figures.palette import HEATMAP, OKABE_ITO

# one colour per decoder, in DECODERS order (Okabe & Ito without black and the pale yellow)
RUN_COLOURS = [OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[5], OKABE_ITO[6], OKABE_ITO[7]]


def training_curves_figure(histories: dict[str, list], labels: dict, target: float | None = 0.9,
                           total_epochs: int | None = None, colours: list[str] = RUN_COLOURS) -> go.Figure:
    """Left: cross-entropy per training batch (thin) and on validation (dots). Right: validation mIoU.

    `histories` maps a run's name to its EpochRecords; `labels` holds the translated axis titles:
    loss_title, miou_title, epoch, loss, miou, batch, validation, target, line_key.
    """
    loss_title = f"{labels['loss_title']}<br><sup>{labels['line_key']}</sup>"
    fig = make_subplots(rows=1, cols=2, subplot_titles=[loss_title, labels["miou_title"]],
                        horizontal_spacing=0.09)
    for k, (name, history) in enumerate(histories.items()):
        colour = colours[k % len(colours)]
        batch_x, batch_y = [], []
        for record in history:
            n = len(record.batch_losses)
            batch_x += [record.epoch - 1 + (b + 1) / n for b in range(n)]
            batch_y += list(record.batch_losses)
        epochs = [r.epoch for r in history]
        fig.add_trace(go.Scatter(x=batch_x, y=batch_y, mode="lines", line={"color": colour, "width": 1.2},
                                 opacity=0.55, name=f"{name}: {labels['batch']}", legendgroup=name,
                                 showlegend=False,
                                 hovertemplate=f"{name}<br>{labels['epoch']} %{{x:.2f}}<br>"
                                               f"{labels['loss']} %{{y:.3f}}<extra></extra>"), 1, 1)
        fig.add_trace(go.Scatter(x=epochs, y=[r.val_loss for r in history], mode="lines+markers",
                                 line={"color": colour, "width": 2.5, "dash": "dot"}, marker={"size": 8},
                                 name=f"{name}: {labels['validation']}", legendgroup=name, showlegend=False,
                                 hovertemplate=f"{name}<br>{labels['epoch']} %{{x}}<br>{labels['validation']} "
                                               f"{labels['loss']} %{{y:.3f}}<extra></extra>"), 1, 1)
        fig.add_trace(go.Scatter(x=epochs, y=[r.val_miou for r in history], mode="lines+markers+text",
                                 line={"color": colour, "width": 3}, marker={"size": 9}, name=name,
                                 legendgroup=name, showlegend=len(histories) > 1,
                                 text=[f"{history[-1].val_miou:.2f}" if i == len(history) - 1 and
                                       len(histories) == 1 else "" for i in range(len(history))],
                                 textposition="top left", textfont={"color": colour, "size": 14},
                                 hovertemplate=f"{name}<br>{labels['epoch']} %{{x}}<br>mIoU %{{y:.3f}}"
                                               "<extra></extra>"), 1, 2)
    last = max([total_epochs or 1] + [len(h) for h in histories.values()])
    if target is not None:
        fig.add_hline(y=target, line={"dash": "dash", "color": "#555555"}, row=1, col=2,
                      annotation_text=f"{labels['target']} {target:.2f}", annotation_position="top left")
    fig.update_xaxes(title_text=labels["epoch"], range=[0, last + 0.2], dtick=max(1, last // 10), row=1, col=1)
    fig.update_xaxes(title_text=labels["epoch"], range=[0.5, last + 0.5], dtick=max(1, last // 10), row=1, col=2)
    fig.update_yaxes(title_text=labels["loss"], rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=labels["miou"], range=[0, 1.05], row=1, col=2)
    fig.update_layout(height=400, margin={"l": 60, "r": 20, "t": 80, "b": 50},
                      legend={"orientation": "h", "y": -0.22, "x": 0.5, "xanchor": "center"},
                      hovermode="closest")
    return fig


def checkerboard_figure(maps: dict[str, tuple[float, np.ndarray]], labels: dict, lang: str | None = None) -> go.Figure:
    """Each decoder's logit unevenness on a flat sky patch, all on one colour scale, score in the title.

    `labels`: title, colorbar, score (translated).
    """
    names = list(maps)
    zmax = max(float(np.max(m)) for _, m in maps.values()) or 1.0
    titles = [f"{name}<br>{labels['score']} {score:.4f}" for name, (score, _) in maps.items()]
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=titles, horizontal_spacing=0.02)
    for c, name in enumerate(names, start=1):
        unevenness = np.asarray(maps[name][1])
        fig.add_trace(go.Heatmap(z=unevenness, zmin=0, zmax=zmax, colorscale=HEATMAP, showscale=(c == 1),
                                 colorbar={"title": {"text": labels["colorbar"], "side": "right"}, "x": 1.01},
                                 hovertemplate=f"{name}<br>" + hover.cell(lang, "%{z:.3f}")),
                      1, c)
    fig.update_xaxes(showticklabels=False, ticks="", showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(showticklabels=False, ticks="", showgrid=False, zeroline=False, autorange="reversed",
                     constrain="domain")
    for c in range(1, len(names) + 1):
        fig.update_yaxes(scaleanchor=f"x{'' if c == 1 else c}", row=1, col=c)
    fig.update_annotations(font_size=13)
    fig.update_layout(title={"text": labels["title"], "x": 0.5, "xanchor": "center"}, height=290,
                      margin={"l": 10, "r": 70, "t": 100, "b": 10}, plot_bgcolor="rgba(0,0,0,0)")
    return fig
