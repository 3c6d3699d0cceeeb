"""The notebooks' lesson code, generated from their ``#@save`` cells by tools/export_lessons.py.

Bare, as in the notebooks (no argument checks): the explorers and helpers.py validate
at the boundary. One module per notebook: graph (01), training (03), momentum (04), conv (05).
"""
