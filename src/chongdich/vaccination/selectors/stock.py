"""Reads of sites, lots and stock: the figures of the stock pages and their export.

A line is one site × lot: what came in and went out (movements), the doses given there (valid
``Dose`` rows of the lot at the site, whoever the person is: a count, not personal data), and from
them the stock on hand, the doses given in the last seven days, the days of stock left at that rate
and the wastage.  The totals of a page are sums of its lines, so every figure equals the rows behind it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.utils.translation import pgettext_lazy

from chongdich.core import clock
from chongdich.core.access import get_for_user_or_404
from chongdich.core.scoping import in_scope
from chongdich.core.versioning import NoRuleInForce
from chongdich.vaccination.models import EDIT, VIEW, Dose, Lot, MovementKind, Session, Site, StockMovement
from chongdich.vaccination.rules import default_config

# The movements as the stock pages name them ("Transferred out" alone reads as a person's transfer
# to another province in the catalogue: the stock's own words carry a context).
KIND_LABELS = {
    MovementKind.RECEIVED: pgettext_lazy("vaccine stock", "Received"),
    MovementKind.TRANSFER_IN: pgettext_lazy("vaccine stock", "Transferred in"),
    MovementKind.TRANSFER_OUT: pgettext_lazy("vaccine stock", "Transferred out"),
    MovementKind.DISCARDED_CLOSED: pgettext_lazy("vaccine stock", "Discarded, closed vial"),
    MovementKind.DISCARDED_OPENED: pgettext_lazy("vaccine stock", "Discarded, opened vial"),
    MovementKind.ADJUSTED: pgettext_lazy("vaccine stock", "Count adjusted"),
}
RATE_DAYS = 7  # days of stock left at the rate of the last seven days
EXPIRING_DAYS = 30  # a lot expiring within this many days is highlighted
DISCARDED = (MovementKind.DISCARDED_CLOSED, MovementKind.DISCARDED_OPENED)


# -- the catalogue ----------------------------------------------------------------------------------
def product_catalogue(on: date | None = None) -> dict:
    """Vaccines of the catalogue in force on ``on`` (today): code → Product; none before the first
    version (a clock pinned before 2021)."""
    try:
        return default_config().products(on or clock.today())
    except NoRuleInForce:
        return {}


def product_name(code: str) -> str:
    """The vaccine's short name for tables ("AstraZeneca", not its brands and strain)."""
    product = product_catalogue().get(code)
    return product.name.split(" (")[0] if product is not None else code


# -- arithmetic (pure, tested table-driven) ---------------------------------------------------------
def days_left(on_hand: int, given_last_days: int, days: int = RATE_DAYS) -> int | None:
    """Whole days the stock lasts at the rate of the last ``days`` days; None when nothing was given
    (no rate: "—", never a division by zero); 0 when nothing is on hand."""
    if given_last_days <= 0:
        return None
    if on_hand <= 0:
        return 0
    return on_hand * days // given_last_days


def wastage(discarded: int, given: int) -> Fraction | None:
    """Share of the doses used that were thrown away: discarded / (given + discarded); None without any."""
    used = given + discarded
    if used <= 0 or discarded < 0:
        return None
    return Fraction(discarded, used)


def expiry_state(expires_on: date, today: date) -> str:
    """ "expired", "expiring" (within 30 days) or "" for a lot on ``today``."""
    if expires_on < today:
        return "expired"
    if expires_on <= today + timedelta(days=EXPIRING_DAYS):
        return "expiring"
    return ""


