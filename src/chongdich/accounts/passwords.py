"""A password validator for the passwords people here actually choose.

Django's CommonPasswordValidator knows 20,000 English-speaking passwords; it does not know "matkhau123",
"anhyeuem" or the name of this system.  This validator refuses, whatever the case, diacritics, separators
and digits around them: common Vietnamese passwords, the system's name, and the account's username and
full name.  Django's own validators (length, numeric, common, similarity) run next to it.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chongdich.core.text import fold

SYSTEM_NAMES = ("chongdich", "phongchongdich")

# Whole passwords (once lower-cased, without diacritics, separators or the digits around them) that are
# among the most used in Vietnam, or that anyone would try on a government epidemic-response system.
COMMON_WORDS = frozenset(
    """
matkhau mk pass password passwd admin administrator quantri quantrivien quanly root user guest test demo
anhyeuem emyeuanh yeuem yeuanh iloveyou iloveu loveyou tinhyeu tinhyeuoi yeuemnhieu conyeume meyeucon
boyeucon giadinh hanhphuc thienthan thanhcong maimai maimaibenem motminhta xinchao chaoban hello
vietnam vietnamvodich hanoi saigon hochiminh danang haiphong binhphuoc bugiamap
covid covid19 corona vaccine chongcovid cachly xetnghiem yte tramyte soyte boyte ubnd ubndxa uyban
uybannhandan canbo congchuc lanhdao vanphong ketoan
qwerty qwertyuiop asdfgh asdfghjkl zxcvbn abc abcd abcdef abcdefgh aaaaaa
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly
""".split()
)

NON_ALNUM = re.compile(r"[^a-z0-9]")
REPEATED = re.compile(r"(.+?)\1+")  # "covid19covid19", "abcabcabc"


def _core(value: str) -> str:
    """'Mật-khẩu 123!' → 'matkhau123'."""
    return NON_ALNUM.sub("", fold(value or ""))


class GuessablePasswordValidator:
    """Refuses common Vietnamese passwords, the system's name, the username and the full name."""

    def validate(self, password: str, user=None) -> None:
        core = _core(password)
        word = core.strip("0123456789")
        if not word or len(set(core)) <= 2 or REPEATED.fullmatch(core):
            raise ValidationError(
                _(
                    "This password is only digits, symbols or something repeated; "
                    "use letters and digits that are hard to guess."
                ),
                code="password_guessable",
            )
        if word in COMMON_WORDS or core in COMMON_WORDS:
            raise ValidationError(
                _("Too many people use this password (like “matkhau123” or “anhyeuem”); choose another."),
                code="password_too_common",
            )
        if any(name in core for name in SYSTEM_NAMES):
            raise ValidationError(
                _("The password must not contain the name of the system."), code="password_system_name"
            )
        if user is None:
            return
        username = _core(getattr(user, "username", "") or "")
        if len(username) >= 3 and username in core:
            raise ValidationError(_("The password must not contain the username."), code="password_has_username")
        full_name = _core(getattr(user, "full_name", "") or "")
        if len(full_name) >= 4 and full_name in core:
            raise ValidationError(_("The password must not contain your name."), code="password_has_name")

    def get_help_text(self) -> str:
        return _("Not a common password such as “matkhau123”, not the system's name, not your username or name.")
