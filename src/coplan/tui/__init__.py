"""coplan's terminal UI (Textual).  The domain never imports this package."""
