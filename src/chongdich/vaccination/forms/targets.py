"""Forms of the target lists: enrolment in a priority group (one person, many, an uploaded list of CCCD),
invitations to a session, an invitation's status.  Every field is bounded; an uploaded file is read by
``core.spreadsheets.read_table`` (in its sandbox) and limited in size and rows."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock, dates
from chongdich.core.spreadsheets import ReadLimits, SpreadsheetError, read_table
from chongdich.people.identity import IdentityError, parse_cccd
from chongdich.vaccination.models import InvitationStatus, Session
from chongdich.vaccination.selectors import targets as read

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FUTURE_DAYS = 366  # a list may be asked for a day ahead (the day of a planned session)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_ROWS = 5000


class DayField(forms.DateField):
    """A day of a list: from the start of the epidemic to a year ahead of today (else a message)."""

    widget = DATE

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        first, last = dates.epidemic_start(), clock.today() + timedelta(days=FUTURE_DAYS)
        if not first <= value <= last:
            raise ValidationError(
                _("Choose a day between %(first)s and %(last)s.")
                % {"first": f"{first:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"},
                code="window",
            )


class EnrolForm(forms.Form):
    """One person into a priority group (the person page's panel)."""

    group = forms.ChoiceField(label=_("Priority group"), choices=())
    since = dates.WindowedDateField(label=_("From"), widget=DATE, required=False, window="vaccination.last_dose")
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, province_code: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "—"), *read.group_choices(clock.today(), province_code)]


class EnrolManyForm(forms.Form):
    """Everyone of a filtered target list into a priority group."""

    into_group = forms.ChoiceField(label=_("Put everyone listed in the group"), choices=())

    def __init__(self, *args, province_code: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into_group"].choices = [("", "—"), *read.group_choices(clock.today(), province_code)]


class EnrolUploadForm(forms.Form):
    """A spreadsheet with a column of CCCD numbers (Số CCCD): everyone found goes into the group."""

    group = forms.ChoiceField(label=_("Priority group"), choices=())
    file = forms.FileField(label=_("File (.xlsx, .xls, .ods or .csv) with a column “Số CCCD”"))

    COLUMNS = {"cccd": ("cccd", "so cccd", "can cuoc", "can cuoc cong dan", "so can cuoc", "cmnd cccd", "so dinh danh")}

    def __init__(self, *args, province_code: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "—"), *read.group_choices(clock.today(), province_code)]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB: split it."))
        name = upload.name or "list.xlsx"
        if not name.lower().endswith((".xlsx", ".xls", ".ods", ".csv")):
            raise ValidationError(_("Send an Excel (.xlsx, .xls), OpenDocument (.ods) or CSV file."))
        try:
            table = read_table(
                upload.read(),
                name,
                self.COLUMNS,
                ("cccd",),
                limits=ReadLimits(max_rows=MAX_UPLOAD_ROWS + 20, max_columns=60),
            )
        except SpreadsheetError as error:
            if error.code == "header":
                raise ValidationError(_("No column “Số CCCD” was found in the first rows of the file.")) from None
            if error.code == "too_large":
                raise ValidationError(
                    _("The file has more than %(max)s rows: split it.") % {"max": MAX_UPLOAD_ROWS}
                ) from None
            raise ValidationError(_("The file cannot be read as a spreadsheet.")) from None
        if "cccd" not in table.headers:
            raise ValidationError(_("No column “Số CCCD” was found in the first rows of the file."))
        numbers, bad = [], []
        for row in table.dict:
            raw = str(row.get("cccd") or "").strip()
            if not raw:
                continue
            try:
                numbers.append((row.get("_row"), parse_cccd(raw).number))
            except (IdentityError, ValueError):
                bad.append((row.get("_row"), raw[:20]))
        if len(numbers) + len(bad) > MAX_UPLOAD_ROWS:
            raise ValidationError(_("The file has more than %(max)s rows: split it.") % {"max": MAX_UPLOAD_ROWS})
        if not numbers:
            raise ValidationError(_("The file holds no valid CCCD number."))
        self.numbers, self.bad_numbers = numbers, bad
        return upload


class InviteForm(forms.Form):
    """Invite the people of a list to a session."""

    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none(), empty_label="—")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(
            pk__in=[s.pk for s in read.sessions_to_invite(user)]
        ).select_related("site")
        self.fields["session"].label_from_instance = session_label


def session_label(session: Session) -> str:
    return f"{session.day:%d/%m/%Y} · {session.get_shift_display()} · {session.site.name}"


class InvitationStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, label) for s, label in InvitationStatus.choices if s != InvitationStatus.VACCINATED],
    )
