"""The layer-stack lessons in a real browser: a layer edited with the keyboard changes every number drawn at
once with no message to the server, the numbers drawn are ops' numbers, the link follows debounced, a bad
value is refused with a message, the server's echo does not reset typing; screenshots in both languages,
at desktop and phone width."""

from ops.layer_stack import STACK_PRESETS, conv, decode_stack, encode_stack, field_growth, layer_costs, receptive_field
from tests.browser.conftest import assert_no_exception, open_lesson, settle

COST = "Downsample, then upsample"
FIELD = "Receptive field"
ALL_CONV = list(STACK_PRESETS["all-conv"].layers)


def watch_sends(page) -> None:
    """Record in the page when it sends the server anything (every websocket frame): set before opening."""
    page.add_init_script("""(() => {
        window.__sends = [];
        const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (data) {
            window.__sends.push(performance.now());
            return send.call(this, data);
        };
    })()""")


def mark_edit(page, selector: str) -> None:
    """From now on, note in the page when `selector` is first redrawn: the edit's moment is set here.
    (Through a locator: the component's elements may sit in a shadow root, which querySelector cannot see.)"""
    page.locator(selector).first.evaluate("""(root) => {
        window.__edit = performance.now(); window.__drawn = null;
        new MutationObserver((_, observer) => { window.__drawn = performance.now(); observer.disconnect(); })
            .observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
    }""")


def drawn_before_any_send(page) -> bool:
    """The redraw came before the page sent the server anything after the edit: it was computed in the page.
    An ordering of the page's own clock, so a slow machine cannot flip it (a time limit could)."""
    return page.evaluate("""() => {
        const sends = window.__sends.filter(t => t >= window.__edit);
        return window.__drawn !== null && (sends.length === 0 || window.__drawn < Math.min(...sends));
    }""")


def field_sizes(page) -> list[int]:
    return [int(t) for t in page.locator(".ls-table tbody td[data-col='size']").all_inner_texts()]


def bar_labels(page) -> list[int]:
    return [int(t) for t in page.locator(".ls-chart svg text[data-value='size']").all_text_contents()]


def test_a_keyboard_edit_redraws_the_field_without_the_server_and_the_link_follows(page, server_url):
    watch_sends(page)
    open_lesson(page, f"{server_url}/receptive_field", FIELD)
    page.locator(".ls-table").wait_for()
    assert field_sizes(page) == [row.size for row in receptive_field(ALL_CONV)] == [1, 3, 5, 7, 9, 11, 13, 15, 15]
    kernel = page.get_by_label("Layer 1: kernel k")
    kernel.focus()
    mark_edit(page, ".ls-root")
    kernel.press("ArrowUp")
    kernel.press("ArrowUp")  # 3 → 5, padding stays 1
    edited = [conv(5, 64, padding=1)] + ALL_CONV[1:]
    expected = [row.size for row in receptive_field(edited)]
    assert field_sizes(page) == expected == bar_labels(page)
    assert drawn_before_any_send(page), "the table was redrawn only after the page asked the server"
    page.wait_for_function(f"() => window.location.search.includes('stack={encode_stack(edited)}')", timeout=30_000)
    assert page.evaluate("() => window.__sends.some(t => t >= window.__edit)")  # debounced, it reached the server
    frames = field_growth(edited, 32, (16, 16))
    title = page.locator(".ls-growth-title[data-seen]")
    assert int(title.get_attribute("data-seen")) == int(frames.masks[-1].any(axis=0).sum())

    # a value that makes no valid stack: a message, and the last valid stack stays drawn
    dilation = page.get_by_label("Layer 2: dilation d")
    dilation.fill("0")
    assert "dilation must be from 1 to 16" in page.locator(".ls-message").inner_text()
    assert field_sizes(page) == expected
    dilation.fill("2")
    edited[1] = conv(3, 128, padding=1, dilation=2)
    assert field_sizes(page) == [row.size for row in receptive_field(edited)]
    assert page.locator(".ls-message").is_hidden()
    assert_no_exception(page)


