"""Certificates: a person's vaccination certificate (page, print, PDF) with its signed QR code, and the
public verification page (no login) that the QR code opens."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from chongdich.core import audit, clock
from chongdich.core.access import capability_required, get_for_user_or_404
from chongdich.core.pagination import paginate_table
from chongdich.people.models import Person
from chongdich.vaccination.certificates import qr_svg
from chongdich.vaccination.filters.certs import CertificateFilter
from chongdich.vaccination.forms.certs import VerifyForm
from chongdich.vaccination.models import VIEW
from chongdich.vaccination.selectors import certs
from chongdich.vaccination.tables.certs import CertificateTable

PAGE_SIZE = 50
DOCUMENT_LANGUAGE = "vi"  # the PDF is in Vietnamese with English under each heading, whatever the interface


def verify_url(request, payload: str) -> str:
    """The address the QR code holds: the public verification page with the payload (its characters
    need no escaping in a query)."""
    base = settings.CHONGDICH_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return f"{base}{reverse('vaccination:verify')}?c={payload}"


def _issued(request, pk: int, what: str, action: str):
    person = get_for_user_or_404(Person, request.user, VIEW, pk=pk)
    issued = certs.certificate_of(person, clock.today())
    url = verify_url(request, issued.payload) if issued.payload else ""
    audit.record_read(
        request,
        what,
        [person],
        obj=person,
        action=action,
        detail={"doses": len(issued.doses), "kid": issued.certificate.kid if issued.certificate else ""},
    )
    return issued, url


@capability_required(VIEW)
def certificates(request):
    """People of the area with a recorded dose: find one, open their certificate."""
    filters = CertificateFilter(request.GET or None, certs.vaccinated_people(request.user), request=request)
    table = paginate_table(request, CertificateTable(filters.results()), per_page=PAGE_SIZE)
    audit.record_read(request, _("Vaccination certificates"), table.page.object_list)
    return render(request, "vaccination/certs/list.html", {"filter": filters, "table": table})


@capability_required(VIEW)
def certificate(request, pk: int):
    issued, url = _issued(request, pk, _("Vaccination certificate"), audit.AuditAction.VIEW)
    return render(
        request,
        "vaccination/certs/certificate.html",
        {
            "issued": issued,
            "person": issued.person,
            "colour": issued.colour,
            "verify_url": url,
            "qr": qr_svg(url, title=_("Certificate QR code")) if url else "",
            "today": clock.today(),
        },
    )


@capability_required(VIEW)
def certificate_pdf(request, pk: int):
    import weasyprint  # imported here: Pango is loaded only when a PDF is made

    issued, url = _issued(request, pk, _("Vaccination certificate (PDF)"), audit.AuditAction.EXPORT)
    if not issued.doses:
        raise Http404  # nothing to certify: the page says so
    with translation.override(DOCUMENT_LANGUAGE):
        html = render_to_string(
            "vaccination/certs/certificate_pdf.html",
            {"issued": issued, "person": issued.person, "verify_url": url, "qr": qr_svg(url), "today": clock.today()},
        )
    response = HttpResponse(weasyprint.HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chung-nhan-tiem-chung-{issued.person.pk}.pdf"'
    return response


@require_safe
@never_cache  # the answer shows a name and a date of birth: no proxy or browser keeps it
def verify(request):
    """Public: what a certificate's QR code holds and whether this deployment signed it.  Reads no table."""
    form = VerifyForm(request.GET or None)
    checked = None
    if form.is_bound and form.is_valid() and form.cleaned_data["c"]:
        checked = certs.check_payload(form.cleaned_data["c"])
    return render(request, "vaccination/certs/verify.html", {"form": form, "checked": checked})
