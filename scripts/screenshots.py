"""Take screenshots of chongdich pages with Debian's headless Chromium (for review and the docs).

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR] [USERNAME] [PATH ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "var/screenshots")
    username = sys.argv[3] if len(sys.argv) > 3 else "xa.duchanh"
    paths = sys.argv[4:] or ["/", "/people/?q=nguyen+van", "/units/691/", "/imports/"]
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for width, height in ((1366, 900), (360, 780)):
            page = browser.new_page(viewport={"width": width, "height": height})
            errors: list[str] = []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", "chongdich-demo")
            page.click("#login-submit")
            for path in paths:
                page.goto(base + path)
                name = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-").replace("+", "-") or "home"
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
            if errors:
                print("console errors:", errors)
        browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
