from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.accounts.actions import (
    check_can_manage_account,
    do_create_user,
    do_grant,
    do_issue_token,
    do_revoke,
    do_revoke_token,
    do_set_active,
    do_set_password,
)
from chongdich.accounts.forms import GrantForm, SetPasswordForm, TokenForm, UserCreateForm
from chongdich.accounts.models import ApiToken, Grant, User
from chongdich.core import audit
from chongdich.core.access import capability_required
from chongdich.core.forms import add_errors
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, path_filter, scope_for
from chongdich.territory.models import AdminUnit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """A user changes their own password (the old one first); every password validator applies."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            self.request.user,
            audit.AuditAction.UPDATE,
            self.request.user,
            detail={"password": "changed"},
            unit_path="",
            label=self.request.user.get_username(),
        )
        messages.success(self.request, _("Your password was changed."))
        return response


def users_in_scope(user):
    scope = scope_for(user, Cap.USERS_MANAGE)
    if scope.everything:
        return User.objects.all()
    condition = path_filter(scope, "grants__unit__path")
    return User.objects.filter(condition).distinct()


def _unit_for(code: str, form) -> AdminUnit | None:
    unit = AdminUnit.objects.filter(code=code.strip()).first()
    if unit is None:
        form.add_error("unit", _("There is no unit with code “%(code)s”.") % {"code": code})
    return unit


@capability_required(Cap.USERS_MANAGE)
def users(request):
    people = users_in_scope(request.user).prefetch_related("grants__unit").order_by("username")
    return render(request, "accounts/users.html", {"users": people})


@capability_required(Cap.USERS_MANAGE)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    form.setup_role_unit(request.user)
    if request.method == "POST" and form.is_valid():
        unit = _unit_for(form.cleaned_data["unit"], form)
        if unit is not None:
            try:
                user = do_create_user(
                    request.user,
                    username=form.cleaned_data["username"],
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password"],
                    role=form.cleaned_data["role"],
                    unit=unit,
                    phone=form.cleaned_data["phone"],
                    organisation=form.cleaned_data["organisation"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                form.add_error("unit", str(exc))
            else:
                messages.success(request, _("User %(name)s was created.") % {"name": user.username})
                return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@capability_required(Cap.USERS_MANAGE)
def user_detail(request, pk: int):
    account = users_in_scope(request.user).filter(pk=pk).first()
    if account is None:
        raise Http404
    form = GrantForm(request.POST if request.POST.get("form") == "grant" else None)
    form.setup_role_unit(request.user)
    password_form = SetPasswordForm(request.POST if request.POST.get("form") == "password" else None, account=account)
    if request.method == "POST" and request.POST.get("form") == "password" and password_form.is_valid():
        try:
            do_set_password(request.user, account, password_form.cleaned_data["password"])
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The password was changed."))
        return redirect("accounts:user", pk=account.pk)
    if request.method == "POST" and request.POST.get("form") == "active":
        try:
            do_set_active(request.user, account, request.POST.get("active") == "1")
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("The account was updated."))
        return redirect("accounts:user", pk=account.pk)
    if request.method == "POST" and request.POST.get("form") == "grant" and form.is_valid():
        unit = _unit_for(form.cleaned_data["unit"], form)
        if unit is not None:
            try:
                do_grant(request.user, user=account, role=form.cleaned_data["role"], unit=unit)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, getattr(exc, "messages", None) or str(exc))
            else:
                messages.success(request, _("Role granted."))
                return redirect("accounts:user", pk=account.pk)
    grants = account.grants.select_related("unit", "granted_by").order_by("unit__path")
    scope = scope_for(request.user, Cap.USERS_MANAGE)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "grants": [(g, scope.contains(g.unit.path)) for g in grants],
            "form": form,
            "password_form": password_form,
            "can_manage_account": _can_manage(request.user, account),
        },
    )


def _can_manage(actor, account) -> bool:
    try:
        check_can_manage_account(actor, account)
    except PermissionDenied:
        return False
    return True


@require_POST
@capability_required(Cap.USERS_MANAGE)
def grant_revoke(request, pk: int):
    grant = Grant.objects.select_related("unit", "user").filter(pk=pk).first()
    if grant is None or not scope_for(request.user, Cap.USERS_MANAGE).contains(grant.unit.path):
        raise Http404
    try:
        do_revoke(request.user, grant)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Role removed."))
    return redirect("accounts:user", pk=grant.user_id)


NEW_TOKEN_KEY = "chongdich_new_token"


@login_required
def profile(request):
    can_issue = has_capability(request.user, Cap.API_TOKENS)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and can_issue and form.is_valid():
        try:
            _token, raw = do_issue_token(
                request.user, name=form.cleaned_data["name"], valid_until=form.cleaned_data["valid_until"]
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            # Post/redirect/get: a reload must not create a second token; the secret is shown once.
            request.session[NEW_TOKEN_KEY] = raw
            return redirect("accounts:profile")
    new_token = request.session.pop(NEW_TOKEN_KEY, None)
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    grants = request.user.grants.select_related("unit").order_by("unit__path")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "tokens": tokens, "new_token": new_token, "grants": grants, "can_issue": can_issue},
    )


@require_POST
@login_required
def token_revoke(request, pk: int):
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    do_revoke_token(request.user, token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")
