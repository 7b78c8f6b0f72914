from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

ALLOWED_EXTENSIONS = (".xlsx", ".xls", ".ods", ".csv")
MAX_UPLOAD_MB = 40


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx, .xls, .ods or .csv)"))
    unit = forms.ChoiceField(label=_("Import for"))

    def __init__(self, *args, units, max_mb: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_mb = max_mb or MAX_UPLOAD_MB
        self.fields["unit"].choices = [(u.code, f"{u.name}") for u in units]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError(
                _("Choose an Excel file (.xlsx or .xls), an OpenDocument sheet (.ods) or a CSV file.")
            )
        if upload.size > self.max_mb * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into several files.") % {"mb": self.max_mb}
            )
        return upload
