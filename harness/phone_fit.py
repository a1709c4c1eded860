"""How a page sits on a phone (issue 20), measured in the browser: used by the class phone test and its bench.

    PHONE                                 # Playwright context options of a 390×844 touch phone
    fit(page) -> {"wide", "smallest"}     # widest scroll width (px), the smallest visible button's height (px)
"""

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}
WIDTH, HEIGHT, TOUCH = 390, 844, 44  # the phone, and the smallest touch target a finger hits reliably (px)

FIT = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const wide = Math.max(document.documentElement.scrollWidth, main ? main.scrollWidth : 0);
    const buttons = [...document.querySelectorAll('[data-testid="stMain"] button')]
        .filter(b => b.offsetParent !== null)
        .map(b => ({name: (b.getAttribute('aria-label') || b.innerText || '?').slice(0, 40),
                    height: b.getBoundingClientRect().height}));
    const smallest = buttons.length ? Math.min(...buttons.map(b => b.height)) : null;
    const small = buttons.filter(b => b.height < 44).map(b => b.name);
    return {wide, smallest, small};
}"""


def fit(page) -> dict:
    """{"wide": scroll width, "smallest": the smallest button's height, "small": names of buttons under 44 px}."""
    return page.evaluate(FIT)


def bottom(locator) -> float | None:
    """The bottom edge of an element, in px from the top of the first screen (None when it is not drawn)."""
    box = locator.bounding_box()
    return None if box is None else box["y"] + box["height"]
