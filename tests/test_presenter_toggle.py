"""The sidebar's presenter switch: on shows the presenter bar and puts it in the link, off removes both. (It is
keyless with its value given: bound to a key it came back off in a fresh server's first session.)"""

from harness.apptest import assert_no_exception, open_page


def _switch(at):
    return next(t for t in at.toggle if t.label == "Presenter mode")


def test_the_switch_turns_presenter_mode_on_and_off_and_the_link_follows():
    at = open_page("segmentation")
    assert not _switch(at).value and "present" not in at.query_params
    _switch(at).set_value(True).run()
    assert_no_exception(at)
    assert _switch(at).value and at.button(key="present.next") and at.query_params.get("present")
    _switch(at).set_value(False).run()
    assert not _switch(at).value and "present" not in at.query_params
    assert not [b for b in at.button if b.key == "present.next"]


def test_a_link_with_present_opens_presenting_and_the_switch_shows_it():
    at = open_page("segmentation", query={"present": "1"})
    assert _switch(at).value and at.button(key="present.next")
