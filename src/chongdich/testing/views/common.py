"""Small helpers shared by the testing views."""

from __future__ import annotations

PAGE_SIZE = 50
