"""Page checks for browser tests: axe-core (no serious or critical violation), no sideways
scrolling at phone width, tap targets of at least 44px, and no console or script errors."""
from pathlib import Path

TAP_MIN = 44
SERIOUS = ("serious", "critical")
_AXE_SOURCE = None


def _axe_source():
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        import axe_playwright_python

        _AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    return _AXE_SOURCE


def axe_violations(page, impacts=SERIOUS):
    """Run axe-core on the page and return its violations of the given impacts.

    The app's CSP (script-src 'self') would refuse an injected <script> tag; Playwright's
    evaluate runs through the DevTools protocol, which the page's CSP does not govern, so
    the page is audited exactly as it is served."""
    if not getattr(page.context, "tandem_javascript", True):
        raise RuntimeError("axe-core cannot run in a context with JavaScript disabled (its timers never fire)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v.get("impact") in impacts]


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_accessible(page):
    """axe-core finds no serious or critical violation on the current page."""
    violations = axe_violations(page)
    assert not violations, f"axe-core violations on {page.url}:\n{format_violations(violations)}"


def assert_no_horizontal_scroll(page):
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert sizes["scroll"] <= sizes["inner"], (
        f"{page.url} scrolls sideways: content is {sizes['scroll']}px wide in a {sizes['inner']}px window")


# A checkbox or radio button is tapped through its label too (a tap on the label ticks it),
# so its target is the larger of its own box and its label's: a small box in a 44px-high
# label row is fine, while a bare small box is not.
_TAP_TARGETS_JS = """
(selector) => {
  const toggles = ['checkbox', 'radio'];
  const target = (el) => {
    let box = el.getBoundingClientRect();
    if (el.tagName === 'INPUT' && toggles.includes(el.type) && el.labels) {
      for (const label of el.labels) {
        const outer = label.getBoundingClientRect();
        if (outer.width * outer.height > box.width * box.height) { box = outer; }
      }
    }
    return box;
  };
  return Array.from(document.querySelectorAll(selector))
  .filter((el) => {
    const style = getComputedStyle(el);
    const box = target(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  })
  .map((el) => {
    const box = target(el);
    return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.name || '').trim().slice(0, 40),
            width: Math.round(box.width * 10) / 10, height: Math.round(box.height * 10) / 10};
  });
}
"""

TAP_TARGET_SELECTOR = ", ".join([
    ".site-header a", ".site-header button",
    "main form button", "main form input:not([type=hidden])", "main form select", "main form textarea",
    "main a.button", "main .button",
])


def assert_tap_targets(page, selector=TAP_TARGET_SELECTOR):
    """Every visible link and control of the header and of forms is at least 44px high or wide."""
    targets = page.evaluate(_TAP_TARGETS_JS, selector)
    small = [t for t in targets if t["height"] < TAP_MIN and t["width"] < TAP_MIN]
    assert not small, f"tap targets under {TAP_MIN}px on {page.url}: {small}"
    return targets


def assert_no_page_problems(page):
    problems = getattr(page, "problems", [])
    assert not problems, f"console or script errors on {page.url}: {problems}"


def check_page(page):
    """All the per-page checks: axe, no sideways scroll, tap targets, no console errors."""
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    assert_tap_targets(page)
    assert_no_page_problems(page)
