"""``telewizard serve``: the same wizard in a web browser, through textual-serve (an optional extra).

``server`` runs textual-serve with a page of our own (``page/app_index.html``) that loads nothing from
outside the server. Only ``wizard.commands.serve`` imports it, and only once textual-serve is known to
be installed.
"""
