"""The public health declaration (no login): the form, its receipt with a QR, the unit picker's
search; and the officers' side: the list (with its Excel export), a declaration's page and the lookup
by receipt code (a checkpoint officer scans the QR).

The form carries a CSRF token, so it is never cached; the language is switched with the portal's
link.  A refused form answers 400 (the offline helper's outbox keeps such an entry for the person to
fix), a client sending too often 429.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.audit import AuditAction
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.core.responses import xlsx_response
from chongdich.movement.actions.declarations import do_declare, normalise_receipt
from chongdich.movement.exports.declarations import EXPORT_MAX_ROWS, declarations_workbook
from chongdich.movement.filters.declarations import DeclarationFilter
from chongdich.movement.forms.declarations import DeclarationForm, ReceiptLookupForm
from chongdich.movement.limits import allow
from chongdich.movement.models import VIEW
from chongdich.movement.selectors import declarations as selectors
from chongdich.movement.tables.declarations import DeclarationTable
from chongdich.people.identity import display_phone
from chongdich.risk.names import lang


def _limited(request, retry_after: int, *, json: bool = False):
    if json:
        response = JsonResponse({"detail": _("Too many requests: wait a few minutes, then try again.")}, status=429)
    else:
        response = render(
            request,
            "movement/declarations/limited.html",
            {"now": clock.now(), "minutes": max(1, (retry_after + 59) // 60)},
            status=429,
        )
    response["Retry-After"] = str(max(1, retry_after))
    return response


def _public_context(form=None) -> dict:
    return {"now": clock.now(), "retention_days": selectors.retention_days(), "form": form}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def declare(request):
    """The form: a valid one is saved (once per client id) and the receipt opens; a refused one comes
    back with 400, every message on its field and what was typed kept."""
    if request.method == "POST":
        allowed, retry_after = allow(request, "declaration")
        if not allowed:
            return _limited(request, retry_after)
    form = DeclarationForm(request.POST or None, lang=lang())
    if request.method == "POST" and form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        done = submit(form, do_declare, actor, form.declaration_data(), client_id(request), lang())
        if done:
            return redirect("movement:declaration_receipt", receipt=done.value.record.receipt)
    status = 400 if request.method == "POST" else 200
    context = _public_context(form) | {
        "commune_label": form.picked_label("commune_code"),
        "from_label": form.picked_label("arrived_from_commune_code"),
    }
    return render(request, "movement/declarations/form.html", context, status=status)


@never_cache
@require_safe
def declaration_receipt(request, receipt: str):
    """The receipt: reachable with its code only, showing what the declarant typed and what to do next."""
    declaration = selectors.public_receipt(normalise_receipt(receipt))
    if declaration is None:
        raise Http404
    context = _public_context() | {
        "declaration": declaration,
        "qr": selectors.receipt_qr(declaration.receipt),
        "symptoms": selectors.symptom_names(declaration.symptoms, lang()),
        "exposures": selectors.exposure_names(declaration.exposures, lang()),
        "phone": display_phone(declaration.phone),
        "place": selectors.unit_labels([declaration.unit.code]).get(declaration.unit.code, declaration.unit.name),
        "origin": selectors.commune_label(declaration.arrived_from_commune_code)
        if declaration.arrived_from_commune_code
        else declaration.arrived_from_text,
    }
    response = render(request, "movement/declarations/receipt.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def declaration_units(request):
    """The picker's search (public, territory units only): ``?q=`` communes by name (diacritics
    optional), ``?parent=<commune code>`` its villages; at most 10 (300 villages), rate-limited."""
    allowed, retry_after = allow(request, "unit_search")
    if not allowed:
        return _limited(request, retry_after, json=True)
    parent = (request.GET.get("parent") or "").strip()[:16]
    if parent:
        results = selectors.villages_of(parent)
    else:
        results = selectors.search_communes((request.GET.get("q") or "")[:120])
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "public, max-age=300"
    return response


# -- the officers' side ----------------------------------------------------------------------------
@capability_required(VIEW)
def declaration_list(request):
    filters = DeclarationFilter(request.GET, selectors.declarations_for(request.user), request=request)
    table = paginate_table(request, DeclarationTable(filters.results()), per_page=50)
    audit.record_read(request, _("Health declarations"), table.page.object_list)
    query = request.GET.urlencode()
    return render(
        request,
        "movement/declarations/list.html",
        {
            "filter": filters,
            "table": table,
            "export_url": reverse("movement:declaration_export") + (f"?{query}" if query else ""),
            "lookup_form": ReceiptLookupForm(),
            "export_max": EXPORT_MAX_ROWS,
        },
    )


@capability_required(VIEW)
def declaration_export(request):
    filters = DeclarationFilter(request.GET, selectors.declarations_for(request.user), request=request)
    content, count = declarations_workbook(filters.results(), lang())
    audit.record_read(request, _("Health declarations (Excel)"), [], action=AuditAction.EXPORT, count=count)
    return xlsx_response(content, f"to-khai-y-te-{clock.today():%Y%m%d}.xlsx")


@capability_required(VIEW)
def declaration_detail(request, pk: int):
    declaration = selectors.declaration_page(request.user, pk)
    audit.record_read(request, _("Health declaration"), [declaration], obj=declaration)
    return render(
        request,
        "movement/declarations/detail.html",
        {
            "declaration": declaration,
            "symptoms": selectors.symptom_names(declaration.symptoms, lang()),
            "exposures": selectors.exposure_names(declaration.exposures, lang()),
            "phone": display_phone(declaration.phone),
            "place": selectors.unit_labels([declaration.unit.code]).get(declaration.unit.code, declaration.unit.name),
            "origin": selectors.commune_label(declaration.arrived_from_commune_code)
            if declaration.arrived_from_commune_code
            else declaration.arrived_from_text,
            "origin_level": selectors.level_name(declaration.arrived_from_level)
            if declaration.arrived_from_level
            else "",
        },
    )


@capability_required(VIEW)
def declaration_lookup(request):
    """A receipt code typed or scanned: the declaration's page when it is in the officer's area, else the
    public receipt (what the holder of the code may show anyone); otherwise "not found"."""
    form = ReceiptLookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = normalise_receipt(form.cleaned_data["receipt"])
        found = selectors.by_receipt(request.user, code)
        if found is not None:
            return redirect("movement:declaration", pk=found.pk)
        if selectors.public_receipt(code) is not None:
            return redirect("movement:declaration_receipt", receipt=code)
        messages.error(request, _("No declaration has this receipt code: check the code (10 letters and digits)."))
    return render(request, "movement/declarations/lookup.html", {"form": form})
