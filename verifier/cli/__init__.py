"""The command line (click): the only package that prints, reads the clock, or exits.

``app.main`` is the ``verify-refs`` entry point; each subcommand lives in its own module.
"""
