"""Exports: pure functions from a plan and its schedule to text or bytes.

Writing files is the caller's job, so every exporter can be tested on its output alone.
"""
