"""Settings for every test module, loaded before any of them is imported.

Hypothesis profiles: ``default`` (60 examples; with ``CI`` set, derandomised, so CI sees
the same examples every run and never fails on a new random draw; explore with
``thorough``), ``debug`` (shrinks a failing example: these data-dependent folders can take
minutes to shrink, so the default reports the failing example as drawn) and ``thorough``
(1,000 examples). Choose one with ``HYPOTHESIS_PROFILE``. A test's own ``@settings`` takes
the loaded profile as its parent, which is why the profile is loaded here.

PostgreSQL cluster templates (``erdgen/dialects/postgres/template.py``) go into a cache
directory of this test session's, removed at its end, not into the user's cache; an
``ERDGEN_CACHE_DIR`` set outside (to share templates between runs) is kept.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from hypothesis import HealthCheck, Phase, settings

if not os.environ.get("ERDGEN_CACHE_DIR"):  # before any cluster starts, and for subprocesses
    os.environ["ERDGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="erdgen-test-cache-")
    atexit.register(shutil.rmtree, os.environ["ERDGEN_CACHE_DIR"], True)

# Shrinking these data-dependent folders can take minutes, so the default profile reports
# the failing folder as drawn; HYPOTHESIS_PROFILE=debug shrinks it, thorough runs more.
settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("debug", parent=settings.get_profile("default"), phases=tuple(Phase))
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
