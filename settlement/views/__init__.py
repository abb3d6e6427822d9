"""Browser views for the settlement pipeline, split by audience. Thin: they parse forms, call services and selectors."""
