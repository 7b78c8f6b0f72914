"""core.forms.submit: an action's refusal on the form (on its field, else above it) or as messages."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from chongdich.core.forms import Submission, submit


class NameForm(forms.Form):
    name = forms.CharField(required=False)


def bound() -> NameForm:
    form = NameForm({"name": "An"})
    assert form.is_valid()
    return form


def request():
    req = RequestFactory().post("/")
    req.session = SessionStore()
    req._messages = FallbackStorage(req)
    return req


def refuse(exc):
    def action(*args, **kwargs):
        raise exc

    return action


def test_the_value_of_an_action_that_ran():
    calls = []

    def action(a, b, *, c):
        calls.append((a, b, c))
        return a + b + c

    done = submit(bound(), action, 1, 2, c=3)
    assert done and done.value == 6 and calls == [(1, 2, 3)]
    assert isinstance(done, Submission)
    assert submit(request(), lambda: None)  # a None value is still done


def test_a_refusal_on_the_field_it_names_else_above_the_form():
    form = bound()
    done = submit(form, refuse(ValidationError({"name": "Tên quá ngắn.", "phone": "Số sai."})))
    assert not done and done.value is None
    assert form.errors["name"] == ["Tên quá ngắn."] and form.non_field_errors() == ["Số sai."]


def test_a_plain_refusal_and_a_permission_above_the_form():
    form = bound()
    assert not submit(form, refuse(ValidationError(["Một.", "Hai."])))
    assert form.non_field_errors() == ["Một.", "Hai."]
    form = bound()
    assert not submit(form, refuse(PermissionDenied("Ngoài địa bàn.")))
    assert form.non_field_errors() == ["Ngoài địa bàn."]


def test_refusals_as_messages_on_a_request_each_once():
    req = request()
    assert not submit(req, refuse(ValidationError(["Một.", "Hai.", "Một."])))
    assert [str(m) for m in get_messages(req)] == ["Một.", "Hai."]
    req = request()
    assert not submit(req, refuse(PermissionDenied()))  # no message of its own: a generic one
    assert len(list(get_messages(req))) == 1


def test_other_errors_are_not_swallowed():
    try:
        submit(bound(), refuse(RuntimeError("disk full")))
    except RuntimeError:
        pass
    else:
        raise AssertionError("a crash must not look like a refusal")


def test_a_refusal_about_one_field_and_the_refusal_given_back():
    form = bound()
    refusal = PermissionDenied("Ngoài địa bàn.")
    refusal.field = "name"
    done = submit(form, refuse(refusal))
    assert form.errors["name"] == ["Ngoài địa bàn."] and done.error is refusal
    form = bound()
    taken = ValidationError("Số CCCD đã được đăng ký.")
    taken.field = "phone"  # a field the form does not have: above the form
    submit(form, refuse(taken))
    assert form.non_field_errors() == ["Số CCCD đã được đăng ký."]
