"""Settings: `base` for development and tests, `production` for gunicorn, the worker and beat."""
