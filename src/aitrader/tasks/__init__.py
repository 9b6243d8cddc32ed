"""Background tasks (backtests, scheduled jobs): one set of task functions, run in-process by
default or on Celery workers with Redis when REDIS_URL is set. Thin: the work is in runtime/.
May import runtime, storage and lower tiers; never api or cli."""
