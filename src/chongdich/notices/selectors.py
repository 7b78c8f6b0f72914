"""What the notices pages read: the user's own receipts, always within the user's present area.

A receipt was written for the user's grants when its notice was published; a grant taken away since
(a transfer to another commune) takes that area's notices off the user's pages, the bell and the
digest — the same scope rule as every other page (``for_user`` on the notice's unit path, with
``units.view``, which every role carries)."""

from __future__ import annotations

from chongdich.core.access import get_in_scope_or_404
from chongdich.core.roles import Cap
from chongdich.core.scoping import for_user
from chongdich.notices import kinds
from chongdich.notices.models import Mute, Preference, Receipt

SCOPE = Cap.UNITS_VIEW


def receipts_for(user):
    """The user's receipts in their area, newest first, with their notices."""
    if user is None or not user.is_authenticated:
        return Receipt.objects.none()
    own = Receipt.objects.filter(user=user).select_related("notice", "notice__unit")
    return for_user(own, user, SCOPE, path_field="notice__unit_path").order_by("-notice__created_at", "-pk")


def unread_count(user) -> int:
    """The bell's figure: one indexed count (the list's "unread" filter shows exactly these)."""
    if user is None or not user.is_authenticated:
        return 0
    unread = Receipt.objects.filter(user=user, read_at__isnull=True)
    return for_user(unread, user, SCOPE, path_field="notice__unit_path").count()


def receipt_of(user, notice_pk) -> Receipt:
    """The user's receipt of a notice, or 404 (another user's notice, or one outside the area)."""
    return get_in_scope_or_404(receipts_for(user), notice_id=notice_pk)


def open_link(receipt: Receipt) -> str:
    return receipt.notice.link or ""


def preference_of(user) -> Preference:
    """The user's channel preferences (the defaults, unsaved, when they never changed them)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def muted_kinds(user) -> set[str]:
    return set(Mute.objects.filter(user=user).values_list("kind", flat=True))


def kinds_for(user) -> list[kinds.Kind]:
    """The kinds the user can receive (a role of the kind among the user's roles), for the settings page."""
    roles = set(user.grants.values_list("role", flat=True)) if user.is_authenticated else set()
    return [kind for kind in kinds.all_kinds() if roles & {str(role) for role in kind.roles}]


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, kinds.label(kind)) for kind in kinds.all_kinds()]


__all__ = ["kind_choices", "kinds_for", "muted_kinds", "open_link", "preference_of", "receipt_of"]
