"""The hover text of a cell in a grid figure ("row 3, col 4: 0.25"), in the reader's language.

Figure builders know no language of their own: the page hands them `lang`. Without one the hover shows
the numbers only ("(3, 4): 0.25"), never English words in another language's page.
"""

from lessons import i18n


def cell(lang: str | None, value: str = "") -> str:
    """A plotly hovertemplate naming the hovered cell by %{y} (row) and %{x} (column), then `value`
    (a plotly field such as '%{z:.3f}') when given."""
    if lang is None:
        where = "(%{y}, %{x})"
        shown = f"{where}: {value}" if value else where
    elif value:
        shown = i18n.t("figure.hover.cell_value", lang, row="%{y}", col="%{x}", value=value)
    else:
        shown = i18n.t("figure.hover.cell", lang, row="%{y}", col="%{x}")
    return shown + "<extra></extra>"
