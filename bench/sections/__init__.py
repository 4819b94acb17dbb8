"""The benchmark's sections, one module each, chosen by name on ``bench/benchmark.py``'s
command line: ``data``, ``map`` (:mod:`.map_build`), ``rerun``, ``browser``, ``events``,
``imports``, ``coverage``, ``usage``, ``members``."""
