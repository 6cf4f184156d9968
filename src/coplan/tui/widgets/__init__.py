"""Widgets of the coplan app, one per module."""
