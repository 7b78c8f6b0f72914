from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.accounts import selectors
from chongdich.accounts.actions import (
    can_manage_account,
    do_change_own_password,
    do_create_user,
    do_grant,
    do_issue_token,
    do_revoke,
    do_revoke_token,
    do_set_active,
    do_set_own_email,
    do_set_password,
)
from chongdich.accounts.forms import EmailForm, GrantForm, SetPasswordForm, TokenForm, UserCreateForm
from chongdich.core.access import capability_required
from chongdich.core.forms import submit
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability
from chongdich.territory.models import AdminUnit
from chongdich.territory.selectors import unit_by_code


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """A user changes their own password (the old one first); every password validator applies."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        do_change_own_password(form.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password was changed."))
        return redirect(self.get_success_url())


def _unit_for(code: str, form) -> AdminUnit | None:
    unit = unit_by_code(code)
    if unit is None:
        form.add_error("unit", _("There is no unit with code “%(code)s”.") % {"code": code})
    return unit


@capability_required(Cap.USERS_MANAGE)
def users(request):
    return render(request, "accounts/users.html", {"users": selectors.user_list(request.user)})


@capability_required(Cap.USERS_MANAGE)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    form.setup_role_unit(request.user)
    if request.method == "POST" and form.is_valid():
        unit = _unit_for(form.cleaned_data["unit"], form)
        if unit is not None:
            done = submit(
                form,
                do_create_user,
                request.user,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                role=form.cleaned_data["role"],
                unit=unit,
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                organisation=form.cleaned_data["organisation"],
            )
            if done:
                messages.success(request, _("User %(name)s was created.") % {"name": done.value.username})
                return redirect("accounts:user", pk=done.value.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@capability_required(Cap.USERS_MANAGE)
def user_detail(request, pk: int):
    account = selectors.account_for(request.user, pk)
    if account is None:
        raise Http404
    form = GrantForm(request.POST if request.POST.get("form") == "grant" else None)
    form.setup_role_unit(request.user)
    password_form = SetPasswordForm(request.POST if request.POST.get("form") == "password" else None, account=account)
    if request.method == "POST" and request.POST.get("form") == "password" and password_form.is_valid():
        if submit(request, do_set_password, request.user, account, password_form.cleaned_data["password"]):
            messages.success(request, _("The password was changed."))
        return redirect("accounts:user", pk=account.pk)
    if request.method == "POST" and request.POST.get("form") == "active":
        if submit(request, do_set_active, request.user, account, request.POST.get("active") == "1"):
            messages.success(request, _("The account was updated."))
        return redirect("accounts:user", pk=account.pk)
    if request.method == "POST" and request.POST.get("form") == "grant" and form.is_valid():
        unit = _unit_for(form.cleaned_data["unit"], form)
        if unit is not None:
            if submit(form, do_grant, request.user, user=account, role=form.cleaned_data["role"], unit=unit):
                messages.success(request, _("Role granted."))
                return redirect("accounts:user", pk=account.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "grants": selectors.grants_shown(request.user, account),
            "form": form,
            "password_form": password_form,
            "can_manage_account": can_manage_account(request.user, account),
        },
    )


@require_POST
@capability_required(Cap.USERS_MANAGE)
def grant_revoke(request, pk: int):
    grant = selectors.grant_for(request.user, pk)
    if grant is None:
        raise Http404
    if submit(request, do_revoke, request.user, grant):
        messages.success(request, _("Role removed."))
    return redirect("accounts:user", pk=grant.user_id)


NEW_TOKEN_KEY = "chongdich_new_token"


@login_required
def profile(request):
    can_issue = has_capability(request.user, Cap.API_TOKENS)
    posted_email = request.method == "POST" and request.POST.get("form") == "email"
    email_form = EmailForm(request.POST if posted_email else None, initial={"email": request.user.email})
    if posted_email:
        if email_form.is_valid() and submit(
            email_form, do_set_own_email, request.user, email_form.cleaned_data["email"]
        ):
            messages.success(request, _("Your email address was saved."))
            return redirect("accounts:profile")
        form = TokenForm()
    else:
        form = TokenForm(request.POST or None)
    if request.method == "POST" and not posted_email and can_issue and form.is_valid():
        done = submit(
            form,
            do_issue_token,
            request.user,
            name=form.cleaned_data["name"],
            valid_until=form.cleaned_data["valid_until"],
        )
        if done:
            # Post/redirect/get: a reload must not create a second token; the secret is shown once.
            _token, raw = done.value
            request.session[NEW_TOKEN_KEY] = raw
            return redirect("accounts:profile")
    new_token = request.session.pop(NEW_TOKEN_KEY, None)
    tokens = selectors.own_tokens(request.user)
    grants = selectors.own_grants(request.user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "email_form": email_form,
            "tokens": tokens,
            "new_token": new_token,
            "grants": grants,
            "can_issue": can_issue,
        },
    )


@require_POST
@login_required
def token_revoke(request, pk: int):
    token = selectors.own_token(request.user, pk)
    if token is None:
        raise Http404
    do_revoke_token(request.user, token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")
