"""The headless commands, one module each: ``add_arguments(parser)`` and ``run(args) -> int``.

``wizard.cli`` imports only the module of the command given. A command module imports what its work
needs inside ``run``, so asking for its help stays quick. None of them imports Textual.
"""
