"""Signals of the place hierarchy, for apps that keep copies of a place's path."""

from django.dispatch import Signal

# Sent after a place and everything inside it got a new path (argument: place).
place_moved = Signal()