# -- lines ------------------------------------------------------------------------------------------
@dataclass
class Line:
    """One site × lot, or a total of several (``site``/``lot`` None)."""

    site: Site | None = None
    lot: Lot | None = None
    product: str = ""
    received: int = 0
    transfer_in: int = 0
    transfer_out: int = 0
    discarded_closed: int = 0
    discarded_opened: int = 0
    adjusted: int = 0
    given: int = 0
    given_recent: int = 0  # the last RATE_DAYS days, today included
    today: date = field(default_factory=clock.today)

    @property
    def discarded(self) -> int:
        return self.discarded_closed + self.discarded_opened

    @property
    def on_hand(self) -> int:
        return (
            self.received
            + self.transfer_in
            - self.transfer_out
            - self.discarded_closed
            - self.discarded_opened
            + self.adjusted
            - self.given
        )

    @property
    def days_left(self) -> int | None:
        return days_left(self.on_hand, self.given_recent)

    @property
    def wastage(self) -> Fraction | None:
        return wastage(self.discarded, self.given)

    @property
    def wastage_pct(self) -> float | None:
        share = self.wastage
        return None if share is None else round(float(share) * 100, 1)

    @property
    def expiry(self) -> str:
        return expiry_state(self.lot.expires_on, self.today) if self.lot is not None else ""

    @property
    def product_name(self) -> str:
        return product_name(self.product)

    def add(self, other: Line) -> None:
        for name in (
            "received",
            "transfer_in",
            "transfer_out",
            "discarded_closed",
            "discarded_opened",
            "adjusted",
            "given",
            "given_recent",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


KIND_FIELD = {
    MovementKind.RECEIVED: "received",
    MovementKind.TRANSFER_IN: "transfer_in",
    MovementKind.TRANSFER_OUT: "transfer_out",
    MovementKind.DISCARDED_CLOSED: "discarded_closed",
    MovementKind.DISCARDED_OPENED: "discarded_opened",
    MovementKind.ADJUSTED: "adjusted",
}


def stock_lines(sites, *, product: str = "", today: date | None = None) -> list[Line]:
    """The lines of ``sites`` (a scoped queryset of sites, or a list), ordered by site then product and
    expiry; ``product`` narrows to one vaccine.  Two grouped queries whatever the number of sites."""
    today = today or clock.today()
    since = today - timedelta(days=RATE_DAYS - 1)
    site_ids = sites.values("pk") if hasattr(sites, "values") else [site.pk for site in sites]
    movements = StockMovement.objects.filter(site_id__in=site_ids)
    doses = Dose.objects.valid().filter(site_id__in=site_ids, lot__isnull=False)
    if product:
        movements = movements.filter(lot__product=product)
        doses = doses.filter(lot__product=product)
    lines: dict[tuple[int, int], Line] = {}

    def line(site_id: int, lot_id: int) -> Line:
        return lines.setdefault((site_id, lot_id), Line(today=today))

    for row in movements.values("site_id", "lot_id", "kind").annotate(total=Sum("doses")).order_by():
        current = line(row["site_id"], row["lot_id"])
        name = KIND_FIELD[MovementKind(row["kind"])]
        setattr(current, name, getattr(current, name) + row["total"])
    recent = Q(given_on__gte=since, given_on__lte=today)
    for row in (
        doses.values("site_id", "lot_id").annotate(total=Count("pk"), recent=Count("pk", filter=recent)).order_by()
    ):
        current = line(row["site_id"], row["lot_id"])
        current.given += row["total"]
        current.given_recent += row["recent"]
    site_by_id = Site.objects.select_related("unit").in_bulk({site_id for site_id, _lot in lines})
    lot_by_id = Lot.objects.in_bulk({lot_id for _site, lot_id in lines})
    for (site_id, lot_id), current in lines.items():
        current.site, current.lot = site_by_id[site_id], lot_by_id[lot_id]
        current.product = current.lot.product
    return sorted(
        lines.values(),
        key=lambda ln: (ln.site.name, ln.site.pk, ln.product, ln.lot.expires_on, ln.lot.number),
    )


@dataclass
class Totals:
    """Per product and overall: sums of the lines (the page's figures are these sums)."""

    products: list[Line]
    overall: Line


def totals(lines: list[Line]) -> Totals:
    by_product: dict[str, Line] = {}
    overall = Line(today=lines[0].today if lines else clock.today())
    for current in lines:
        by_product.setdefault(current.product, Line(product=current.product, today=current.today)).add(current)
        overall.add(current)
    return Totals(sorted(by_product.values(), key=lambda ln: ln.product), overall)


def site_totals(lines: list[Line]) -> dict[int, Line]:
    """Per site: the sums of its lines."""
    found: dict[int, Line] = defaultdict(Line)
    for current in lines:
        total = found[current.site.pk]
        total.site, total.today = current.site, current.today
        total.add(current)
    return dict(found)


# -- sites ------------------------------------------------------------------------------------------
def sites_for(user, capability: str = VIEW):
    return Site.objects.for_user(user, capability).select_related("unit").order_by("unit__path", "name", "pk")


def site_page(user, pk, capability: str = VIEW) -> Site:
    return get_for_user_or_404(Site.objects.select_related("unit", "unit__parent"), user, capability, pk=pk)


def may_edit(user, site: Site) -> bool:
    return in_scope(user, EDIT, site)


def destinations(user, site: Site):
    """Sites that may receive a transfer from ``site``: active sites the user may edit, but this one."""
    return sites_for(user, EDIT).filter(active=True).exclude(pk=site.pk)


def movements_of(site: Site):
    return (
        StockMovement.objects.filter(site=site)
        .select_related("lot", "counterpart", "created_by")
        .order_by("-day", "-pk")
    )


def sessions_of(site: Site, limit: int = 20) -> list[Session]:
    return list(Session.objects.filter(site=site).prefetch_related("lots").order_by("-day", "-pk")[:limit])


# -- lots -------------------------------------------------------------------------------------------
def lots():
    return Lot.objects.order_by("product", "expires_on", "number")


def usable_lots(today: date | None = None):
    """Lots not expired (what a site may receive)."""
    return lots().filter(expires_on__gte=today or clock.today())


def lots_on_hand(site: Site, today: date | None = None):
    """Lots with doses on hand at ``site`` (what may leave it), soonest expiry first."""
    held = [line.lot.pk for line in stock_lines([site], today=today) if line.on_hand > 0]
    return lots().filter(pk__in=held).order_by("expires_on", "number")


def lots_seen(site: Site):
    """Lots the site ever held (a count may correct any of them)."""
    return (
        lots().filter(pk__in=StockMovement.objects.filter(site=site).values("lot_id")).order_by("expires_on", "number")
    )


def product_names() -> dict[str, str]:
    return {code: product_name(code) for code in product_catalogue()}
