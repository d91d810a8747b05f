"""Accounts: log in, log out, join a class with its code, and who may see what."""

from .routes import bp, index, login_required

__all__ = ["bp", "index", "login_required"]