def test_typing_is_not_reset_by_the_servers_echo_and_presets_use_autograd(page, server_url):
    open_lesson(page, f"{server_url}/receptive_field", FIELD)
    channels = page.get_by_label("Layer 1: channels out")
    channels.fill("12")
    channels.evaluate("e => { e.marked = true; }")  # the very element the student types in
    page.wait_for_function("() => window.location.search.includes('n12-')", timeout=30_000)
    settle(page)  # the fragment reran and sent its data back to the component
    still_focused = "e => e.marked === true && e.getRootNode().activeElement === e"
    assert channels.evaluate(still_focused), "input rebuilt or blurred"
    channels.type("8")
    assert channels.input_value() == "128"
    page.wait_for_function("() => window.location.search.includes('stack=c3s1d1p1n128-')", timeout=30_000)
    page.get_by_role("button", name="U-Net outline (no skips)").click()
    unet = list(STACK_PRESETS["unet"].layers)
    assert field_sizes(page) == [row.size for row in receptive_field(unet)]
    assert "autograd (gradient support)" in page.locator(".ls-table").inner_text()
    page.wait_for_function(f"() => window.location.search.includes('stack={encode_stack(unet)}')", timeout=30_000)
    # the pixel: the arrow keys on the grid move it, and the link follows
    grid = page.locator("canvas.ls-grid")
    grid.focus()
    grid.press("ArrowLeft")
    page.wait_for_function("() => window.location.search.includes('receptive-field.col=15')", timeout=30_000)
    frames = field_growth(unet, 32, (16, 15))
    assert int(page.locator(".ls-growth-title[data-seen]").get_attribute("data-seen")) == int(
        frames.masks[-1].any(axis=0).sum())
    assert_no_exception(page)


def test_cost_lesson_numbers_are_ops_numbers_and_follow_an_edit(page, server_url):
    watch_sends(page)
    open_lesson(page, f"{server_url}/full_resolution_cost", COST)
    page.locator(".ls-table").wait_for()
    metric = page.locator("[data-metric='flops'] .ls-metric-value")
    assert metric.inner_text() == "179.18 GFLOPs"
    assert [int(v) for v in page.locator("td[data-col='flops']").evaluate_all("c => c.map(e => e.dataset.exact)")] == [
        c.flops for c in layer_costs(ALL_CONV, 256)]
    kernel = page.get_by_label("Layer 1: kernel k")
    kernel.focus()
    mark_edit(page, ".ls-root")
    kernel.press("ArrowUp")
    kernel.press("ArrowUp")
    edited = [conv(5, 64, padding=1)] + ALL_CONV[1:]
    costs = layer_costs(edited, 256)
    assert [int(v) for v in page.locator("td[data-col='flops']").evaluate_all("c => c.map(e => e.dataset.exact)")] == [
        c.flops for c in costs]
    assert metric.inner_text() == f"{sum(c.flops for c in costs) / 1e9:,.2f} GFLOPs"
    assert drawn_before_any_send(page), "the costs were redrawn only after the page asked the server"
    page.get_by_label("Input image side (pixels, square, 3 colour channels)").select_option("64")
    last = layer_costs(edited, 64)[-1]
    assert page.locator("[data-metric='output'] .ls-metric-value").inner_text() == f"21 × {last.side} × {last.side}"
    page.wait_for_function("() => window.location.search.includes('full-resolution-cost.size=64')", timeout=30_000)
    # the link to the other lesson carries the edited stack
    settle(page)
    page.locator("[data-testid='stMain']").get_by_role("link", name=FIELD).click()
    page.locator(".ls-table td[data-col='size']").first.wait_for(timeout=60_000)
    assert field_sizes(page) == [row.size for row in receptive_field(edited)]
    assert list(decode_stack(page.url.split("stack=")[1].split("&")[0])) == edited
    assert_no_exception(page)


def test_a_phone_in_chinese_and_presenter_mode(page, server_url):
    """390 px wide in Chinese the layer list fits the screen; presenter mode enlarges the component. (The
    pictures of every lesson at desktop and phone width are made by docs/update_readme_images.py.)"""
    page.set_viewport_size({"width": 390, "height": 2000})
    open_lesson(page, f"{server_url}/receptive_field?lang=zh", "感受野")
    page.locator(".ls-grid").wait_for()
    assert page.locator(".ls-layers").bounding_box()["width"] <= 390  # no sideways scrolling
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_lesson(page, f"{server_url}/receptive_field?present=1&stack=c3s1d1p1n8-m2s2p0-c3s1d1p1n8-m2s2p0-c3s1d1p1n8"
                f"&receptive-field.grid=24&receptive-field.row=12&receptive-field.col=12", FIELD)
    page.locator(".ls-grid").wait_for()
    assert page.locator(".ls-root.ls-present").count() == 1
