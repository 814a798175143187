"""The desktop app's dialogs: wrap-up at hang-up, call history, settings.

Each takes the call database path and/or the typed Settings and talks to the database only on its
own worker thread (ui/jobs.py), so none of them can freeze the live window.
"""
