"""Care pages: thin views (parse → one service or selector call → render)."""
