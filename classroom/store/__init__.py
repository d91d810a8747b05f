"""Everything that speaks SQL, one module per thing stored; plain functions over a Database.

No Flask here: classroom/db.py lends each request a connection, and the views and commands
call these functions with it. connection.py has what every module shares.
"""
