"""Database lookups shared by apps."""

from __future__ import annotations

import re

from django.db.models import CharField, Lookup

_WORD = re.compile(r"[0-9a-z]+")


@CharField.register_lookup
class WordPrefixes(Lookup):
    """``field__word_prefixes="nguyen van an"``: every query word begins a word of the (folded) field.

    On PostgreSQL it is the full-text match ``to_tsvector('simple', field) @@ 'nguyen:* & van:* & an:*'``,
    answered by a GIN expression index; elsewhere a conjunction of LIKE conditions.  The right-hand
    side must already be folded (lower-case ASCII words).
    """

    lookup_name = "word_prefixes"

    def words(self) -> list[str]:
        return _WORD.findall(str(self.rhs))

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        query = " & ".join(f"{word}:*" for word in self.words()) or "''"
        return f"to_tsvector('simple'::regconfig, {lhs}) @@ to_tsquery('simple'::regconfig, %s)", [*lhs_params, query]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        words = self.words()
        if not words:
            return "1 = 0", []
        clauses, params = [], []
        for word in words:
            clauses.append(f"({lhs} LIKE %s OR {lhs} LIKE %s)")
            params.extend([*lhs_params, f"{word}%", *lhs_params, f"% {word}%"])
        return " AND ".join(clauses), params
