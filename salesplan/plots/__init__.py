"""Matplotlib charts of plans; every function draws on ``ax`` (or a new one) and returns it."""
