"""Screens and dialogs of the coplan app, one per module."""
