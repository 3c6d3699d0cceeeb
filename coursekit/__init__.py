"""The course's machinery, which students never need to read.

``helpers`` (one module, beside this package) is what the notebooks import; it
re-exports what they use from here. Modules, one concern each:

- ``checks``: validation of arguments at the boundary (ValueError naming the argument);
- ``data``: the seeded data and initialisation every notebook shares;
- ``lessons``: the notebooks' lesson code, generated from their ``#@save`` cells;
- ``png``: a fast PNG encoder for the explorers' frames;
- ``figures``: pictures that say what they show (an <img> with alt text; every inline figure described);
- ``explorer``: the Explorer base (frozen layout, blitting) and static figures;
- ``graph_drawing``: drawing a computing graph and stating its rules in words;
- ``exercises``: the one checker of every exercise (seeded cases, the first failing one, a hint;
  a homework's fallback to the course's version), the checker of answers, and what nbgrader scores;
- ``comparison``: a result compared with the expected one, and the difference said in words;
- ``sealing``: an expected answer kept unreadable at a glance in the student edition;
- ``graph_explorer``, ``training``, ``training_explorer``, ``quadratic``,
  ``momentum_explorer``, ``conv_explorer``: one explorer per notebook and what it runs.

Imports run one way: helpers -> explorers -> drawing, data, lessons -> checks.
"""
