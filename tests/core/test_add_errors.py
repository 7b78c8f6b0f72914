"""core.forms.add_errors shows a service's refusal once, on the field it names or above the form."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.core.forms import add_errors


class NameForm(forms.Form):
    name = forms.CharField(required=False)


def bound() -> NameForm:
    form = NameForm({"name": "An"})
    assert form.is_valid()
    return form


def test_on_the_field_it_names_else_above_the_form():
    form = bound()
    add_errors(form, ValidationError({"name": "Tên quá ngắn.", "phone": "Số điện thoại sai."}))
    assert form.errors["name"] == ["Tên quá ngắn."] and form.non_field_errors() == ["Số điện thoại sai."]


def test_the_same_message_for_two_missing_fields_is_said_once():
    form = bound()
    add_errors(form, ValidationError({"cccd": "Người này đã được đăng ký.", "phone": "Người này đã được đăng ký."}))
    assert form.non_field_errors() == ["Người này đã được đăng ký."]


def test_a_message_already_shown_is_not_repeated():
    form = bound()
    form.add_error("name", "Tên quá ngắn.")
    add_errors(form, ValidationError({"name": ["Tên quá ngắn.", "Tên quá ngắn."]}))
    assert form.errors["name"] == ["Tên quá ngắn."]
    add_errors(form, PermissionDenied("Ngoài địa bàn."))
    add_errors(form, PermissionDenied("Ngoài địa bàn."))
    assert form.non_field_errors() == ["Ngoài địa bàn."]
