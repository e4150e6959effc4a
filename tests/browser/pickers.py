"""Using a picker (a Tom Select combobox) the way a person does: focus, type, pick."""

import re

from playwright.sync_api import expect


def pick(page, label, typed, option):
    """In the picker labelled `label`, type `typed` and choose the option named `option`."""
    combobox = page.get_by_role("combobox", name=re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))
    combobox.focus()
    combobox.press_sequentially(typed)
    # The combobox's own list: a chosen row is also an <option> of the hidden <select> beneath.
    listbox = page.locator(f"#{combobox.get_attribute('aria-controls')}")
    choice = listbox.get_by_role("option", name=option, exact=True)
    expect(choice).to_be_visible()
    choice.click()
