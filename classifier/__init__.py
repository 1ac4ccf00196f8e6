"""Text → responsibility-list item and department. Synchronous; no database, no chat."""
