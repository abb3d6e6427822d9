"""Models for this app arrive with its issue."""
