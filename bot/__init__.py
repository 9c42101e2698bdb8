import os

# Opt in to PTB 22's timedelta durations now (RetryAfter.retry_after and friends), as the
# next major version will require; it also silences the deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")
