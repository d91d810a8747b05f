"""Accounts: log in, log out, join a class with its code, and who may see what."""

from .routes import LOGGED_OUT, PASSWORD_RESET, bp, index, login_required

__all__ = ["LOGGED_OUT", "PASSWORD_RESET", "bp", "index", "login_required"]
