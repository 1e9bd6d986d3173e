"""The checks every page gets must be able to fail: a clean run means nothing if they cannot."""

import pytest

BROKEN = """<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main>
<h1>Broken on purpose</h1><form><input type="text" name="nameless"></form>
<p style="color:#bbb;background:#fff">Faint text</p></main></body></html>"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_axe_reports_violations_with_where_they_are(browser, axe, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.set_content(BROKEN)
        with pytest.raises(pytest.fail.Exception) as failure:
            axe(page, javascript=javascript)
        message = str(failure.value)
        assert "label (critical)" in message and '<input type="text" name="nameless">' in message
        assert "color-contrast (serious)" in message and "Faint text" in message
    finally:
        context.close()


def test_a_content_security_policy_refusal_fails_the_page(ui):
    ui.visit("/accounts/login/")
    ui.page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s) }"
    )
    with pytest.raises(AssertionError, match="violates the following Content Security Policy directive"):
        ui.check()
    ui.problems.clear()
