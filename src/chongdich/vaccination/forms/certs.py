"""Forms of the certificates area: the public verification page's paste box."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.vaccination.certificates import MAX_PAYLOAD

# The pasted text may be the whole address of the QR code (…/vaccination/verify/?c=CD1:…) around the payload.
MAX_PASTED = MAX_PAYLOAD + 300


class VerifyForm(forms.Form):
    c = forms.CharField(
        label=_("Certificate code"),
        max_length=MAX_PASTED,
        required=False,
        strip=True,
        widget=forms.Textarea(
            attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off", "class": "form-control font-monospace"}
        ),
        help_text=_("Scan the QR code with the phone's camera, or paste here the text it holds (it begins with CD1:)."),
    )
