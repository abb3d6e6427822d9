FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY imdi ./imdi
COPY core ./core
COPY demo ./demo
COPY settlement ./settlement
COPY grants ./grants
COPY agreements ./agreements
COPY reporting ./reporting
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_SETTINGS_MODULE=imdi.settings.production DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "imdi.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
