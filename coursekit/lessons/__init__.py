"""The notebooks' lesson code, generated from their ``#@save`` cells by tools/export_lessons.py.

Bare, as in the notebooks (no argument checks): helpers.py and the explorers validate their
arguments, and check what a lesson function returns where it comes back. One module per
notebook: graph (01), backprop (02), training (03), momentum (04), conv (05).
"""
