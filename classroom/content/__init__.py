"""Exercise content: plain data read from files, with no Flask in it."""
