import os

from hypothesis import HealthCheck, settings

# "ci" bounds the property tests for CI's 2 cores and draws the same examples on every run, so that a
# landing is judged on a fixed sample; "deep" (`make deep`) tries 100x as many, freshly drawn.
settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("deep", max_examples=6000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
